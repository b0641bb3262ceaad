// The socket-option matrix (issue 17, test/fixtures/kernel-options, recorded by oracle.py) replayed
// on switchboard's sockets must give the kernel's trace, cell for cell.
import test from 'ava';
import { runScenario } from '../../src/scenarios/runner.js';
import { kernelCases } from '../helpers/kernel-fixtures.js';
import { requireIPv6 } from '../helpers/sockets.js';

const cases = kernelCases('kernel-options');

test('the option matrix covers every kind of socket in every family', (t) => {
  t.is(cases.length, 20);
});

for (const { scenario, expected } of cases) {
  test.serial(`option scenario ${scenario.id} gives the kernel's trace`, async (t) => {
    // oracle.py SKIPs such a scenario where ::1 is missing; here a missing prerequisite fails.
    if ((scenario.requires?.includes('ipv6') ?? false) && !requireIPv6(t)) return;
    t.deepEqual(await runScenario(scenario), expected);
  });
}
