// Echo over TCP loopback, driven by the C load client (bench/c/echo-client.c, which checks every
// echoed byte): switchboard's echo handler on both reactors beside raw node:net (the baseline: the
// faster of pipe and on('data') in each round) and a C epoll server, the ceiling of the rig.
// References beside them: Python asyncio (bench/servers/asyncio-echo.py, standard library) and
// Twisted (bench/servers/twisted-echo.py) when `python3 -c 'import twisted'` works.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import type { Benchmark, BenchContext, BenchmarkResult, CaseResult } from './lib/benchmark.js';
import { type Comparison, type Contender, type LoadCase, compare, comparisonSteps } from './lib/compare.js';
import { baselineBuild, cEchoServer, externalServer, nodeServer, switchboard } from './lib/contenders.js';
import { type EchoMode, runEchoClient } from './lib/echo-client.js';
import { ROOT } from './lib/paths.js';
import { hasTool, missingTool } from './lib/tools.js';

interface EchoCase {
  readonly id: string;
  readonly title: string;
  readonly mode: EchoMode;
  readonly connections: number;
  readonly size: number;
  /**
   * 'apart': server on CPU 0, client on CPU 1 (latency per round trip). 'same': both on CPU 0, so
   * round trips per second are the inverse of the CPU both spend per message (the truest per-message
   * cost: no idle core hides the server's work).
   */
  readonly pinned?: 'apart' | 'same';
}

const CASES: readonly EchoCase[] = [
  { id: 'pp1cpu1', title: 'ping-pong, 1 connection, server and client on separate cores', mode: 'pingpong', connections: 1, size: 64, pinned: 'apart' },
  { id: 'pp1core', title: 'ping-pong, 1 connection, server and client on the same core (CPU per message)', mode: 'pingpong', connections: 1, size: 64, pinned: 'same' },
  { id: 'pp50', title: 'ping-pong, 50 connections, 64-byte messages', mode: 'pingpong', connections: 50, size: 64 },
  { id: 'stream10', title: 'stream, 10 connections of 16 KiB writes', mode: 'stream', connections: 10, size: 16384 },
  { id: 'churn1', title: 'churn: connect, one 64-byte round trip, close; one at a time', mode: 'churn', connections: 1, size: 64 },
];

/** Where the Python references run (the same load as switchboard's): every case but churn. */
const REFERENCE_CASES = ['pp1cpu1', 'pp50', 'stream10'];
/** Where the previous build (--baseline) runs: the cases issue 18 sets targets for. */
const BASELINE_BUILD_CASES = ['pp1cpu1', 'pp1core', 'pp50', 'stream10'];

const UNIT: Readonly<Record<EchoMode, string>> = { pingpong: 'rt/s', stream: 'MB/s', churn: 'conn/s', idle: 'conn' };

function pinningProblem(pinned: 'apart' | 'same'): string | undefined {
  if (pinned === 'apart' && availableParallelism() < 2) return 'needs 2 CPUs to pin server and client apart';
  return missingTool('taskset');
}

function loadCase(ctx: BenchContext, c: EchoCase): LoadCase {
  const skipped = c.pinned === undefined ? undefined : pinningProblem(c.pinned);
  const clientCpu = c.pinned === 'apart' ? 1 : 0;
  return {
    id: c.id,
    metrics: [{ id: c.id, title: c.title, unit: UNIT[c.mode] }],
    higherIsBetter: true,
    ...(c.pinned === undefined ? {} : { serverCpu: 0 }),
    ...(skipped === undefined ? {} : { skipped }),
    measure: async (server) => {
      const load = { mode: c.mode, connections: c.connections, size: c.size, seconds: ctx.seconds, warmupSeconds: ctx.warmupSeconds };
      const result = await runEchoClient(server.port, c.pinned === undefined ? load : { ...load, cpu: clientCpu });
      const value = c.mode === 'stream' ? result.mbPerSec : result.opsPerSec;
      return { [c.id]: { value, ...(result.latencyUs === undefined ? {} : { latencyUs: result.latencyUs }) } };
    },
  };
}

/**
 * The Python that runs the Twisted server: `python3` on PATH when it has Twisted, else the system's
 * /usr/bin/python3 (where Debian's python3-twisted installs) when that has it; checked once per run.
 */
