// The reset-and-close matrix (issue 17, test/fixtures/kernel-matrix): every state a peer can leave a
// socket in, x every family, x each call made first, recorded on the kernel by oracle.py. Each
// scenario must give the kernel's trace (x lists aside: every matrix scenario is x-error), except
// those listed in differs.json with the reason for their class; those must still differ, so the
// list cannot go stale when the emulation is fixed.
import test from 'ava';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { runScenario } from '../../src/scenarios/runner.js';
import { kernelCases, lenient } from '../helpers/kernel-fixtures.js';
import { requireIPv6 } from '../helpers/sockets.js';

interface Differs {
  readonly classes: Readonly<Record<string, string>>;
  readonly scenarios: Readonly<Record<string, string>>;
}

// Our own committed fixture file.
const differs = JSON.parse(readFileSync(fileURLToPath(new URL('../../../test/fixtures/kernel-matrix/differs.json', import.meta.url)), 'utf8')) as Differs;
const cases = kernelCases('kernel-matrix');

test('the matrix covers every family and names a reason for each listed difference', (t) => {
  t.true(cases.length >= 290, `${cases.length} scenarios`);
  for (const family of ['inet', 'inet6', 'unix', 'pair']) t.true(cases.some(({ scenario }) => scenario.id.includes(`-${family}-`)), family);
  for (const [id, reason] of Object.entries(differs.scenarios)) {
    t.truthy(differs.classes[reason], `${id}: class ${reason} has no reason`);
    t.true(cases.some(({ scenario }) => scenario.id === id), `${id} is not a matrix scenario`);
  }
});

for (const { scenario, expected } of cases) {
  const listed = differs.scenarios[scenario.id];
  const title = listed === undefined ? `matrix scenario ${scenario.id} gives the kernel's trace` : `matrix scenario ${scenario.id} still differs from the kernel (${listed})`;
  test.serial(title, async (t) => {
    if (scenario.requires?.includes('ipv6') === true && !requireIPv6(t)) return;
    const trace = lenient(await runScenario(scenario), true);
    const kernel = lenient(expected, true);
    if (listed === undefined) t.deepEqual(trace, kernel);
    else t.notDeepEqual(trace, kernel, `${scenario.id} now matches the kernel: remove it from differs.json`);
  });
}
