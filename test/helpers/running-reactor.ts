// A SelectorReactor that runs until the test ends, for tests that drive endpoints directly.
import type { ExecutionContext } from 'ava';
import { SelectorReactor } from '../../src/reactor/selector-reactor.js';
import type { Reactor } from '../../src/reactor/reactor.js';
import type { ListeningPort } from '../../src/transports/endpoints.js';

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

/** Something with AVA's teardown: an ExecutionContext, or a test's own narrower view of one. */
export type Teardown = { teardown(fn: () => Promise<void> | void): void };

/** Starts `reactor.run()` and registers a teardown that stops listening, closes connections and waits for run() to end. */
export function runUntilTeardown(t: Teardown, reactor: Reactor, listening: ListeningPort): void {
  const running = reactor.run();
  t.teardown(async () => {
    listening.stopListening();
    listening.closeConnections();
    reactor.stop();
    await running;
  });
}
