// Read and write throttling for one connection, in bytes per second (Twisted's ThrottlingFactory,
// per connection rather than per factory). Wraps a byte protocol of every kind and is its transport, as
// IdleTimeout does; it is not a traffic shaper for a whole server.
//
// Time is cut into windows of `windowSeconds` (default 1) on a fixed grid; each direction may move
// `bytesPerSecond * windowSeconds` bytes per window.
//   reads:  past the budget, the rest of a chunk is held and the transport stops reading (TCP flow
//           control reaches the peer); the held bytes go up in the next windows, then reading resumes.
//   writes: past the budget, bytes queue here and the protocol gets pauseWriting(); the queue goes
//           down in the next windows, and resumeWriting() follows once it is empty (and the transport
//           below is not itself over its high-water mark). A protocol that keeps writing while paused
//           loses nothing: its bytes queue, as in every transport, and count in getWriteBufferSize().
// Unlike Twisted, which lets a window overshoot and then pauses for the excess, no window ever
// carries more than its budget. Held or queued bytes still here when the connection is lost are
// dropped with it.
import { type Address, type Factory, type Protocol, type Transport, TransportClosedError } from '../contract/index.js';
import { type ClockedScheduler, HeldBytes, WindowBudget, WindowClock, budgetFor, checkWindow } from './throttle-window.js';

export type { ClockedScheduler } from './throttle-window.js';

/** Rates and clock of a Throttle; leave a direction's rate undefined to leave it unthrottled. */
export interface ThrottleOptions {
  /** Bytes per second handed to the protocol's dataReceived; undefined: reads are not throttled. */
  readonly readBytesPerSecond?: number | undefined;
  /** Bytes per second passed down to the transport; undefined: writes are not throttled. */
  readonly writeBytesPerSecond?: number | undefined;
  /** Places the windows; the reactor, or a ManualScheduler in tests. */
  readonly scheduler: ClockedScheduler;
  /** The length of one budget window (default 1 s, as Twisted checks each second). */
  readonly windowSeconds?: number;
}

/**
 * Throttles one connection (see the top of this file): a Protocol to the transport below and the
 * Transport of the byte protocol it wraps, so the wrapped protocol is unchanged. Use throttled() to
 * throttle every connection of a factory.
 */
export class Throttle implements Protocol<Uint8Array>, Transport<Uint8Array> {
  readonly #inner: Protocol<Uint8Array>;
  readonly #scheduler: ClockedScheduler;
  readonly #windowSeconds: number;
  readonly #read: WindowBudget | undefined;
  readonly #write: WindowBudget | undefined;
  readonly #heldReads = new HeldBytes();
  readonly #queuedWrites = new HeldBytes();
  #lower: Transport | undefined;
  #clock: WindowClock | undefined;
  #innerWantsReading = true;
  #isEOFHeld = false;
  #isDelivering = false;
  #isDraining = false;
  #lowerPausedWriting = false;
  #innerPausedWriting = false;
  #pendingEnd: 'eof' | 'close' | undefined;
  #isClosing = false;
  #isLost = false;

  /** Throws RangeError for a rate or window that is not a positive number, or a budget under one byte. */
  constructor(inner: Protocol<Uint8Array>, options: ThrottleOptions) {
    this.#inner = inner;
    this.#scheduler = options.scheduler;
    this.#windowSeconds = checkWindow(options.windowSeconds ?? 1);
    this.#read = budgetFor('readBytesPerSecond', options.readBytesPerSecond, this.#windowSeconds);
    this.#write = budgetFor('writeBytesPerSecond', options.writeBytesPerSecond, this.#windowSeconds);
  }

  // ---- the protocol below sees ---------------------------------------------------------------------

  connectionMade(transport: Transport): void {
    this.#lower = transport;
    this.#clock = new WindowClock(this.#scheduler, this.#windowSeconds, () => this.#onWindow());
    this.#inner.connectionMade(this);
  }

