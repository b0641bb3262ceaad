// Echo over TLS on TCP loopback: `switchboard serve echo --tls-cert --tls-key` (listenTLS: TLSWrap
// on each connection's libuv handle, the echo protocol unchanged) against a node:tls
// tls.createServer echo, the baseline. The C load client speaks plain TCP only, so the load comes
// from bench/servers/tls-load-client.ts, a node:tls client in its own process that checks every
// echoed byte, pinned to another core than the server when the machine has two. Certificates are
// made with openssl for the run (test/helpers/tls-certs.ts).
//
// Beside each throughput, the same run's work per server CPU second (all of the server's threads,
// from /proc over the client's measured window): on a shared machine the CPU a server is given
// moves the throughput by 2x between runs, while the work a CPU second buys moves far less.
import { readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { testCerts } from '../test/helpers/tls-certs.js';
import type { Benchmark, BenchContext, BenchmarkResult, CaseResult } from './lib/benchmark.js';
import { type Comparison, type LoadCase, compare, comparisonSteps } from './lib/compare.js';
import { externalServer, nodeServer } from './lib/contenders.js';
import { field, lastJsonLine, numberField } from './lib/json-fields.js';
import { CLI, PROFILES_DIR, SERVERS_DIR } from './lib/paths.js';
import { type Server, startTool } from './lib/processes.js';
import { missingTool } from './lib/tools.js';

interface TLSCase {
  readonly id: string;
  readonly title: string;
  readonly mode: 'pingpong' | 'stream';
  readonly connections: number;
  readonly size: number;
}

const CASES: readonly TLSCase[] = [
  { id: 'tls-pp50', title: 'TLS ping-pong, 50 connections, 64-byte messages', mode: 'pingpong', connections: 50, size: 64 },
  { id: 'tls-stream10', title: 'TLS stream, 10 connections of 16 KiB writes', mode: 'stream', connections: 10, size: 16384 },
];

const isPinned = (): boolean => availableParallelism() >= 2 && missingTool('taskset') === undefined;

/** Clock ticks per second of /proc/PID/stat's times (USER_HZ, 100 on Linux). */
const USER_HZ = 100;

/** The CPU seconds process `pid` has used, all threads, user and system; undefined without /proc. */
function cpuSeconds(pid: number): number | undefined {
  try {
    // Fields after the parenthesised command name: utime and stime are the 12th and 13th.
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
    const ticks = Number(fields[11]) + Number(fields[12]);
    return Number.isFinite(ticks) ? ticks / USER_HZ : undefined;
  } catch {
    return undefined;
  }
}

interface Load {
  /** Round trips or MB per second. */
  readonly rate: number;
  /** The same work per second of the server's CPU time, when /proc could tell it. */
  readonly perCpuSecond: number | undefined;
}

async function runLoad(server: Server, c: TLSCase, ctx: BenchContext): Promise<Load> {
  const args = [join(SERVERS_DIR, 'tls-load-client.js'), String(server.port), testCerts().caFile, c.mode, String(c.connections), String(c.size), String(ctx.seconds), String(ctx.warmupSeconds)];
  /** The server's CPU seconds and the bench's clock (ms) as the client's window opened and closed. */
  const window: { opened?: [number | undefined, number]; closed?: [number | undefined, number] } = {};
  const onLine = (line: string): void => {
    if (line === 'measuring') window.opened = [cpuSeconds(server.pid), performance.now()];
    if (line === 'measured') window.closed = [cpuSeconds(server.pid), performance.now()];
  };
  const tool = startTool({ command: process.execPath, args, ...(isPinned() ? { cpu: 1 } : {}) }, (ctx.seconds + ctx.warmupSeconds + 20) * 1000, onLine);
  const result = await tool.done;
  const json = lastJsonLine(result.stdout);
  const error = field(json, 'error');
  if (typeof error === 'string') throw new Error(`tls-load-client: ${error}`);
  const value = numberField(json, c.mode === 'stream' ? 'mbPerSec' : 'opsPerSec');
  if (value === undefined) throw new Error(`tls-load-client failed (exit ${result.signal ?? result.code ?? '?'}): ${result.stderr.trim() || result.stdout.trim()}`);
  const [start, began] = window.opened ?? [undefined, 0];
  const [end, ended] = window.closed ?? [undefined, 0];
  const cpu = start === undefined || end === undefined ? 0 : end - start;
  // The rate is per second of the client's window; the bench's own clock times the same window.
  const perCpuSecond = cpu > 0 ? (value * (ended - began)) / 1000 / cpu : undefined;
  return { rate: value, perCpuSecond };
}

const cpuMetricId = (c: TLSCase): string => `${c.id}-cpu`;

function comparison(ctx: BenchContext): Comparison {
  const certs = testCerts();
  const profile = (label: string): string[] => (ctx.cpuProf ? ['--cpu-prof', '--cpu-prof-dir', PROFILES_DIR, '--cpu-prof-name', `${label}.cpuprofile`] : []);
  return {
    bench: 'tls',
    cases: CASES.map((c): LoadCase => ({
      id: c.id,
      metrics: [
        { id: c.id, title: c.title, unit: c.mode === 'stream' ? 'MB/s' : 'rt/s' },
        { id: cpuMetricId(c), title: `${c.title}, per second of the server's CPU time`, unit: c.mode === 'stream' ? 'MB/CPU-s' : 'rt/CPU-s' },
      ],
      higherIsBetter: true,
      ...(isPinned() ? { serverCpu: 0 } : {}),
      measure: async (server) => {
        const load = await runLoad(server, c, ctx);
        return { [c.id]: { value: load.rate }, ...(load.perCpuSecond === undefined ? {} : { [cpuMetricId(c)]: { value: load.perCpuSecond } }) };
      },
    })),
    contenders: [
      nodeServer('node-tls', 'baseline', 'node-tls-echo', [certs.server.certFile, certs.server.keyFile]),
      externalServer('sb-tls', 'candidate', undefined, async (start) => ({
        launch: {
          command: process.execPath,
          args: [...profile(start.label), CLI, 'serve', 'echo', '--port', '0', '--tls-cert', certs.server.certFile, '--tls-key', certs.server.keyFile],
          ...(start.cpu === undefined ? {} : { cpu: start.cpu }),
        },
        ready: { kind: 'line' },
      })),
    ],
    baselines: ['node-tls'],
    baselineText: 'node:tls tls.createServer echo, same node:tls load client and load',
  };
}

function notes(cases: readonly CaseResult[]): string[] {
  return cases.flatMap((c) => {
    const ratio = c.rows.find((r) => r.name === 'sb-tls')?.ratio?.median;
    if (ratio === undefined) return [];
    if (c.id.endsWith('-cpu')) return [`${c.id}: switchboard does ${ratio.toFixed(2)}x node:tls's work per server CPU second`];
    return [`${c.id}: switchboard over TLS at ${ratio.toFixed(2)}x node:tls (target >= 0.9: ${ratio >= 0.9 ? 'met' : 'missed'})`];
  });
}

export const tls: Benchmark = {
  name: 'tls',
  title: 'Echo over TLS: listenTLS vs node:tls (node:tls load client, every byte verified)',
  plan: (ctx) => {
    const steps = comparisonSteps(comparison(ctx), ctx.rounds);
    return { steps, seconds: steps * (ctx.seconds + ctx.warmupSeconds + 0.8) };
  },
  run: async (ctx): Promise<BenchmarkResult> => {
    const cases = await compare(ctx, comparison(ctx));
    return { name: 'tls', title: tls.title, cases, notes: notes(cases) };
  },
};
