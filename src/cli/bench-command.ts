// `switchboard bench [--quick] [--cpu-prof] [name...]`: runs the benchmark harness (bench/run.ts,
// built to dist/bench/run.js). The harness lives in a clone only; the published package has none.

/**
 * The exit status of `bench` where the harness is not installed (a package, not a clone): sysexits'
 * EX_UNAVAILABLE, so a script tells "nothing to run here" from a usage mistake (2) or a failed run (1).
 */
export const BENCH_UNAVAILABLE = 69;

/** What `switchboard bench --help` prints. */
export const BENCH_HELP = `usage: switchboard bench [--quick] [--cpu-prof] [--publish] [--baseline <dir>] [name...]

  name         echo, http, resp, selector, idle, codec, unix, tls (default: all)
  --quick      each case once for a few seconds (default: 3 rounds, median with min and max)
  --cpu-prof   write a CPU profile of every switchboard server started, to bench/results/runs/profiles/
  --publish    a full run only (no --quick, no names): also rewrite the committed
               bench/results/latest.json, latest.md and latest.svg, if every benchmark ran
  --baseline <dir>  also run a previous build (<dir>/dist/src/cli.js; default $SB_BASELINE) as sb-base
               beside the current one in the echo, http and resp cases, in the same rounds

Prints a Markdown table of ratios to baselines measured in the same run; writes the run's
bench/results/runs/<time>.json, .md and .svg (git ignores them). From a clone: npm run bench -- --quick
The harness lives in a clone of the repository only: in an installed package, bench says so and
exits ${BENCH_UNAVAILABLE} (EX_UNAVAILABLE).`;

/**
 * Runs the benchmark harness with `args`, printing through `out`; resolves to the exit code, which is
 * BENCH_UNAVAILABLE (after one line on `err`) when the harness is absent (an installed package).
 */
export async function benchCommand(args: readonly string[], out: (line: string) => void, err: (line: string) => void): Promise<number> {
  let harness: typeof import('../../bench/run.js');
  try {
    // Loaded only when asked for: the harness pulls in the chart library and is not in the package.
    harness = await import('../../bench/run.js');
  } catch (error) {
    if (error instanceof Error && 'code' in error && error.code === 'ERR_MODULE_NOT_FOUND') {
      err('switchboard: bench: the benchmark harness is not installed here (it lives in a clone of the repository: npm run build, then npm run bench)');
      return BENCH_UNAVAILABLE;
    }
    throw error;
  }
  return harness.runBench(args, out);
}
