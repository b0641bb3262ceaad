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
import { type Factory, type Protocol, type Transport, TransportClosedError } from '../contract/index.js';
import { ProtocolWrapper } from './protocol-wrapper.js';
import { type ClockedScheduler, HeldBytes, WindowBudget, WindowClock, budgetFor, checkWindow } from './throttle-window.js';
import { wrapFactory } from './wrap-factory.js';

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
 * Transport of the byte protocol it wraps, so the wrapped protocol is unchanged (a ProtocolWrapper
 * overriding the reading, writing and closing calls; the rest passes through). A protocol switch
 * keeps the windows, the held reads and the queued writes. Use throttled() to throttle every
 * connection of a factory.
 */
export class Throttle extends ProtocolWrapper<Uint8Array> {
  readonly #scheduler: ClockedScheduler;
  readonly #windowSeconds: number;
  readonly #read: WindowBudget | undefined;
  readonly #write: WindowBudget | undefined;
  readonly #heldReads = new HeldBytes();
  readonly #queuedWrites = new HeldBytes();
  #clock: WindowClock | undefined;
  #innerWantsReading = true;
  #isEOFHeld = false;
  /** Bytes at the front of #heldReads that a switch gave back as leftover: delivered outside the budget. */
  #leftoverBytes = 0;
  #isDelivering = false;
  #isDraining = false;
  #lowerPausedWriting = false;
  #innerPausedWriting = false;
  #pendingEnd: 'eof' | 'close' | undefined;
  #isClosing = false;
  #isLost = false;

  /** Throws RangeError for a rate or window that is not a positive number, or a budget under one byte. */
  constructor(inner: Protocol<Uint8Array>, options: ThrottleOptions) {
    super(inner, 'the throttle layer');
    this.#scheduler = options.scheduler;
    this.#windowSeconds = checkWindow(options.windowSeconds ?? 1);
    this.#read = budgetFor('readBytesPerSecond', options.readBytesPerSecond, this.#windowSeconds);
    this.#write = budgetFor('writeBytesPerSecond', options.writeBytesPerSecond, this.#windowSeconds);
  }

  // ---- the protocol below sees ---------------------------------------------------------------------

  /** Starts the window grid (once: a protocol switch re-announces the connection and keeps it). */
  override connectionMade(transport: Transport): void {
    this.#clock ??= new WindowClock(this.#scheduler, this.#windowSeconds, () => this.#onWindow());
    super.connectionMade(transport);
  }