let twistedPython: { readonly python?: string; readonly problem?: string } | undefined;
function findTwistedPython(): { readonly python?: string; readonly problem?: string } {
  if (twistedPython !== undefined) return twistedPython;
  const candidates = [...(hasTool('python3') ? ['python3'] : []), ...(existsSync('/usr/bin/python3') ? ['/usr/bin/python3'] : [])];
  const python = candidates.find((command) => spawnSync(command, ['-c', 'import twisted'], { timeout: 10_000 }).status === 0);
  twistedPython =
    python === undefined
      ? { problem: "skipped: python3 -c 'import twisted' fails; install the Debian package 'python3-twisted' (apt-get install -y python3-twisted)" }
      : { python };
  return twistedPython;
}

/** A Python echo server from bench/servers/ (run from the source tree: nothing to compile). */
function pythonServer(name: string, script: string, unavailable: string | undefined, python = 'python3'): Contender {
  return externalServer(name, 'candidate', unavailable, async (start) => ({
    launch: { command: python, args: [join(ROOT, 'bench/servers', script), '0'], ...(start.cpu === undefined ? {} : { cpu: start.cpu }) },
    ready: { kind: 'line' },
  }));
}

function comparison(ctx: BenchContext): Comparison {
  const python = missingTool('python3');
  const twisted = findTwistedPython();
  return {
    bench: 'echo',
    cases: CASES.map((c) => loadCase(ctx, c)),
    contenders: [
      nodeServer('node-pipe', 'baseline', 'node-net-echo', ['pipe']),
      nodeServer('node-data', 'baseline', 'node-net-echo', ['data']),
      { ...cEchoServer('c-epoll'), onlyCases: ['pp1cpu1', 'pp50', 'stream10', 'churn1'] },
      switchboard('sb-selector', 'echo', 'selector', ctx.cpuProf),
      ...baselineBuild('echo', ctx.baselineCli, ctx.cpuProf).map((who) => ({ ...who, onlyCases: BASELINE_BUILD_CASES })),
      { ...switchboard('sb-select', 'echo', 'select', ctx.cpuProf), onlyCases: ['pp50', 'stream10'] },
      { ...nodeServer('sb-howto-select', 'candidate', 'howto-select-echo'), onlyCases: ['pp50'] },
      { ...pythonServer('py-asyncio', 'asyncio-echo.py', python), onlyCases: REFERENCE_CASES },
      { ...pythonServer('py-twisted', 'twisted-echo.py', twisted.problem, twisted.python), onlyCases: REFERENCE_CASES },
    ],
    baselines: ['node-pipe', 'node-data'],
    baselineText: "raw node:net echo, the faster of pipe and on('data') in each round",
  };
}

/** The rig's headroom: a C server well above node:net shows the client is not what limits node. */
function headroomNotes(cases: readonly CaseResult[]): string[] {
  return cases.flatMap((c) => {
    const ratio = c.rows.find((r) => r.name === 'c-epoll')?.ratio?.median;
    if (ratio === undefined) return [];
    const verdict = ratio >= 1.2 ? 'headroom shown' : 'no clear headroom: the client or loopback latency sets the pace, so ratios here say less';
    return [`${c.id}: c-epoll at ${ratio.toFixed(2)}x node:net (${verdict})`];
  });
}

/** switchboard against the Python references: the target is to be above Twisted in every case. */
function referenceNotes(cases: readonly CaseResult[]): string[] {
  return cases.flatMap((c) => {
    const value = (name: string): number | undefined => c.rows.find((r) => r.name === name)?.value?.median;
    const sb = value('sb-selector');
    if (sb === undefined) return [];
    const vs = (['py-twisted', 'py-asyncio'] as const).flatMap((name) => {
      const v = value(name);
      return v === undefined || v <= 0 ? [] : [`${(sb / v).toFixed(2)}x ${name}`];
    });
    return vs.length === 0 ? [] : [`${c.id}: sb-selector at ${vs.join(', ')}`];
  });
}

export const echo: Benchmark = {
  name: 'echo',
  title: 'Echo over TCP loopback (C load client, every byte verified)',
  plan: (ctx) => {
    const steps = comparisonSteps(comparison(ctx), ctx.rounds);
    return { steps, seconds: steps * (ctx.seconds + ctx.warmupSeconds + 0.6) };
  },
  run: async (ctx): Promise<BenchmarkResult> => {
    const cases = await compare(ctx, comparison(ctx));
    return { name: 'echo', title: echo.title, cases, notes: [...headroomNotes(cases), ...referenceNotes(cases)] };
  },
};
