// Runs a reactor with a listening port for one test: stopped, with its connections closed, at teardown.
import type { ExecutionContext } from 'ava';
import type { ListeningPort, Reactor } from '../../src/index.js';

/** Starts `reactor.run()` and registers a teardown that stops listening, closes connections and waits for run() to end. */
export function runUntilTeardown(t: ExecutionContext, reactor: Reactor, listening: ListeningPort): void {
  const running = reactor.run();
  t.teardown(async () => {
    listening.stopListening();
    listening.closeConnections();
    reactor.stop();
    await running;
  });
}
