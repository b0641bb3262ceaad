// The byte Transport over a non-blocking Socket and a Reactor: what a Protocol writes is sent at
// once when it fits and queued otherwise, then flushed as the socket becomes writable, so a write
// never blocks, never drops and never reorders. Reads are dispatched by the reactor.
//
//   state     | reads         | writes                  | leaves by
//   open      | if isReading  | send or queue           | close() -> closing, abort()/error -> closed
//   closing   | no            | flushing the queue      | queue empty -> closed
//   closed    | no            | no (write throws)       | -
import type { IOHandler, Reactor } from '../reactor/reactor.js';
import type { Address } from './address.js';
import { SHUT_WR, SOL_SOCKET, SO_ERROR, SO_LINGER } from './constants.js';
import { BlockingIOError, ValueError, codeOf, socketError } from './errors.js';
import { type Protocol, type Transport, TransportClosedError } from '../contract/index.js';
import type { Socket } from './socket.js';
import type { StreamSocket } from './stream-socket.js';
import type { SSLSocket } from './tls/ssl-socket.js';
import type { TLSContext } from './tls/tls-context.js';

/** How a SocketTransport reads and when it tells its protocol to pause writing; every field optional. */
export interface SocketTransportOptions {
  /** The most one recv() asks for, in bytes (default 65536). */
  readonly readChunk?: number;
  /** recv() calls per readiness dispatch before the next connection gets its turn (default 16). */
  readonly readsPerDispatch?: number;
  /**
   * Write-buffer high-water mark in bytes: pauseWriting() once more than this is queued (default
   * 65536, asyncio's 64 KiB).
   */
  readonly highWater?: number;
  /** Write-buffer low-water mark in bytes: resumeWriting() once the queue drains to it (default highWater / 4). */
  readonly lowWater?: number;
}

const DEFAULT_READ_CHUNK = 65536;
const DEFAULT_READS_PER_DISPATCH = 16;
const DEFAULT_HIGH_WATER = 65536;
/** The queue of every connection with nothing queued: shared, so never written (#enqueue replaces it). */
const NOTHING_QUEUED: Uint8Array[] = [];

type State = 'open' | 'closing' | 'closed';

/** How SocketTransport.startTLS() wraps the connection (Python's `wrap_socket` arguments); all optional. */
export interface StartTLSOptions {
  /** Default: the context's purpose ('server' context: the server side). */
  readonly serverSide?: boolean;
  /** The name a client verifies and sends as SNI. */
  readonly serverHostname?: string;
  /** Bytes the protocol received after its STARTTLS command and did not consume: the peer's first TLS bytes. */
  readonly leftover?: Uint8Array;
}

/**
 * The byte Transport of one connection over a non-blocking Socket driven by a Reactor (asyncio's
 * `_SelectorSocketTransport`, Twisted's `tcp.Connection`): writes are sent at once when they fit and
 * queued otherwise, reads are dispatched by the reactor, close() flushes first. Endpoints make these;
 * build one yourself only to serve a socket you connected or accepted, then call start().
 */
export class SocketTransport implements Transport<Uint8Array>, IOHandler {
  #socket: StreamSocket;
  /** The plain socket until startTLS() puts an SSLSocket over it. */
  #plain: Socket | null;
  readonly localAddress: Address;
  readonly peerAddress: Address;
  #protocol: Protocol<Uint8Array>;
  readonly #reactor: Reactor;
  readonly #readChunk: number;
  readonly #readsPerDispatch: number;
  #high: number;
  #low: number;
  /** Shares NOTHING_QUEUED while empty (never written: #enqueue replaces it), as most idle connections are. */
  #queue: Uint8Array[] = NOTHING_QUEUED;
  #queueHead = 0;
  #queued = 0;
  #state: State = 'open';
  #isReading = true;
  #isWritingPaused = false;
  #isEOFPending = false;
  #hasSentEOF = false;
  #hasReceivedEOF = false;
  /** Leftover given to setProtocol() while reading was paused: delivered first on resumeReading(). */
  #leftover: Uint8Array[] = NOTHING_QUEUED;

