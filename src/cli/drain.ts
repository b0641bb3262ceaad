// Graceful drain for the CLI's servers (SIGTERM, Ctrl-C, a rolling restart): stop accepting, let
// each connection finish what it is doing, then stop; bounded by --drain-timeout, past which the
// rest are closed and the exit status says so. "Finish" is the protocol's call when it knows how:
// HTTP answers the request in flight (a 64 MiB body is not cut) with `Connection: close` and closes
// an idle keep-alive connection at once; a protocol with no notion of a request (echo, chat, resp)
// is closed once what it queued is written, as before.
import type { Factory, Protocol, Transport } from '../contract/index.js';
import { ProtocolWrapper } from '../protocols/protocol-wrapper.js';

/** Exit status of a server whose drain ran out of time with connections still open. */
export const DRAIN_TIMED_OUT_EXIT = 3;
/** Seconds a drain may take without --drain-timeout (Kubernetes' default grace period is 30 s too). */
export const DEFAULT_DRAIN_SECONDS = 30;

/**
 * A protocol that can finish gracefully (HttpServerProtocol). `drain()` returns false when the
 * protocol no longer holds its connection (it handed it to another after an HTTP Upgrade): the
 * connection is then closed like any other.
 */
export interface Drainable {
  drain(): boolean;
}

const isDrainable = (protocol: object): protocol is Drainable => typeof (protocol as Partial<Drainable>).drain === 'function';

/**
 * One connection as the tracker sees it: a layer around its protocol (kept around the next one
 * after an HTTP Upgrade, so the tracker always hears the end).
 */
class TrackedConnection extends ProtocolWrapper {
  // The tracker's set and the tracker itself, not two closures over them: every idle connection holds
  // one of these, and two closures with their context cost ~150 B each connection.
  readonly #open: Set<TrackedConnection>;
  readonly #tracker: { readonly isDraining: boolean };

  constructor(inner: Protocol, open: Set<TrackedConnection>, tracker: { readonly isDraining: boolean }) {
    super(inner, 'the drain tracker');
    this.#open = open;
    this.#tracker = tracker;
  }

  override connectionMade(transport: Transport): void {
    super.connectionMade(transport);
    // Built after the drain began (a connection already on its way to a worker): it drains too.
    if (this.#tracker.isDraining) this.drain();
  }

  override connectionLost(reason?: Error): void {
    this.#open.delete(this);
    super.connectionLost(reason);
  }

  /** Asks the protocol to finish, or closes the connection once its queued data is out. */
  drain(): void {
    const below = this.transportBelowIfAny;
    if (below === undefined || below.isClosing) return;
    const inner = this.wrapped;
    if (isDrainable(inner) && inner.drain()) return;
    below.close();
  }

  /** Closes the connection now, its queued data dropped. */
  abortNow(): void {
    this.transportBelowIfAny?.abort();
  }
}

/** The connections of one or more factories, to drain them all at once. */
export class DrainTracker {
  readonly #open = new Set<TrackedConnection>();
  #isDraining = false;

  /** True once drainAll() was called. */
  get isDraining(): boolean {
    return this.#isDraining;
  }

  /** `factory`, with each connection it builds tracked (the protocols themselves are unchanged). */
  wrap(factory: Factory): Factory {
    const refusal = factory.refusal?.bind(factory);
    return {
      buildProtocol: (peer) => {
        const connection = new TrackedConnection(factory.buildProtocol(peer), this.#open, this);
        this.#open.add(connection);
        return connection;
      },
      ...(refusal === undefined ? {} : { refusal }),
    };
  }

  /** Drains every open connection (see the top of this file); later connections are drained as they come. */
  drainAll(): void {
    this.#isDraining = true;
    for (const connection of [...this.#open]) connection.drain();
  }

  /** The drain ran out of time: every connection still open is closed now, its queued data dropped. */
  abortAll(): void {
    for (const connection of [...this.#open]) connection.abortNow();
    this.#open.clear();
  }
}

/**
 * Waits (polling `openCount` on `callLater`) until no connection is open, or `timeoutSeconds` passed:
 * resolves with the exit status, 0 or DRAIN_TIMED_OUT_EXIT (said once on stderr, with the count).
 */
export function whenDrained(openCount: () => number, timeoutSeconds: number, clock: { callLater(seconds: number, fn: () => void): unknown; seconds(): number }): Promise<number> {
  const deadline = clock.seconds() + timeoutSeconds;
  return new Promise((resolve) => {
    const check = (): void => {
      const open = openCount();
      if (open === 0) resolve(0);
      else if (clock.seconds() >= deadline) {
        process.stderr.write(`switchboard serve: drain timed out after ${timeoutSeconds} s with ${open} connection(s) open; closing them (exit status ${DRAIN_TIMED_OUT_EXIT})\n`);
        resolve(DRAIN_TIMED_OUT_EXIT);
      } else clock.callLater(0.02, check);
    };
    check();
  });
}
