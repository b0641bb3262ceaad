// HTTP/1.1 hello world under wrk -t1 -c50 (keep-alive, small GET): `switchboard serve http` on both
// reactors beside node:http (the baseline) and a raw node:net responder (what Node's sockets allow).
import type { Benchmark, BenchContext, BenchmarkResult } from './lib/benchmark.js';
import { type Comparison, type LoadCase, compare, comparisonSteps } from './lib/compare.js';
import { baselineBuild, nodeServer, switchboard } from './lib/contenders.js';
import { missingTool } from './lib/tools.js';
import { runWrk } from './lib/wrk.js';

const CONNECTIONS = 50;

function loadCase(ctx: BenchContext): LoadCase {
  const skipped = missingTool('wrk');
  return {
    id: 'wrk-c50',
    metrics: [{ id: 'wrk-c50', title: `wrk -t1 -c${CONNECTIONS}, keep-alive GET /`, unit: 'req/s' }],
    higherIsBetter: true,
    ...(skipped === undefined ? {} : { skipped }),
    measure: async (server) => {
      const url = `http://127.0.0.1:${server.port}/`;
      // JIT warm-up, the same for every server; wrk counts whole seconds only.
      if (ctx.warmupSeconds > 0) await runWrk(url, { threads: 1, connections: CONNECTIONS, seconds: 1 });
      const result = await runWrk(url, { threads: 1, connections: CONNECTIONS, seconds: ctx.seconds });
      return { 'wrk-c50': { value: result.requestsPerSec, latencyUs: result.latencyUs } };
    },
  };
}

function comparison(ctx: BenchContext): Comparison {
  return {
    bench: 'http',
    cases: [loadCase(ctx)],
    contenders: [
      nodeServer('node-http', 'baseline', 'node-http-hello'),
      nodeServer('node-net-http', 'headroom', 'node-net-http'),
      switchboard('sb-selector', 'http', 'selector', ctx.cpuProf),
      ...baselineBuild('http', ctx.baselineCli, ctx.cpuProf),
      switchboard('sb-select', 'http', 'select', ctx.cpuProf),
    ],
    baselines: ['node-http'],
    baselineText: 'node:http hello world',
  };
}

export const http: Benchmark = {
  name: 'http',
  title: 'HTTP/1.1 hello world (wrk)',
  plan: (ctx) => {
    const steps = comparisonSteps(comparison(ctx), ctx.rounds);
    return { steps, seconds: steps * (Math.max(1, Math.round(ctx.seconds)) + (ctx.warmupSeconds > 0 ? 1 : 0) + 0.6) };
  },
  run: async (ctx): Promise<BenchmarkResult> => ({ name: 'http', title: http.title, cases: await compare(ctx, comparison(ctx)), notes: [] }),
};