  /** Passes `data` up within the read budget; the rest is held for later windows, reading paused below. */
  override dataReceived(data: Uint8Array): void {
    const budget = this.#read;
    if (budget === undefined) {
      this.wrapped.dataReceived(data);
      return;
    }
    const window = this.#window();
    if (this.#heldReads.bytes === 0 && this.#canDeliver() && budget.remaining(window) >= data.length) {
      budget.spend(window, data.length);
      this.wrapped.dataReceived(data);
      return;
    }
    if (this.#isClosing) return;
    this.#heldReads.keep(data);
    this.#deliverHeld();
  }

  /** Passes EOF up once every held byte is; until then keeps the connection open. */
  override eofReceived(): boolean {
    if (this.#heldReads.bytes === 0) return super.eofReceived();
    // Our protocol has not read everything yet: keep the connection open, and tell it later.
    this.#isEOFHeld = true;
    return true;
  }

  /** Drops what is held or queued and passes the loss up. */
  override connectionLost(reason?: Error): void {
    this.#isLost = true;
    this.#clock?.stop();
    this.#dropHeldReads();
    this.#queuedWrites.clear();
    super.connectionLost(reason);
  }

  /** The transport below is over its high-water mark: the protocol above pauses too. */
  override pauseWriting(): void {
    this.#lowerPausedWriting = true;
    this.#settleWriting();
  }

  /** The transport below drained: queued writes go on, and the protocol above resumes once none wait. */
  override resumeWriting(): void {
    this.#lowerPausedWriting = false;
    this.#drainWrites();
  }

  // ---- the protocol above sees ---------------------------------------------------------------------

  /** Writes within the write budget; the rest queues for later windows and the protocol above pauses. */
  override write(data: Uint8Array): void {
    if (this.#isClosing || this.#pendingEnd !== undefined) throw new TransportClosedError('Cannot write to a throttled transport that is closing');
    const budget = this.#write;
    const lower = this.transportBelow('write');
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

  /** Shuts down writing below once the queued writes are out. */
  override writeEOF(): void {
    this.transportBelow('writeEOF');
    if (this.#isClosing || this.#pendingEnd !== undefined) return;
    if (this.#queuedWrites.bytes > 0) this.#pendingEnd = 'eof';
    else super.writeEOF();
  }

  /** Stops reading, drops held reads, and closes below once the queued writes are out. */
  override close(): void {
    const lower = this.transportBelow('close');
    if (this.#isClosing) return;
    this.#isClosing = true;
    // A closing transport reads no more (SocketTransport's rule): what is held is never wanted now.
    this.#dropHeldReads();
    this.#isEOFHeld = false;
    lower.pauseReading();
    if (this.#queuedWrites.bytes > 0) this.#pendingEnd = 'close';
    else lower.close();
  }

  /** Drops everything held or queued and aborts below. */
  override abort(): void {
    const lower = this.transportBelow('abort');
    this.#isClosing = true;
    this.#dropHeldReads();
    this.#queuedWrites.clear();
    this.#clock?.stop();
    lower.abort();
  }

  /** Pauses reading below (held bytes wait too). */
  override pauseReading(): void {
    this.#innerWantsReading = false;
    super.pauseReading();
  }

  /** Delivers held bytes within the budget first; reading below resumes once none are held. */
  override resumeReading(): void {
    this.#innerWantsReading = true;
    if (this.#read === undefined) super.resumeReading();
    else this.#deliverHeld();
  }

  /** False after pauseReading() until resumeReading(), and once closing. */
  override get isReading(): boolean {
    const below = this.transportBelow('isReading');
    return this.#innerWantsReading && !this.#isClosing && !below.isClosing;
  }
  /** True once close() or abort() was called here, or the transport below is closing. */
  override get isClosing(): boolean {
    return this.#isClosing || super.isClosing;
  }
  /** The transport's own buffer plus the bytes waiting here for a later window. */
  override getWriteBufferSize(): number {
    return super.getWriteBufferSize() + this.#queuedWrites.bytes;
  }

  /**
   * Transport.setProtocol, keeping the windows, queued writes and held reads: `next` gets the
   * `leftover` first (held here, ahead of the bytes the old protocol never saw, and not spent from
   * the read budget again), pauseWriting() if writes queue here or below, then the rest of the stream.
   */
  override setProtocol(next: Protocol<Uint8Array>, leftover: readonly Uint8Array[] = []): void {
    this.#innerPausedWriting = false;
    if (this.#read === undefined) {
      super.setProtocol(next, leftover);
    } else {
      super.setProtocol(next);
      const before = this.#heldReads.bytes;
      this.#heldReads.keepFirst(leftover);
      this.#leftoverBytes += this.#heldReads.bytes - before;
      this.#deliverHeld();
    }
    this.#settleWriting();
  }

  // ---- windows -------------------------------------------------------------------------------------

  #onWindow(): void {
    this.#deliverHeld();
    this.#drainWrites();
  }

  #dropHeldReads(): void {
    this.#heldReads.clear();
    this.#leftoverBytes = 0;
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
        // A switch's leftover was spent from the budget when the old protocol got it: it is free.
        const isLeftover = this.#leftoverBytes > 0;
        const piece = this.#heldReads.takeChunk(isLeftover ? this.#leftoverBytes : budget.remaining(window));
        if (piece === undefined) break;
        if (isLeftover) this.#leftoverBytes -= piece.length;
        else budget.spend(window, piece.length);
        this.wrapped.dataReceived(piece);
      }
    } finally {
      this.#isDelivering = false;
    }
    this.#settleReading();
  }

  #settleReading(): void {
    if (this.#isClosing || this.#isLost) return;
    const lower = this.transportBelow('resumeReading');
    if (this.#heldReads.bytes > 0) {
      lower.pauseReading();
      if (this.#innerWantsReading) this.#clock?.waitForNextWindow();
      return;
    }
    if (this.#isEOFHeld) {
      this.#isEOFHeld = false;
      if (!super.eofReceived()) this.close();
      return;
    }
    if (this.#innerWantsReading) lower.resumeReading();
  }

  #drainWrites(): void {
    const budget = this.#write;
    if (budget === undefined || this.#isDraining || this.#isLost) return;
    const lower = this.transportBelow('write');
    this.#isDraining = true;
    try {
      // lower.write() may call our pauseWriting() at once: the loop stops there.
      while (!this.#lowerPausedWriting) {
        const window = this.#window();
        const piece = this.#queuedWrites.takeChunk(budget.remaining(window));
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
    if (shouldPause) super.pauseWriting();
    else super.resumeWriting();
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
  return wrapFactory(factory, (protocol) => new Throttle(protocol, options));
}
