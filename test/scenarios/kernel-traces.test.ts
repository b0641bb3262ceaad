// Every kernel scenario replayed on switchboard's sockets must give the kernel's own trace, with
// the one documented difference: the x list in scenarios tagged x-error.
import test from 'ava';
import { runScenario } from '../../src/scenarios/runner.js';
import { kernelCases, lenient } from '../helpers/kernel-fixtures.js';
import { requireIPv6 } from '../helpers/sockets.js';

for (const { scenario, expected } of kernelCases()) {
  const needsIPv6 = scenario.requires?.includes('ipv6') ?? false;
  test.serial(`kernel scenario ${scenario.id} gives the kernel's trace`, async (t) => {
    // oracle.py SKIPs such a scenario where ::1 is missing; here a missing prerequisite fails.
    if (needsIPv6 && !requireIPv6(t)) return;
    const xError = scenario.tags?.includes('x-error') ?? false;
    const trace = await runScenario(scenario);
    t.deepEqual(lenient(trace, xError), lenient(expected, xError));
  });
}
