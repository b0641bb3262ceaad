// Memory per idle connection: the server's resident set grows by how much when 10,000 echo
// connections are open and idle (each did one verified round trip)? switchboard's echo handler beside
// raw node:net (the baseline: the leaner of pipe and on('data') in each round). Lower is better.
import type { Benchmark, BenchContext, BenchmarkResult } from './lib/benchmark.js';
import { type Comparison, type LoadCase, compare, comparisonSteps } from './lib/compare.js';
import { cEchoServer, nodeServer, switchboard } from './lib/contenders.js';
import { startIdleClient } from './lib/echo-client.js';
import { type Server, rssBytes } from './lib/processes.js';

const CONNECTIONS = 10_000;
/** Both ends need a descriptor per connection; the default soft limit (often 1,024) would fail on EMFILE. */
const NOFILE = CONNECTIONS + 1024;
/** The longest the client may take to open and check every connection. */
const CONNECT_SECONDS = 60;

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

async function kibPerConnection(server: Server, settleMs: number): Promise<number> {
  await sleep(settleMs);
  const before = rssBytes(server.pid);
  let markHeld = (): void => {};
  const held = new Promise<void>((resolve) => {
    markHeld = resolve;
  });
  const client = startIdleClient(server.port, { mode: 'idle', connections: CONNECTIONS, size: 64, seconds: CONNECT_SECONDS, warmupSeconds: 0, nofile: NOFILE }, markHeld);
  const outcome = await Promise.race([held.then(() => 'held' as const), client.done.then(() => 'ended' as const)]);
  if (outcome === 'ended') {
    await client.done; // rejects with the client's error
    throw new Error(`the client ended before holding ${CONNECTIONS} connections`);
  }
  await sleep(settleMs);
  const after = rssBytes(server.pid);
  client.stop();
  const result = await client.done;
  if (result.held !== CONNECTIONS) throw new Error(`only ${result.held} of ${CONNECTIONS} connections were held`);
  return (after - before) / CONNECTIONS / 1024;
}

function loadCase(ctx: BenchContext): LoadCase {
  return {
    id: 'idle10k',
    metrics: [{ id: 'idle10k', title: `${CONNECTIONS.toLocaleString('en-US')} idle echo connections: server RSS growth per connection`, unit: 'KiB/conn' }],
    higherIsBetter: false,
    measure: async (server) => ({ idle10k: { value: await kibPerConnection(server, ctx.quick ? 500 : 1000) } }),
  };
}

function comparison(ctx: BenchContext): Comparison {
  const nofile = { nofile: NOFILE };
  return {
    bench: 'idle',
    cases: [loadCase(ctx)],
    contenders: [
      nodeServer('node-pipe', 'baseline', 'node-net-echo', ['pipe'], nofile),
      nodeServer('node-data', 'baseline', 'node-net-echo', ['data'], nofile),
      cEchoServer('c-epoll', nofile),
      switchboard('sb-selector', 'echo', 'selector', ctx.cpuProf, nofile),
      switchboard('sb-select', 'echo', 'select', ctx.cpuProf, nofile),
    ],
    baselines: ['node-pipe', 'node-data'],
    baselineText: "raw node:net echo, the leaner of pipe and on('data') in each round",
  };
}

export const idle: Benchmark = {
  name: 'idle',
  title: `Memory per idle connection (${CONNECTIONS.toLocaleString('en-US')} connections; lower is better)`,
  plan: (ctx) => {
    const steps = comparisonSteps(comparison(ctx), ctx.rounds);
    return { steps, seconds: steps * 10 };
  },
  run: async (ctx): Promise<BenchmarkResult> => ({
    name: 'idle',
    title: idle.title,
    cases: await compare(ctx, comparison(ctx)),
    notes: [`open-file limit raised to ${NOFILE} (ulimit -n in the server's and the client's shell)`],
  }),
};
