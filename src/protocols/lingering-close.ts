// Closing a connection whose peer may still be sending (nginx's lingering_close, Apache's
// lingering_close): write the last answer, shut down writing, read and discard for a bounded time
// and amount, then close. A plain close() with unread input makes the kernel send a reset, which
// destroys the answer still in flight (a 413, or the end of a `Connection: close` download).
//
//   start: last answer written, writeEOF()    -> draining (our bytes still queued) -> lingering
//   draining: no progress for lingeringTimeout -> abort (the peer does not read)
//   lingering: nothing heard for lingeringTimeout, lingeringTime since start, maxDiscardBytes read,
//              or the peer's EOF                 -> close
// Generic over the Transport contract: HTTP error answers and last responses use it, and so may a
// listener closing a refused connection.
import type { Protocol, Transport } from '../contract/index.js';
import type { Cancellable, Scheduler } from './scheduler.js';

/** Bounds of a lingering close; see DEFAULT_LINGERING for the defaults (docs/limits.md). */
export interface LingeringOptions {
  /** Most seconds a connection lingers from its start, whatever it hears (nginx lingering_time). */
  readonly lingeringTime?: number;
  /** Seconds of silence from the peer (or of no progress sending) that end it (nginx lingering_timeout). */
  readonly lingeringTimeout?: number;
  /** Most bytes read and discarded before closing anyway. */
  readonly maxDiscardBytes?: number;
  /** Most connections lingering at once; past it a connection is closed at once (it may reset). */
  readonly maxLingering?: number;
}

/** nginx's lingering_time 30 s and lingering_timeout 5 s; 64 MiB discarded; 256 at once. */
export const DEFAULT_LINGERING: Required<LingeringOptions> = { lingeringTime: 30, lingeringTimeout: 5, maxDiscardBytes: 64 * 1024 * 1024, maxLingering: 256 };

function positive(name: string, value: number): number {
  if (typeof value !== 'number' || !(value > 0)) throw new RangeError(`${name} must be a positive number, got ${String(value)}`);
  return value;
}

/**
 * The lingering-close policy of one server: its bounds, its timer, and how many of its connections
 * linger now (the cap). Share one between the connections of a listener. Without a scheduler
 * nothing can be bounded in time, so close() closes at once.
 */
export class LingeringCloser {
  /** The bounds in force. */
  readonly options: Required<LingeringOptions>;
  readonly #scheduler: Scheduler | undefined;
  #lingering = 0;

  /** Throws RangeError naming the option when a bound is not a positive number. */
  constructor(scheduler: Scheduler | undefined, options: LingeringOptions = {}) {
    const merged = { ...DEFAULT_LINGERING, ...options };
    for (const [name, value] of Object.entries(merged)) positive(name, value);
    this.options = merged;
    this.#scheduler = scheduler;
  }

  /** Connections lingering now. */
  get lingering(): number {
    return this.#lingering;
  }

  /**
   * Writes `last` (if given) and closes `transport` the lingering way. Returns the Protocol that
   * must receive the connection's events from now on (forward them, or give it to setProtocol),
   * already started; connectionLost must reach it, or its place under the cap is never given back.
   */
  close(transport: Transport, last?: Uint8Array): LingeringClose {
    const lingering = new LingeringClose(this, last);
    lingering.connectionMade(transport);
    return lingering;
  }

  /** A LingeringClose to install as a connection's protocol: it writes `last` and lingers once connected. */
  protocol(last?: Uint8Array): LingeringClose {
    return new LingeringClose(this, last);
  }

  /** Takes a place under the cap; false when the cap is reached or time cannot be bounded. */
  take(): Scheduler | undefined {
    if (this.#scheduler === undefined || this.#lingering >= this.options.maxLingering) return undefined;
    this.#lingering += 1;
    return this.#scheduler;
  }

  /** Gives a place back (once per take). */
  release(): void {
    this.#lingering -= 1;
  }
}

/**
 * One connection closing the lingering way (see the top of this file): a Protocol that discards
 * what it receives. Built by LingeringCloser.close() or .protocol().
 */
export class LingeringClose implements Protocol {
  readonly #closer: LingeringCloser;
  readonly #last: Uint8Array | undefined;
  #transport: Transport | undefined;
  #scheduler: Scheduler | undefined;
  #timer: Cancellable | undefined;
  #elapsed = 0;
  #discarded = 0;
  #hasHeard = false;
  #lastPending = 0;

  constructor(closer: LingeringCloser, last?: Uint8Array) {
    this.#closer = closer;
    this.#last = last;
  }

  /** Bytes read and discarded so far. */
  get discardedBytes(): number {
    return this.#discarded;
  }

  connectionMade(transport: Transport): void {
    this.#transport = transport;
    if (transport.isClosing) return;
    if (this.#last !== undefined && this.#last.length > 0) transport.write(this.#last);
    this.#scheduler = this.#closer.take();
    if (this.#scheduler === undefined) {
      transport.close();
      return;
    }
    transport.writeEOF();
    transport.resumeReading();
    this.#lastPending = transport.getWriteBufferSize();
    this.#arm(this.#closer.options.lingeringTimeout);
  }

  dataReceived(data: Uint8Array): void {
    this.#discarded += data.length;
    this.#hasHeard = true;
    if (this.#discarded > this.#closer.options.maxDiscardBytes) this.#finish();
  }

  eofReceived(): boolean {
    // The peer is done too: the transport closes once our last bytes are out (the timer still bounds that).
    return false;
  }

  connectionLost(): void {
    this.#stop();
    this.#transport = undefined;
  }

  #arm(after: number): void {
    const scheduler = this.#scheduler;
    if (scheduler === undefined) return;
    this.#timer = scheduler.callLater(after, () => {
      this.#timer = undefined;
      this.#check(after);
    });
  }

  #check(waited: number): void {
    const transport = this.#transport;
    if (transport === undefined) return;
    const { lingeringTime, lingeringTimeout } = this.#closer.options;
    this.#elapsed += waited;
    const pending = transport.getWriteBufferSize();
    const isStalled = pending > 0 && pending >= this.#lastPending;
    if (this.#elapsed >= lingeringTime || isStalled || (pending === 0 && !this.#hasHeard)) {
      this.#finish();
      return;
    }
    this.#hasHeard = false;
    this.#lastPending = pending;
    this.#arm(Math.min(lingeringTimeout, lingeringTime - this.#elapsed));
  }

  /** Ends lingering: close if our bytes are out, abort if the peer never took them. */
  #finish(): void {
    const transport = this.#transport;
    this.#stop();
    if (transport === undefined) return;
    if (transport.getWriteBufferSize() > 0) transport.abort();
    else if (!transport.isClosing) transport.close();
  }

  #stop(): void {
    if (this.#timer?.active() === true) this.#timer.cancel();
    this.#timer = undefined;
    if (this.#scheduler !== undefined) this.#closer.release();
    this.#scheduler = undefined;
  }
}
