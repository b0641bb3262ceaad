// Closes a connection that has been silent both ways for too long: the dead-peer guard for a peer
// that vanished without a FIN (or a slow-loris that sends nothing). Wraps any byte protocol.
import type { Address } from '../transports/address.js';
import type { Protocol, Transport } from '../transports/protocol.js';
import type { Cancellable, Scheduler } from './scheduler.js';

/** The reason a connection closed by the idle timeout reports in connectionLost. */
export class IdleTimeoutError extends Error {
  override name = 'IdleTimeoutError';
  readonly code = 'ERR_IDLE_TIMEOUT' as const;
  readonly seconds: number;

  constructor(seconds: number) {
    super(`No data in either direction for ${seconds} s: the connection was closed`);
    this.seconds = seconds;
  }
}

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
    this.#need().write(data);
  }
  writeEOF(): void {
    this.#need().writeEOF();
  }
  close(): void {
    this.#need().close();
  }
  abort(): void {
    this.#need().abort();
  }
  pauseReading(): void {
    this.#need().pauseReading();
  }
  resumeReading(): void {
    this.#need().resumeReading();
  }
  get isReading(): boolean {
    return this.#need().isReading;
  }
  get isClosing(): boolean {
    return this.#need().isClosing;
  }
  getWriteBufferSize(): number {
    return this.#need().getWriteBufferSize();
  }
  setWriteBufferLimits(high?: number, low?: number): void {
    this.#need().setWriteBufferLimits(high, low);
  }
  get localAddress(): Address {
    return this.#need().localAddress;
  }
  get peerAddress(): Address {
    return this.#need().peerAddress;
  }

  #stopTimer(): void {
    // A timer that already fired cannot be cancelled (Twisted's rule): only cancel a pending one.
    if (this.#timer?.active() === true) this.#timer.cancel();
    this.#timer = undefined;
  }

  #touch(): void {
    const clock = this.#scheduler.seconds?.bind(this.#scheduler);
    if (clock === undefined) {
      this.#stopTimer();
      this.#arm(this.#seconds);
      return;
    }
    // Per message only a time is noted; the one pending timer, when it fires, re-arms itself for
    // what is left (Twisted's TimeoutMixin resets a DelayedCall per message; this is cheaper still).
    this.#lastActivity = clock();
    if (this.#timer === undefined) this.#arm(this.#seconds);
  }

  #arm(after: number): void {
    this.#timer = this.#scheduler.callLater(after, () => {
      this.#timer = undefined;
      const clock = this.#scheduler.seconds?.bind(this.#scheduler);
      const idleFor = clock === undefined ? this.#seconds : clock() - this.#lastActivity;
      if (idleFor < this.#seconds) {
        this.#arm(this.#seconds - idleFor);
        return;
      }
      this.#timedOut = true;
      this.#lower?.abort();
    });
  }

  #need(): Transport<Out> {
    if (this.#lower === undefined) throw new Error('IdleTimeout: not connected yet');
    return this.#lower;
  }
}

/** Wraps `protocol` so its connection closes after `seconds` of silence; 0 or less: no timeout. */
export function withIdleTimeout<In, Out>(protocol: Protocol<In, Out>, seconds: number | undefined, scheduler: Scheduler): Protocol<In, Out> {
  return seconds === undefined || seconds <= 0 ? protocol : new IdleTimeout(protocol, seconds, scheduler);
}
