// Every kernel scenario replayed on switchboard's sockets must give the kernel's own trace, with
// the one documented difference: the x list in scenarios tagged x-error.
import test from 'ava';
import { ipv6LoopbackAvailable, runScenario } from '../../src/scenarios/runner.js';
import { kernelCases, lenient } from '../helpers/kernel-fixtures.js';

const hasIPv6 = ipv6LoopbackAvailable();

for (const { scenario, expected } of kernelCases()) {
  const needsIPv6 = scenario.requires?.includes('ipv6') ?? false;
  test.serial(`kernel scenario ${scenario.id} gives the kernel's trace`, async (t) => {
    if (needsIPv6 && !hasIPv6) {
      t.log('::1 cannot be bound on this machine; the scenario needs it, as oracle.py would SKIP it');
      t.pass();
      return;
    }
    const xError = scenario.tags?.includes('x-error') ?? false;
    const trace = await runScenario(scenario);
    t.deepEqual(lenient(trace, xError), lenient(expected, xError));
  });
}
