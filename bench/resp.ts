// RESP (the Redis protocol) under redis-benchmark -t ping,set,get -n 100000 -c 50, with and
// without -P 16 pipelining: `switchboard serve resp` beside redis-server (the baseline) when installed.
import type { Benchmark, BenchContext, BenchmarkResult } from './lib/benchmark.js';
import { type Comparison, type LoadCase, type Measurement, compare, comparisonSteps } from './lib/compare.js';
import { baselineBuild, externalServer, switchboard } from './lib/contenders.js';
import { freePort } from './lib/processes.js';
import { runRedisBenchmark } from './lib/redis-benchmark.js';
import { missingTool } from './lib/tools.js';

const TESTS = ['PING_INLINE', 'PING_MBULK', 'SET', 'GET'] as const;
const REQUESTS = 100_000;
const CLIENTS = 50;
/** A server slower than 2k requests/s on every test would take longer: then it is reported as timed out. */
const TIMEOUT_SECONDS = (TESTS.length * REQUESTS) / 2000;

function loadCase(pipeline: number): LoadCase {
  const suffix = pipeline > 1 ? ` P${pipeline}` : '';
  const skipped = missingTool('redis-benchmark');
  return {
    id: `c${CLIENTS}${suffix.replace(' ', '')}`,
    metrics: TESTS.map((test) => ({ id: `${test.toLowerCase()}${suffix}`, title: `${test}, -c ${CLIENTS}${pipeline > 1 ? ` -P ${pipeline}` : ''}`, unit: 'req/s' })),
    higherIsBetter: true,
    ...(skipped === undefined ? {} : { skipped }),
    measure: async (server) => {
      const results = await runRedisBenchmark(server.port, { tests: ['ping', 'set', 'get'], requests: REQUESTS, clients: CLIENTS, pipeline }, TIMEOUT_SECONDS);
      const out: Record<string, Measurement> = {};
      for (const test of TESTS) {
        const r = results.get(test);
        if (r !== undefined) out[`${test.toLowerCase()}${suffix}`] = { value: r.requestsPerSec, latencyUs: r.latencyUs };
      }
      return out;
    },
  };
}

const redisServer = externalServer('redis-server', 'baseline', missingTool('redis-server'), async () => {
  // redis-server cannot pick a port itself (--port 0 turns TCP off), so one is found free first.
  const port = await freePort();
  const args = ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--protected-mode', 'no', '--daemonize', 'no'];
  return { launch: { command: 'redis-server', args }, ready: { kind: 'port', port } };
});

function comparison(ctx: BenchContext): Comparison {
  return {
    bench: 'resp',
    cases: [loadCase(1), loadCase(16)],
    contenders: [redisServer, switchboard('sb-selector', 'resp', 'selector', ctx.cpuProf), ...baselineBuild('resp', ctx.baselineCli, ctx.cpuProf)],
    baselines: ['redis-server'],
    baselineText: 'redis-server',
  };
}

export const resp: Benchmark = {
  name: 'resp',
  title: 'RESP under redis-benchmark',
  plan: (ctx) => {
    const steps = comparisonSteps(comparison(ctx), ctx.rounds);
    return { steps, seconds: steps * 6 };
  },
  run: async (ctx): Promise<BenchmarkResult> => {
    const cases = await compare(ctx, comparison(ctx));
    const notes = [`each measurement is one redis-benchmark run of ${REQUESTS.toLocaleString('en-US')} requests per test (a fixed count, not a duration)`];
    const missing = missingTool('redis-server');
    if (missing !== undefined) notes.push(`no baseline: ${missing}`);
    return { name: 'resp', title: resp.title, cases, notes };
  },
};
