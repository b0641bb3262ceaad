// The conformance suite is offered to people writing their own reactors, so it must fail a broken
// one (issue 17): each variant in test/fixtures/reactors/broken-variants.ts wraps a bundled reactor
// and breaks one rule; the suite must fail each, and pass the wrapper that breaks nothing.
import test from 'ava';
import { planCases, removeUnixDir, runCase } from '../src/conformance/index.js';
import type { ReactorOptions } from '../src/reactor/reactor.js';
import { BROKEN_VARIANTS, makeVariant, type VariantName } from './fixtures/reactors/broken-variants.js';

test.after.always(() => removeUnixDir());

/** The cases the variant fails, over socketpairs and TCP; a broken variant stops at its first failure. */
async function failedCases(variant: VariantName): Promise<string[]> {
  const failed: string[] = [];
  for (const planned of planCases(['pair', 'tcp4'])) {
    const result = await runCase((options?: ReactorOptions) => makeVariant(variant, options), planned);
    if (!result.ok) failed.push(`${planned.title}: ${result.reason ?? ''}`);
    if (failed.length > 0 && variant !== 'noop') break;
  }
  return failed;
}

test.serial('the conformance suite passes a wrapper around SelectorReactor that changes nothing', async (t) => {
  t.deepEqual(await failedCases('noop'), []);
});

/** The case expected to catch each variant first: the check written for that rule, not an accident. */
const CAUGHT_BY: Readonly<Record<keyof typeof BROKEN_VARIANTS, RegExp>> = {
  'drop-read-3': /among the readers is called exactly once/,
  'drop-read-7': /among the readers is called exactly once/,
  'drop-write-3': /writer is dispatched exactly once|among the writers is called exactly once/,
  'drop-write-7': /among the writers is called exactly once/,
  'drop-error-3': /among the error watchers is called exactly once/,
  'drop-error-7': /among the error watchers is called exactly once/,
  'calls-removed': /a handler removed by an earlier one in the same iteration is not called/,
  'timers-early': /timers run in time order/,
  'timers-out-of-order': /sub-second delays run at their own times/,
  'soon-same-iteration': /soon-calls run in order in the next iteration/,
  'ignores-clock': /timers run in time order/,
};

for (const [variant, what] of Object.entries(BROKEN_VARIANTS)) {
  test.serial(`the conformance suite fails a reactor that ${what}`, async (t) => {
    // Object.entries widens the key to string; the keys are BROKEN_VARIANTS' own.
    const name = variant as keyof typeof BROKEN_VARIANTS;
    const failed = await failedCases(name);
    t.true(failed.length > 0, `${variant} passed every case`);
    t.regex(failed[0] ?? '', CAUGHT_BY[name]);
  });
}
