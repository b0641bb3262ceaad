// The summary every figure is reported with: median of the rounds, with min and max beside it.

export interface Summary {
  readonly median: number;
  readonly min: number;
  readonly max: number;
  readonly n: number;
}

/** The median (mean of the middle two for an even count), min and max; undefined for no values. */
export function summarize(values: readonly number[]): Summary | undefined {
  const sorted = values.filter((v) => Number.isFinite(v)).sort((a, b) => a - b);
  const [first] = sorted;
  const last = sorted.at(-1);
  if (first === undefined || last === undefined) return undefined;
  const mid = sorted.length >> 1;
  const upper = sorted[mid] ?? first;
  const median = sorted.length % 2 === 1 ? upper : ((sorted[mid - 1] ?? upper) + upper) / 2;
  return { median, min: first, max: last, n: sorted.length };
}
