// Property-test settings: a fixed seed and a modest run count in `npm test`; `npm run fuzz` sets
// SWITCHBOARD_FUZZ_SECONDS to run each property for that long with fresh seeds.
export interface FuzzParameters {
  readonly seed?: number;
  readonly numRuns?: number;
  readonly interruptAfterTimeLimit?: number;
}

const seconds = Number(process.env['SWITCHBOARD_FUZZ_SECONDS'] ?? '0');

export const FUZZ: FuzzParameters = seconds > 0 ? { numRuns: Number.MAX_SAFE_INTEGER, interruptAfterTimeLimit: seconds * 1000 } : { seed: 20261201, numRuns: 300 };
