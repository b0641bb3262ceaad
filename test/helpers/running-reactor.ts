// A SelectorReactor that runs until the test ends, for tests that drive endpoints directly.
import type { ExecutionContext } from 'ava';
import { SelectorReactor } from '../../src/reactor/selector-reactor.js';

/** A new SelectorReactor, running now and stopped (and awaited) at the test's teardown. */
export function runningReactor(t: ExecutionContext): SelectorReactor {
  const reactor = new SelectorReactor();
  const done = reactor.run();
  t.teardown(async () => {
    reactor.stop();
    await done;
  });
  return reactor;
}