  readonly #onEnd: ((transport: SocketTransport) => void) | undefined;

  /** `onEnd` hears when the connection is over, before the protocol's connectionLost (a port's count). */
  constructor(
    socket: Socket,
    protocol: Protocol<Uint8Array>,
    reactor: Reactor,
    options: SocketTransportOptions = {},
    onEnd?: (transport: SocketTransport) => void,
  ) {
    this.#socket = socket;
    this.#plain = socket;
    this.#onEnd = onEnd;
    this.#protocol = protocol;
    this.#reactor = reactor;
    this.#readChunk = options.readChunk ?? DEFAULT_READ_CHUNK;
    this.#readsPerDispatch = options.readsPerDispatch ?? DEFAULT_READS_PER_DISPATCH;
    this.#high = options.highWater ?? DEFAULT_HIGH_WATER;
    this.#low = options.lowWater ?? Math.floor(this.#high / 4);
    this.localAddress = socket.getsockname();
    this.peerAddress = addressOrEmpty(() => socket.getpeername());
  }

  /** What the reactor watches: the socket, or the SSLSocket over it after startTLS(). */
  get selectable(): StreamSocket {
    return this.#socket;
  }

  /**
   * Tells the protocol the connection is made and starts reading. If connectionMade throws, the
   * connection is reset (an RST: what it wrote is dropped), the reactor keeps no handler of it,
   * `onEnd` runs, and the error is rethrown; the protocol hears nothing more (no connectionLost: it
   * never got going). Endpoints start connections through startConnection, which reports it.
   */
  start(): this {
    this.#reactor.addErrorWatcher(this);
    try {
      this.#protocol.connectionMade(this);
    } catch (error) {
      this.#reset();
      throw error;
    }
    if (this.#state === 'open' && this.#isReading) this.#reactor.addReader(this);
    return this;
  }

  get isReading(): boolean {
    return this.#isReading && this.#state === 'open';
  }

  get isClosing(): boolean {
    return this.#state !== 'open';
  }

  // ---- writing -------------------------------------------------------------------------------------

  write(data: Uint8Array): void {
    if (this.#state !== 'open' || this.#isEOFPending || this.#hasSentEOF) {
      throw new TransportClosedError(`Cannot write to a transport that is ${this.#state === 'open' ? 'shut down for writing' : this.#state}`);
    }
    if (data.length === 0) return;
    if (this.#queued === 0) {
      const sent = this.#trySend(data);
      if (sent < 0 || sent === data.length) return;
      // The rest waits in our queue, uncopied: write() takes the caller's bytes as they are.
      this.#enqueue(data.subarray(sent));
      this.#reactor.addWriter(this);
    } else {
      this.#enqueue(data);
    }
    if (!this.#isWritingPaused && this.#queued > this.#high) {
      this.#isWritingPaused = true;
      this.#protocol.pauseWriting?.();
    }
  }

  writeEOF(): void {
    if (this.#state !== 'open' || this.#isEOFPending || this.#hasSentEOF) return;
    if (this.#queued > 0) {
      this.#isEOFPending = true;
      return;
    }
    this.#sendEOF();
  }

  writeReady(): void {
    while (this.#queued > 0) {
      const chunk = this.#queue[this.#queueHead];
      if (chunk === undefined) break;
      const sent = this.#trySend(chunk);
      if (sent < 0) return;
      this.#queued -= sent;
      if (sent < chunk.length) {
        this.#queue[this.#queueHead] = chunk.subarray(sent);
        break;
      }
      this.#queueHead += 1;
    }
    if (this.#queued > 0) {
      if (this.#queueHead > 64) this.#compact();
    } else {
      this.#queue = NOTHING_QUEUED;
      this.#queueHead = 0;
      this.#reactor.removeWriter(this);
      if (this.#isEOFPending) this.#sendEOF();
      if (this.#state === 'closing') this.#end(undefined);
    }
    if (this.#isWritingPaused && this.#queued <= this.#low && this.#state !== 'closed') {
      this.#isWritingPaused = false;
      this.#protocol.resumeWriting?.();
    }
  }

  getWriteBufferSize(): number {
    return this.#queued;
  }

  setWriteBufferLimits(high?: number, low?: number): void {
    const h = high ?? (low === undefined ? DEFAULT_HIGH_WATER : low * 4);
    const l = low ?? Math.floor(h / 4);
    if (!(h >= l && l >= 0)) throw new RangeError(`high (${h}) must be >= low (${l}) and low >= 0`);
    this.#high = h;
    this.#low = l;
  }

  /** Sends what fits; returns the count, or -1 once the connection was lost on the way. */
  #trySend(data: Uint8Array): number {
    try {
      return Math.max(0, this.#socket.trySend(data, true));
    } catch (error) {
      if (error instanceof BlockingIOError) return 0;
      this.#end(asError(error));
      return -1;
    }
  }

  #enqueue(chunk: Uint8Array): void {
    if (this.#queue.length === 0) this.#queue = [chunk];
    else this.#queue.push(chunk);
    this.#queued += chunk.length;
  }

  #compact(): void {
    this.#queue = this.#queue.slice(this.#queueHead);
    this.#queueHead = 0;
  }

  #sendEOF(): void {
    this.#isEOFPending = false;
    this.#hasSentEOF = true;
    try {
      this.#socket.shutdown(SHUT_WR);
    } catch (error) {
      this.#end(asError(error));
      return;
    }
    if (this.#hasReceivedEOF) this.close();
  }

  // ---- reading -------------------------------------------------------------------------------------

  readReady(): void {
    // Replies written while this dispatch reads go out together (one writev), not one write each.
    // The socket corked is the one uncorked, even if startTLS() switched sockets meanwhile.
    const socket = this.#socket;
    socket.cork();
    try {
      this.#readBatch();
    } finally {
      if (socket.fileno() >= 0) socket.uncork();
    }
  }

  #readBatch(): void {
    for (let i = 0; i < this.#readsPerDispatch && this.#isReading && this.#state === 'open'; i++) {
      let data: Buffer | null;
      try {
        data = this.#socket.tryRecv(this.#readChunk);
      } catch (error) {
        if (!(error instanceof BlockingIOError)) this.#end(asError(error));
        return;
      }
      if (data === null) return;
      if (data.length === 0) {
        this.#onEOF();
        return;
      }
      this.#protocol.dataReceived(data);
    }
  }

  /** An error is pending: read first (data sent before a reset is still delivered), then report it. */
  errorReady(): void {
    if (this.isReading) {
      this.readReady();
      return;
    }
    const errno = this.#socket.getsockopt(SOL_SOCKET, SO_ERROR);
    if (errno !== 0) this.#end(socketError(codeOf(errno), 'recv'));
  }

  #onEOF(): void {
    this.#hasReceivedEOF = true;
    this.#isReading = false;
    this.#reactor.removeReader(this);
    const keepOpen = this.#protocol.eofReceived?.() === true;
    if (this.#state !== 'open') return;
    if (!keepOpen || this.#hasSentEOF) this.close();
  }

  pauseReading(): void {
    if (!this.#isReading) return;
    this.#isReading = false;
    this.#reactor.removeReader(this);
  }

  resumeReading(): void {
    if (this.#isReading || this.#hasReceivedEOF || this.#state !== 'open') return;
    this.#isReading = true;
    this.#deliverLeftover();
    if (this.isReading) this.#reactor.addReader(this);
  }

  // ---- switching protocols -------------------------------------------------------------------------

  /** Hands the connection to `next`, `leftover` first (the contract is Transport.setProtocol's). */
  setProtocol(next: Protocol<Uint8Array>, leftover: readonly Uint8Array[] = []): void {
    if (this.#state === 'closed') throw new TransportClosedError('Cannot hand a closed connection to another protocol');
    this.#protocol = next;
    next.connectionMade(this);
    if (this.#isWritingPaused) next.pauseWriting?.();
    const kept = leftover.filter((chunk) => chunk.length > 0);
    if (kept.length > 0) this.#leftover = [...this.#leftover, ...kept];
    if (!this.#hasReceivedEOF) {
      this.#deliverLeftover();
      return;
    }
    // The peer's EOF came before the switch: `next` still hears of it, after the leftover.
    for (const chunk of this.#leftover.splice(0)) next.dataReceived(chunk);
    if (this.#state === 'open' && next.eofReceived?.() !== true) this.close();
  }

  #deliverLeftover(): void {
    while (this.isReading) {
      const chunk = this.#leftover.shift();
      if (chunk === undefined) return;
      this.#protocol.dataReceived(chunk);
    }
  }

  // ---- STARTTLS -------------------------------------------------------------------------------------

  /**
   * Switches this open connection to TLS in place (STARTTLS), from the protocol's dataReceived or
   * later: from now on writes are encrypted and dataReceived gets decrypted bytes; writes made
   * before the handshake ends wait for it. Bytes the protocol received after its command and did
   * not consume must be passed as `leftover`: they are the peer's first TLS bytes. Throws ValueError
   * if plain text is still queued (it must reach the peer before TLS starts) or TLS already runs.
   * Half-close afterwards: writeEOF() sends close_notify, then a FIN.
   */
  startTLS(context: TLSContext, options: StartTLSOptions = {}): SSLSocket {
    const plain = this.#plain;
    if (plain === null) throw new ValueError('Cannot start TLS on a connection that already runs TLS');
    if (this.#state !== 'open' || this.#hasSentEOF) throw new TransportClosedError('Cannot start TLS on a transport that is closing');
    if (this.#queued > 0) throw new ValueError(`Cannot start TLS while ${this.#queued} bytes of plain text wait to be sent`);
    const secure = context.wrapSocket(plain, {
      serverSide: options.serverSide ?? context.purpose === 'server',
      ...(options.serverHostname === undefined ? {} : { serverHostname: options.serverHostname }),
      ...(options.leftover === undefined ? {} : { leftover: options.leftover }),
    });
    this.#reactor.removeAll(this);
    this.#socket = secure;
    this.#plain = null;
    this.#reactor.addErrorWatcher(this);
    if (this.#isReading) this.#reactor.addReader(this);
    return secure;
  }

  // ---- closing -------------------------------------------------------------------------------------

  close(): void {
    if (this.#state !== 'open') return;
    this.#state = 'closing';
    this.#reactor.removeReader(this);
    if (this.#queued === 0) this.#end(undefined);
  }

  abort(): void {
    if (this.#state === 'closed') return;
    this.#reset();
    this.#reactor.callSoon(() => this.#protocol.connectionLost(socketError('ECONNABORTED', undefined, 'Connection aborted by this side')));
  }

  handlerFailed(error: unknown): void {
    this.#end(asError(error));
  }

  #end(reason: Error | undefined): void {
    if (this.#state === 'closed') return;
    this.#release();
    // Deferred, so a protocol that closes from inside dataReceived does not see connectionLost first.
    this.#reactor.callSoon(() => this.#protocol.connectionLost(reason));
  }

  /** Drops what is queued and closes with an RST (SO_LINGER 0), telling the protocol nothing. */
  #reset(): void {
    if (this.#state === 'closed') return;
    this.#queue = NOTHING_QUEUED;
    this.#queued = 0;
    this.#socket.setsockopt(SOL_SOCKET, SO_LINGER, [1, 0]);
    this.#release();
  }

  /** Closed: the socket, every reactor handler and the owner's count (`onEnd`) are let go. */
  #release(): void {
    this.#state = 'closed';
    this.#reactor.removeAll(this);
    this.#socket.close();
    this.#onEnd?.(this);
  }
}

function asError(error: unknown): Error {
  return error instanceof Error ? error : new Error(String(error));
}

function addressOrEmpty(get: () => Address): Address {
  try {
    return get();
  } catch {
    return '';
  }
}
