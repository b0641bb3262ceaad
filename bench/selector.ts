// The cost of one select with N idle registered sockets and one ready, in-process: select()
// (src/reactor/select.ts) looks at every listed socket on each call; the Selector
// (src/reactor/selector.ts) only at those that reported a change. The sockets are in-memory
// socketpair() ends, so 10,000 of them need no file descriptors (and no ulimit).
import type { Benchmark, BenchContext, BenchmarkResult, CaseResult, Row } from './lib/benchmark.js';
import { summarize } from './lib/stats.js';
import { EVENT_READ, type Socket, Selector, select, socketpair } from '../src/index.js';

const SIZES = [10, 1000, 10_000] as const;
const MAX_CALLS = 1_000_000;

interface Rig {
  readonly sockets: Socket[];
  readonly selector: Selector<Socket>;
  close(): void;
}

type Method = { readonly name: string; call(rig: Rig): number | Promise<number> };

const METHODS: readonly Method[] = [
  { name: 'Selector.readyNow()', call: (rig) => rig.selector.readyNow().length },
  { name: 'Selector.select(0)', call: async (rig) => (await rig.selector.select(0)).length },
  { name: 'select(rlist, [], [], 0)', call: async (rig) => (await select(rig.sockets, [], [], 0))[0].length },
];

/** `idle` registered ends that never become ready, and one whose peer sent a byte nobody reads. */
function rig(idle: number): Rig {
  const pairs = Array.from({ length: idle + 1 }, () => socketpair());
  const sockets = pairs.map(([end]) => end);
  const selector = new Selector<Socket>();
  for (const s of sockets) selector.register(s, EVENT_READ);
  pairs.at(-1)?.[1].send(Buffer.from('x'));
  // Registration made every end a candidate; one call settles the ready set at the active end.
  selector.readyNow();
  return {
    sockets,
    selector,
    close: () => {
      selector.close();
      for (const [a, b] of pairs) {
        a.close();
        b.close();
      }
    },
  };
}

/** Microseconds per call, over at most MAX_CALLS calls or `budgetSeconds`, whichever ends first. */
async function timeCalls(method: Method, r: Rig, budgetSeconds: number): Promise<number> {
  for (let i = 0; i < 200; i++) await method.call(r);
  const start = process.hrtime.bigint();
  const budget = BigInt(Math.round(budgetSeconds * 1e9));
  let calls = 0;
  let elapsed = 0n;
  while (calls < MAX_CALLS && elapsed < budget) {
    for (let i = 0; i < 64; i++) {
      if ((await method.call(r)) !== 1) throw new Error(`${method.name} did not report exactly the one ready socket`);
    }
    calls += 64;
    elapsed = process.hrtime.bigint() - start;
  }
  return Number(elapsed) / 1000 / calls;
}

function results(perRound: ReadonlyMap<string, number[][]>): CaseResult[] {
  return SIZES.map((size, s) => ({
    id: `n=${size}`,
    title: `${size.toLocaleString('en-US')} idle registered sockets, one ready`,
    unit: 'µs/call',
    higherIsBetter: false,
    baseline: 'the same method with 10 registered sockets',
    rows: METHODS.map((m): Row => {
      const rounds = perRound.get(m.name) ?? [];
      const values = rounds.flatMap((r) => (r[s] === undefined ? [] : [r[s] ?? 0]));
      const ratios = rounds.flatMap(([at10, ...rest]) => {
        const v = s === 0 ? at10 : rest[s - 1];
        return at10 === undefined || v === undefined ? [] : [v / at10];
      });
      return { name: m.name, role: 'candidate', values, value: summarize(values), ratio: summarize(ratios) };
    }),
  }));
}

function notes(cases: readonly CaseResult[]): string[] {
  const last = cases.at(-1);
  const cost = (name: string): number | undefined => last?.rows.find((r) => r.name === name)?.value?.median;
  const naive = cost('select(rlist, [], [], 0)');
  const ready = cost('Selector.readyNow()');
  if (naive === undefined || ready === undefined) return [];
  return [`each figure: up to ${MAX_CALLS.toLocaleString('en-US')} calls or the time budget (0.3 s quick, 1 s otherwise), whichever ends first`, `at ${SIZES.at(-1)?.toLocaleString('en-US') ?? ''} sockets one select() costs ${naive.toFixed(1)} µs, ${(naive / ready).toFixed(0)}x Selector.readyNow()`];
}

export const selector: Benchmark = {
  name: 'selector',
  title: 'Cost per select, in-process (lower is better; ratio to the same method at 10 sockets)',
  plan: (ctx) => {
    const steps = METHODS.length * SIZES.length * ctx.rounds;
    return { steps, seconds: steps * (budget(ctx) + 0.3) };
  },
  run: async (ctx): Promise<BenchmarkResult> => {
    const perRound = new Map<string, number[][]>(METHODS.map((m) => [m.name, []]));
    for (let round = 0; round < ctx.rounds; round++) {
      for (const m of METHODS) {
        const costs: number[] = [];
        for (const size of SIZES) {
          ctx.progress.step(`selector ${m.name} · n=${size} · round ${round + 1}/${ctx.rounds}`);
          const r = rig(size);
          try {
            costs.push(await timeCalls(m, r, budget(ctx)));
          } finally {
            r.close();
          }
        }
        perRound.get(m.name)?.push(costs);
      }
    }
    const cases = results(perRound);
    return { name: 'selector', title: selector.title, cases, notes: notes(cases) };
  },
};

const budget = (ctx: BenchContext): number => (ctx.quick ? 0.3 : 1);
