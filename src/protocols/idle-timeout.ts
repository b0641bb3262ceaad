// Closes a connection that has been silent both ways for too long: the dead-peer guard for a peer
// that vanished without a FIN (or a slow-loris that sends nothing). Wraps any byte protocol.
import { type Address, NotConnectedError, type Protocol, type Transport } from '../contract/index.js';
import { switchProtocol } from './switching.js';
import type { Cancellable, Scheduler } from './scheduler.js';

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
 * the inner protocol's connectionLost then gets an IdleTimeoutError. It sits between a transport and
 * the inner protocol and passes every other event and call through unchanged. With a scheduler that
 * has `seconds()`, activity costs no timer operation (one pending timer re-arms itself). The
 * transport calls throw NotConnectedError before connectionMade. Build it with withIdleTimeout.
 */
export class IdleTimeout<In, Out> implements Protocol<In, Out>, Transport<Out> {
  readonly #inner: Protocol<In, Out>;
  readonly #seconds: number;
  readonly #scheduler: Scheduler;
  #lower: Transport<Out> | undefined;
  #timer: Cancellable | undefined;
  #timedOut = false;
  #lastActivity = 0;

  constructor(inner: Protocol<In, Out>, seconds: number, scheduler: Scheduler) {
    this.#inner = inner;
    this.#seconds = seconds;
    this.#scheduler = scheduler;
  }

  connectionMade(transport: Transport<Out>): void {
    this.#lower = transport;
    this.#touch();
    this.#inner.connectionMade(this);
  }
  dataReceived(data: In): void {
    this.#touch();
    this.#inner.dataReceived(data);
  }
  eofReceived(): boolean {
    return this.#inner.eofReceived?.() === true;
  }
  connectionLost(reason?: Error): void {
    this.#stopTimer();
    this.#inner.connectionLost(this.#timedOut ? new IdleTimeoutError(this.#seconds) : reason);
  }
  pauseWriting(): void {
    this.#inner.pauseWriting?.();
  }
  resumeWriting(): void {
    this.#inner.resumeWriting?.();
  }

  write(data: Out): void {
    this.#touch();
    this.#need('write').write(data);
  }
  writeEOF(): void {
    this.#need('writeEOF').writeEOF();
  }
  close(): void {
    this.#need('close').close();
  }
  abort(): void {
    this.#need('abort').abort();
  }
  pauseReading(): void {
    this.#need('pauseReading').pauseReading();
  }
  /** Resumes dataReceived delivery (the lower transport's resumeReading). */
  resumeReading(): void {
    this.#need('resumeReading').resumeReading();
  }
  /** False while reading is paused (the lower transport's isReading). */
  get isReading(): boolean {
    return this.#need('isReading').isReading;
  }
  get isClosing(): boolean {
    return this.#need('isClosing').isClosing;
  }
  getWriteBufferSize(): number {
    return this.#need('getWriteBufferSize').getWriteBufferSize();
  }
  setWriteBufferLimits(high?: number, low?: number): void {
    this.#need('setWriteBufferLimits').setWriteBufferLimits(high, low);
  }
  /** This end's address (the lower transport's localAddress). */
  get localAddress(): Address {
    return this.#need('localAddress').localAddress;
  }
  /** The peer's address (the lower transport's peerAddress). */
  get peerAddress(): Address {
    return this.#need('peerAddress').peerAddress;
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
      this.#lower?.abort();
    });
  }

  /**
   * Hands the connection to `next` (Transport.setProtocol), which keeps the same idle timeout: a
   * new IdleTimeout around `next` becomes the protocol of the transport below, and this one stops
   * (its timer cancelled; its protocol hears nothing more, as the contract says). Throws
   * ProtocolSwitchError (from switchProtocol) when the transport below cannot switch.
   */
  setProtocol(next: Protocol<Out, Out>, leftover: readonly Out[] = []): void {
    const lower = this.#need('setProtocol');
    this.#stopTimer();
    this.#lower = undefined;
    switchProtocol(lower, new IdleTimeout(next, this.#seconds, this.#scheduler), leftover);
  }

  #need(operation: string): Transport<Out> {
    if (this.#lower === undefined) throw new NotConnectedError(operation, 'the idle timeout layer');
    return this.#lower;
  }
}

/** Wraps `protocol` so its connection closes after `seconds` of silence; 0 or less: no timeout. */
export function withIdleTimeout<In, Out>(protocol: Protocol<In, Out>, seconds: number | undefined, scheduler: Scheduler): Protocol<In, Out> {
  return seconds === undefined || seconds <= 0 ? protocol : new IdleTimeout(protocol, seconds, scheduler);
}