  dataReceived(data: Uint8Array): void {
    const budget = this.#read;
    if (budget === undefined) {
      this.#inner.dataReceived(data);
      return;
    }
    const window = this.#window();
    if (this.#heldReads.bytes === 0 && this.#canDeliver() && budget.remaining(window) >= data.length) {
      budget.spend(window, data.length);
      this.#inner.dataReceived(data);
      return;
    }
    if (this.#isClosing) return;
    this.#heldReads.keep(data);
    this.#deliverHeld();
  }

  eofReceived(): boolean {
    if (this.#heldReads.bytes === 0) return this.#inner.eofReceived?.() === true;
    // Our protocol has not read everything yet: keep the connection open, and tell it later.
    this.#isEOFHeld = true;
    return true;
  }

  connectionLost(reason?: Error): void {
    this.#isLost = true;
    this.#clock?.stop();
    this.#heldReads.clear();
    this.#queuedWrites.clear();
    this.#inner.connectionLost(reason);
  }

  pauseWriting(): void {
    this.#lowerPausedWriting = true;
    this.#settleWriting();
  }

  resumeWriting(): void {
    this.#lowerPausedWriting = false;
    this.#drainWrites();
  }

  // ---- the protocol above sees ---------------------------------------------------------------------

  write(data: Uint8Array): void {
    if (this.#isClosing || this.#pendingEnd !== undefined) throw new TransportClosedError('Cannot write to a throttled transport that is closing');
    const budget = this.#write;
    const lower = this.#need();
    if (budget === undefined) {
      lower.write(data);
      return;
    }
    const window = this.#window();
    if (this.#queuedWrites.bytes === 0 && budget.remaining(window) >= data.length) {
      budget.spend(window, data.length);
      lower.write(data);
      return;
    }
    this.#queuedWrites.keep(data);
    this.#drainWrites();
  }

  writeEOF(): void {
    if (this.#isClosing || this.#pendingEnd !== undefined) return;
    if (this.#queuedWrites.bytes > 0) this.#pendingEnd = 'eof';
    else this.#need().writeEOF();
  }

  close(): void {
    if (this.#isClosing) return;
    this.#isClosing = true;
    // A closing transport reads no more (SocketTransport's rule): what is held is never wanted now.
    this.#heldReads.clear();
    this.#isEOFHeld = false;
    const lower = this.#need();
    lower.pauseReading();
    if (this.#queuedWrites.bytes > 0) this.#pendingEnd = 'close';
    else lower.close();
  }

  abort(): void {
    this.#isClosing = true;
    this.#heldReads.clear();
    this.#queuedWrites.clear();
    this.#clock?.stop();
    this.#need().abort();
  }

  pauseReading(): void {
    this.#innerWantsReading = false;
    this.#need().pauseReading();
  }

  resumeReading(): void {
    this.#innerWantsReading = true;
    if (this.#read === undefined) this.#need().resumeReading();
    else this.#deliverHeld();
  }

  get isReading(): boolean {
    return this.#innerWantsReading && !this.isClosing;
  }
  get isClosing(): boolean {
    return this.#isClosing || this.#need().isClosing;
  }
  /** The transport's own buffer plus the bytes waiting here for a later window. */
  getWriteBufferSize(): number {
    return this.#need().getWriteBufferSize() + this.#queuedWrites.bytes;
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

  // ---- windows -------------------------------------------------------------------------------------

  #onWindow(): void {
    this.#deliverHeld();
    this.#drainWrites();
  }

  #window(): number {
    return this.#clock?.current() ?? 0;
  }

  #canDeliver(): boolean {
    return this.#innerWantsReading && !this.#isClosing && !this.#isLost;
  }

  #deliverHeld(): void {
    const budget = this.#read;
    // Re-entry (the protocol resumes reading from inside dataReceived) continues the outer loop.
    if (budget === undefined || this.#isDelivering) return;
    this.#isDelivering = true;
    try {
      while (this.#canDeliver()) {
        const window = this.#window();
        const piece = this.#heldReads.takeUpTo(budget.remaining(window));
        if (piece === undefined) break;
        budget.spend(window, piece.length);
        this.#inner.dataReceived(piece);
      }
    } finally {
      this.#isDelivering = false;
    }
    this.#settleReading();
  }

  #settleReading(): void {
    if (this.#isClosing || this.#isLost) return;
    const lower = this.#need();
    if (this.#heldReads.bytes > 0) {
      lower.pauseReading();
      if (this.#innerWantsReading) this.#clock?.waitForNextWindow();
      return;
    }
    if (this.#isEOFHeld) {
      this.#isEOFHeld = false;
      if (this.#inner.eofReceived?.() !== true) this.close();
      return;
    }
    if (this.#innerWantsReading) lower.resumeReading();
  }

  #drainWrites(): void {
    const budget = this.#write;
    if (budget === undefined || this.#isDraining || this.#isLost) return;
    const lower = this.#need();
    this.#isDraining = true;
    try {
      // lower.write() may call our pauseWriting() at once: the loop stops there.
      while (!this.#lowerPausedWriting) {
        const window = this.#window();
        const piece = this.#queuedWrites.takeUpTo(budget.remaining(window));
        if (piece === undefined) break;
        budget.spend(window, piece.length);
        lower.write(piece);
      }
    } finally {
      this.#isDraining = false;
    }
    if (this.#queuedWrites.bytes > 0) {
      if (!this.#lowerPausedWriting) this.#clock?.waitForNextWindow();
    } else if (this.#pendingEnd !== undefined) {
      const end = this.#pendingEnd;
      this.#pendingEnd = undefined;
      if (end === 'eof') lower.writeEOF();
      else lower.close();
    }
    this.#settleWriting();
  }

  /** Tells the protocol to pause while either the budget or the transport below says so. */
  #settleWriting(): void {
    if (this.#isLost) return;
    const shouldPause = this.#lowerPausedWriting || this.#queuedWrites.bytes > 0;
    if (shouldPause === this.#innerPausedWriting) return;
    this.#innerPausedWriting = shouldPause;
    if (shouldPause) this.#inner.pauseWriting?.();
    else this.#inner.resumeWriting?.();
  }

  #need(): Transport {
    if (this.#lower === undefined) throw new Error('Throttle: not connected yet');
    return this.#lower;
  }
}

/**
 * A factory whose every connection is throttled to the given rates; the wrapped factory's refusal
 * (for connection limits) and connectionFailed are kept. Throws RangeError for bad options at once.
 */
export function throttled(factory: Factory, options: ThrottleOptions): Factory {
  const windowSeconds = checkWindow(options.windowSeconds ?? 1);
  budgetFor('readBytesPerSecond', options.readBytesPerSecond, windowSeconds);
  budgetFor('writeBytesPerSecond', options.writeBytesPerSecond, windowSeconds);
  const refusal = factory.refusal?.bind(factory);
  const connectionFailed = factory.connectionFailed?.bind(factory);
  return {
    buildProtocol: (peer) => new Throttle(factory.buildProtocol(peer), options),
    ...(refusal === undefined ? {} : { refusal }),
    ...(connectionFailed === undefined ? {} : { connectionFailed }),
  };
}
