// One way to report an unexpected error caught outside the reactor's own dispatch (a connection's
// start, an accept loop): to the reactor's onError when it has one, else to stderr.
import type { Reactor } from './reactor.js';

/** Reports `error` once through `reactor.reportError` (ReactorOptions.onError), or console.error for a reactor without one. */
export function reportError(reactor: Reactor, error: unknown, context: string): void {
  if (reactor.reportError !== undefined) reactor.reportError(error, context);
  else console.error(`switchboard: ${context}:`, error);
}
