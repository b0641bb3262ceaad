// The conformance suite against every bundled reactor and socket family, one AVA test per case:
// titled `SelectorReactor/tcp4: <case>`.
import test from 'ava';
import { planCases, removeUnixDir, runCase, type ReactorFactory } from '../src/conformance/index.js';
import { SelectReactor } from '../src/reactor/select-reactor.js';
import { SelectorReactor } from '../src/reactor/selector-reactor.js';
import { ipv6LoopbackAvailable } from '../src/scenarios/runner.js';

const REACTORS: Readonly<Record<string, ReactorFactory>> = {
  SelectorReactor: (options) => new SelectorReactor(options),
  SelectReactor: (options) => new SelectReactor(options),
};

const families = ipv6LoopbackAvailable() ? (['tcp4', 'tcp6', 'unix', 'pair'] as const) : (['tcp4', 'unix', 'pair'] as const);

test.after.always(() => removeUnixDir());

for (const [name, makeReactor] of Object.entries(REACTORS)) {
  for (const planned of planCases(families)) {
    test.serial(`${name}/${planned.title}`, async (t) => {
      const result = await runCase(makeReactor, planned);
      t.true(result.ok, result.reason);
    });
  }
}
