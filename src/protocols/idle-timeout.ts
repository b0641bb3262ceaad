// Closes a connection that has been silent both ways for too long: the dead-peer guard for a peer
// that vanished without a FIN (or a slow-loris that sends nothing). Wraps any byte protocol.
import type { Factory, Protocol, Transport } from '../contract/index.js';
import { ProtocolWrapper } from './protocol-wrapper.js';
import type { Cancellable, Scheduler } from './scheduler.js';
import { wrapFactory } from './wrap-factory.js';

/** The reason a connection closed by the idle timeout reports in connectionLost. */
export class IdleTimeoutError extends Error {
  /** `'IdleTimeoutError'`. */
  override name = 'IdleTimeoutError';
  /** Always `'ERR_IDLE_TIMEOUT'`, for a `switch (err.code)`. */
  readonly code = 'ERR_IDLE_TIMEOUT' as const;
  /** The idle time allowed, in seconds, that the connection reached. */
  readonly seconds: number;

  constructor(seconds: number) {
    super(`No data in either direction for ${seconds} s: the connection was closed`);
    this.seconds = seconds;
  }
}

/**
 * A Protocol wrapper that aborts the connection once nothing was received or written for `seconds`;
 * the inner protocol's connectionLost then gets an IdleTimeoutError. Every other event and call
 * passes through unchanged (ProtocolWrapper); a protocol switch keeps the timer running for the next
 * protocol. With a scheduler that has `seconds()`, activity costs no timer operation (one pending
 * timer re-arms itself). The transport calls throw NotConnectedError before connectionMade. Build it
 * with withIdleTimeout, or idleTimeoutFactory for every connection of a factory.
 */
export class IdleTimeout<M = Uint8Array> extends ProtocolWrapper<M> {
  readonly #seconds: number;
  readonly #scheduler: Scheduler;
  #timer: Cancellable | undefined;
  #timedOut = false;
  #lastActivity = 0;

  constructor(inner: Protocol<M, M>, seconds: number, scheduler: Scheduler) {
    super(inner, 'the idle timeout layer');
    this.#seconds = seconds;
    this.#scheduler = scheduler;
  }

  /** Starts the timer (again after a protocol switch: the connection was active) and connects the inner protocol. */
  override connectionMade(transport: Transport<M>): void {
    this.#touch();
    super.connectionMade(transport);
  }
  /** Counts as activity, then passes `data` up. */
  override dataReceived(data: M): void {
    this.#touch();
    super.dataReceived(data);
  }
  /** Stops the timer; the inner protocol gets IdleTimeoutError as the reason if the timeout closed the connection. */
  override connectionLost(reason?: Error): void {
    this.#stopTimer();
    super.connectionLost(this.#timedOut ? new IdleTimeoutError(this.#seconds) : reason);
  }
  /** Counts as activity, then writes below. */
  override write(data: M): void {
    this.#touch();
    super.write(data);
  }

  #stopTimer(): void {
    // A timer that already fired cannot be cancelled (Twisted's rule): only cancel a pending one.
    if (this.#timer?.active() === true) this.#timer.cancel();
    this.#timer = undefined;
  }

  #touch(): void {
    // Called per message: the clock is called as a method, never bound (a bound function per call).
    const now = this.#scheduler.seconds?.();
    if (now === undefined) {
      this.#stopTimer();
      this.#arm(this.#seconds);
      return;
    }
    // Per message only a time is noted; the one pending timer, when it fires, re-arms itself for
    // what is left (Twisted's TimeoutMixin resets a DelayedCall per message; this is cheaper still).
    this.#lastActivity = now;
    if (this.#timer === undefined) this.#arm(this.#seconds);
  }

  #arm(after: number): void {
    this.#timer = this.#scheduler.callLater(after, () => {
      this.#timer = undefined;
      const now = this.#scheduler.seconds?.();
      const idleFor = now === undefined ? this.#seconds : now - this.#lastActivity;
      if (idleFor < this.#seconds) {
        this.#arm(this.#seconds - idleFor);
        return;
      }
      this.#timedOut = true;
      this.transportBelowIfAny?.abort();
    });
  }
}

/** Wraps `protocol` so its connection closes after `seconds` of silence; 0 or less: no timeout. */
export function withIdleTimeout<M>(protocol: Protocol<M, M>, seconds: number | undefined, scheduler: Scheduler): Protocol<M, M> {
  return seconds === undefined || seconds <= 0 ? protocol : new IdleTimeout(protocol, seconds, scheduler);
}

/**
 * A factory whose every connection closes after `seconds` of silence (withIdleTimeout on each
 * protocol); `factory`'s refusal and connectionFailed are kept. 0 or less: `factory` itself.
 */
export function idleTimeoutFactory<M>(factory: Factory<M, M>, seconds: number | undefined, scheduler: Scheduler): Factory<M, M> {
  if (seconds === undefined || seconds <= 0) return factory;
  return wrapFactory(factory, (protocol) => new IdleTimeout(protocol, seconds, scheduler));
}
