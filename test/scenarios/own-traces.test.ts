// Our own kernel scenarios (test/fixtures/kernel-own, recorded by oracle.py) replayed on switchboard's
// sockets must give the kernel's trace, x lists aside in x-error scenarios. As in compare.py, a
// beyond-node scenario (DESIGN.md section 0) that differs is reported, not failed.
import test from 'ava';
import { runScenario } from '../../src/scenarios/runner.js';
import { kernelCases, lenient } from '../helpers/kernel-fixtures.js';
import { requireIPv6 } from '../helpers/sockets.js';

for (const { scenario, expected } of kernelCases('kernel-own')) {
  const needsIPv6 = scenario.requires?.includes('ipv6') ?? false;
  const beyondNode = scenario.tags?.includes('beyond-node') ?? false;
  test.serial(`own kernel scenario ${scenario.id} gives the kernel's trace`, async (t) => {
    // oracle.py SKIPs such a scenario where ::1 is missing; here a missing prerequisite fails.
    if (needsIPv6 && !requireIPv6(t)) return;
    const xError = scenario.tags?.includes('x-error') ?? false;
    const trace = await runScenario(scenario);
    if (beyondNode) {
      const got = lenient(trace, xError);
      const want = lenient(expected, xError);
      const first = want.findIndex((entry, i) => JSON.stringify(entry) !== JSON.stringify(got[i]));
      if (first >= 0) t.log(`beyond node:net, differs from step ${first}: see docs/semantics.md`);
      t.is(got.length, want.length);
      return;
    }
    t.deepEqual(lenient(trace, xError), lenient(expected, xError));
  });
}
