// The contract between the runner and one benchmark file: what a benchmark is given (the run's
// settings and progress line) and what it hands back (cases of rows, each a ratio to its baseline
// measured in the same run). Absolute figures ride along for people; nothing asserts on them.
import type { Progress } from './progress.js';
import type { Summary } from './stats.js';

export interface BenchContext {
  /** One short round per case instead of three long ones. */
  readonly quick: boolean;
  readonly rounds: number;
  /** Seconds of load per measurement, after `warmupSeconds` of unmeasured load. */
  readonly seconds: number;
  readonly warmupSeconds: number;
  /** Start switchboard servers under `node --cpu-prof`. */
  readonly cpuProf: boolean;
  /**
   * A previous build's CLI (`<dir>/dist/src/cli.js`, from `--baseline <dir>` or SB_BASELINE): when set,
   * the cases a performance change targets also run that build as the contender `sb-base`, in the
   * same rounds as the current build, so that a change's gain is read against the same load.
   */
  readonly baselineCli?: string;
  readonly progress: Progress;
}

export interface Latency {
  readonly p50: number;
  readonly p99: number;
}

/** One row of a case: a server (or method) with its per-round figures and their summaries. */
export interface Row {
  readonly name: string;
  readonly role: 'baseline' | 'candidate' | 'headroom';
  /** Absolute figure per round (unit of the case); missing rounds are absent. */
  readonly values: readonly number[];
  readonly value: Summary | undefined;
  /** Per-round value / per-round baseline, summarised. */
  readonly ratio: Summary | undefined;
  readonly latencyUs?: Latency;
  /** Why this row has no figures (not installed, not available yet, or the error it hit). */
  readonly note?: string;
}

export interface CaseResult {
  readonly id: string;
  readonly title: string;
  readonly unit: string;
  readonly higherIsBetter: boolean;
  /** What the ratios divide by, in words. */
  readonly baseline: string;
  readonly rows: readonly Row[];
  /** Set when the whole case could not run (a tool is missing). */
  readonly skipped?: string;
}

export interface BenchmarkResult {
  readonly name: string;
  readonly title: string;
  readonly cases: readonly CaseResult[];
  readonly notes: readonly string[];
}

export interface Plan {
  /** Measurements the benchmark will take (for "how far"). */
  readonly steps: number;
  /** A rough estimate of its wall time, in seconds (for "time left"). */
  readonly seconds: number;
}

export interface Benchmark {
  readonly name: string;
  readonly title: string;
  plan(ctx: BenchContext): Plan;
  run(ctx: BenchContext): Promise<BenchmarkResult>;
}
