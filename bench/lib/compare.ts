// Runs load cases against servers started one at a time, round by round, under the same load, and
// turns the figures into ratios to the baseline of the same round (the best of the baseline servers).
import type { BenchContext, CaseResult, Latency, Row } from './benchmark.js';
import type { Server } from './processes.js';
import { summarize } from './stats.js';

export interface Measurement {
  readonly value: number;
  readonly latencyUs?: Latency;
}

export interface StartOptions {
  /** Pin the server to this CPU. */
  readonly cpu?: number;
  /** A file-name-safe name for this run (used for CPU profiles). */
  readonly label: string;
}

export interface Contender {
  readonly name: string;
  readonly role: Row['role'];
  /** Why it cannot run on this machine, or undefined when it can. */
  readonly unavailable?: string;
  /** The ids of the cases it runs in (default: every case): keeps the full run within its time. */
  readonly onlyCases?: readonly string[];
  start(options: StartOptions): Promise<Server>;
}

/** Whether `who` runs in case `k` (it is available and the case is among its cases). */
const runsIn = (who: Contender, k: LoadCase): boolean => who.unavailable === undefined && (who.onlyCases === undefined || who.onlyCases.includes(k.id));

export interface Metric {
  readonly id: string;
  readonly title: string;
  readonly unit: string;
}

/** One load run against one server; it may yield several metrics (redis-benchmark's tests). */
export interface LoadCase {
  readonly id: string;
  readonly metrics: readonly Metric[];
  readonly higherIsBetter: boolean;
  readonly serverCpu?: number;
  /** Why the whole case cannot run here (its load generator is missing). */
  readonly skipped?: string;
  measure(server: Server): Promise<Readonly<Record<string, Measurement>>>;
}

export interface Comparison {
  readonly bench: string;
  readonly cases: readonly LoadCase[];
  readonly contenders: readonly Contender[];
  /** The contenders whose best figure in each round is the baseline. */
  readonly baselines: readonly string[];
  readonly baselineText: string;
}

export const comparisonSteps = (c: Comparison, rounds: number): number =>
  c.cases.filter((k) => k.skipped === undefined).reduce((n, k) => n + c.contenders.filter((who) => runsIn(who, k)).length, 0) * rounds;

type Runs = Map<string, (Readonly<Record<string, Measurement>> | undefined)[]>;

async function measureOnce(ctx: BenchContext, c: Comparison, k: LoadCase, who: Contender, round: number): Promise<Readonly<Record<string, Measurement>>> {
  ctx.progress.step(`${c.bench} ${k.id} · ${who.name} · round ${round + 1}/${ctx.rounds}`);
  const label = `${c.bench}-${k.id}-${who.name}-r${round + 1}`;
  const server = await who.start({ label, ...(k.serverCpu === undefined ? {} : { cpu: k.serverCpu }) });
  try {
    return await k.measure(server);
  } finally {
    await server.stop();
  }
}

export async function compare(ctx: BenchContext, c: Comparison): Promise<CaseResult[]> {
  const results: CaseResult[] = [];
  for (const k of c.cases) {
    const runs: Runs = new Map();
    const errors = new Map<string, string>();
    if (k.skipped === undefined) {
      for (let round = 0; round < ctx.rounds; round++) {
        for (const who of c.contenders) {
          if (!runsIn(who, k)) continue;
          const list = runs.get(who.name) ?? [];
          runs.set(who.name, list);
          try {
            list[round] = await measureOnce(ctx, c, k, who, round);
          } catch (error) {
            const message = error instanceof Error ? error.message : String(error);
            errors.set(who.name, message);
            ctx.progress.note(`${who.name} failed: ${message}`);
          }
        }
      }
    }
    for (const metric of k.metrics) results.push(caseResult(c, k, metric, runs, errors));
  }
  return results;
}

function caseResult(c: Comparison, k: LoadCase, metric: Metric, runs: Runs, errors: ReadonlyMap<string, string>): CaseResult {
  const perRound = (name: string): (Measurement | undefined)[] => (runs.get(name) ?? []).map((r) => r?.[metric.id]);
  const better = (a: number, b: number): number => (k.higherIsBetter ? Math.max(a, b) : Math.min(a, b));
  const base: (number | undefined)[] = [];
  for (const name of c.baselines) {
    perRound(name).forEach((m, round) => {
      if (m === undefined) return;
      const seen = base[round];
      base[round] = seen === undefined ? m.value : better(seen, m.value);
    });
  }
  const rows = c.contenders.map((who): Row => {
    const role = who.role;
    if (who.unavailable !== undefined) return { name: who.name, role, values: [], value: undefined, ratio: undefined, note: who.unavailable };
    if (!runsIn(who, k)) return { name: who.name, role, values: [], value: undefined, ratio: undefined, note: 'not run in this case' };
    const measured = perRound(who.name);
    const values = measured.flatMap((m) => (m === undefined ? [] : [m.value]));
    const ratios = measured.flatMap((m, round) => {
      const b = base[round];
      return m === undefined || b === undefined || b <= 0 ? [] : [m.value / b];
    });
    const latency = latencyOf(measured);
    const note = errors.get(who.name);
    return {
      name: who.name,
      role,
      values,
      value: summarize(values),
      ratio: summarize(ratios),
      ...(latency === undefined ? {} : { latencyUs: latency }),
      ...(note === undefined ? {} : { note }),
    };
  });
  return {
    id: metric.id,
    title: metric.title,
    unit: metric.unit,
    higherIsBetter: k.higherIsBetter,
    baseline: c.baselineText,
    rows,
    ...(k.skipped === undefined ? {} : { skipped: k.skipped }),
  };
}

function latencyOf(measured: readonly (Measurement | undefined)[]): Latency | undefined {
  const p50 = summarize(measured.flatMap((m) => (m?.latencyUs === undefined ? [] : [m.latencyUs.p50])));
  const p99 = summarize(measured.flatMap((m) => (m?.latencyUs === undefined ? [] : [m.latencyUs.p99])));
  return p50 === undefined || p99 === undefined ? undefined : { p50: p50.median, p99: p99.median };
}
