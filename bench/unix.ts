// Echo over a Unix stream socket against the same echo over TCP loopback (the HOWTO's advice for
// IPC on one machine), with the same C load client (bench/c/echo-client.c, `--unix PATH` or
// `--port N`, every echoed byte verified). Baseline: switchboard's echo (SelectorReactor) over TCP,
// `switchboard serve echo`; the Unix server is bench/servers/sb-unix-echo.ts (`serve` listens on
// TCP only). node:net on both transports is shown beside as a reference.
import { rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Benchmark, BenchContext, BenchmarkResult, CaseResult } from './lib/benchmark.js';
import { type Comparison, type Contender, type LoadCase, compare, comparisonSteps } from './lib/compare.js';
import { nodeServer, switchboard } from './lib/contenders.js';
import { type EchoMode, runEchoClient } from './lib/echo-client.js';
import { PROFILES_DIR, SERVERS_DIR } from './lib/paths.js';
import { type Server, startServer } from './lib/processes.js';

interface UnixCase {
  readonly id: string;
  readonly title: string;
  readonly mode: EchoMode;
  readonly connections: number;
  readonly size: number;
}

const CASES: readonly UnixCase[] = [
  { id: 'pp50', title: 'ping-pong, 50 connections, 64-byte messages', mode: 'pingpong', connections: 50, size: 64 },
  { id: 'stream10', title: 'stream, 10 connections of 16 KiB writes', mode: 'stream', connections: 10, size: 16384 },
];

const UNIT: Readonly<Record<EchoMode, string>> = { pingpong: 'rt/s', stream: 'MB/s', churn: 'conn/s', idle: 'conn' };

/** A server listening on a Unix path; `port` is 0. */
interface UnixServer extends Server {
  readonly unixPath: string;
}

const isUnix = (server: Server): server is UnixServer => 'unixPath' in server;

let serial = 0;
/** A fresh socket path in the temp folder (short: sun_path holds 107 bytes). */
const socketPath = (): string => join(tmpdir(), `sb-bench-${process.pid}-${++serial}.sock`);

/** A server started on a fresh Unix path; the path is removed again once it has stopped. */
function unixContender(name: string, args: (path: string, label: string) => readonly string[]): Contender {
  return {
    name,
    role: 'candidate',
    start: async (start): Promise<UnixServer> => {
      const path = socketPath();
      rmSync(path, { force: true });
      const server = await startServer(name, { command: process.execPath, args: args(path, start.label), ...(start.cpu === undefined ? {} : { cpu: start.cpu }) });
      return {
        name: server.name,
        pid: server.pid,
        port: server.port,
        unixPath: path,
        stop: async (graceMs?: number) => {
          try {
            await server.stop(graceMs);
          } finally {
            rmSync(path, { force: true });
          }
        },
      };
    },
  };
}

function comparison(ctx: BenchContext): Comparison {
  const profile = (label: string): string[] => (ctx.cpuProf ? ['--cpu-prof', '--cpu-prof-dir', PROFILES_DIR, '--cpu-prof-name', `${label}.cpuprofile`] : []);
  return {
    bench: 'unix',
    cases: CASES.map((c): LoadCase => ({
      id: c.id,
      metrics: [{ id: c.id, title: c.title, unit: UNIT[c.mode] }],
      higherIsBetter: true,
      measure: async (server) => {
        const load = { mode: c.mode, connections: c.connections, size: c.size, seconds: ctx.seconds, warmupSeconds: ctx.warmupSeconds };
        const result = await runEchoClient(server.port, isUnix(server) ? { ...load, unixPath: server.unixPath } : load);
        const value = c.mode === 'stream' ? result.mbPerSec : result.opsPerSec;
        return { [c.id]: { value, ...(result.latencyUs === undefined ? {} : { latencyUs: result.latencyUs }) } };
      },
    })),
    contenders: [
      { ...switchboard('sb-tcp', 'echo', 'selector', ctx.cpuProf), role: 'baseline' },
      unixContender('sb-unix', (path, label) => [...profile(label), join(SERVERS_DIR, 'sb-unix-echo.js'), path, 'selector']),
      nodeServer('node-tcp', 'candidate', 'node-net-echo', ['data']),
      unixContender('node-unix', (path) => [join(SERVERS_DIR, 'node-net-echo.js'), 'data', path]),
    ],
    baselines: ['sb-tcp'],
    baselineText: 'switchboard echo (SelectorReactor) over TCP loopback, same client and load',
  };
}

function notes(cases: readonly CaseResult[]): string[] {
  return cases.flatMap((c) => {
    const ratio = c.rows.find((r) => r.name === 'sb-unix')?.ratio?.median;
    return ratio === undefined ? [] : [`${c.id}: switchboard over Unix at ${ratio.toFixed(2)}x switchboard over TCP (target >= 1.0: ${ratio >= 1 ? 'met' : 'missed'})`];
  });
}

export const unix: Benchmark = {
  name: 'unix',
  title: 'Echo over a Unix socket vs TCP loopback (C load client, every byte verified)',
  plan: (ctx) => {
    const steps = comparisonSteps(comparison(ctx), ctx.rounds);
    return { steps, seconds: steps * (ctx.seconds + ctx.warmupSeconds + 0.6) };
  },
  run: async (ctx): Promise<BenchmarkResult> => {
    const cases = await compare(ctx, comparison(ctx));
    return { name: 'unix', title: unix.title, cases, notes: notes(cases) };
  },
};
