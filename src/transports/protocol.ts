// The contract between layers (README, "API map by layer"): a Protocol receives events, a Transport carries
// its writes, a Factory builds one Protocol per connection. Generic in the message type, so framing
// codecs stack: a codec is a Protocol of bytes below and a Transport of frames above.
// This file imports nothing at run time; protocols depend on it with `import type` only.
import type { Address } from './address.js';

/**
 * The events of one connection, in this order:
 * `connectionMade dataReceived* eofReceived? dataReceived*... connectionLost`, and flow control
 * `pauseWriting` / `resumeWriting` in between (strictly alternating, pause first).
 */
export interface Protocol<In = Uint8Array, Out = In> {
  /** The connection is up; keep `transport` to write. Called once, first. */
  connectionMade(transport: Transport<Out>): void;
  /** Some data arrived: for bytes, any split of the stream (one byte to many messages). */
  dataReceived(data: In): void;
  /**
   * The peer shut down its writing side. Return true to keep ours open (writing on, then close());
   * otherwise the transport closes itself once its buffered writes are out.
   */
  eofReceived?(): boolean | void;
  /** The connection is gone. `reason` undefined: a clean close; an Error: what ended it. Called once, last. */
  connectionLost(reason?: Error): void;
  /** The transport's write buffer went over its high-water mark: stop writing until resumeWriting(). */
  pauseWriting?(): void;
  /** The write buffer drained to the low-water mark or below. */
  resumeWriting?(): void;
}

/**
 * What a Protocol writes through: one connection's outgoing side and its controls (asyncio's
 * `Transport`, Twisted's `ITransport`, Netty's `Channel`). Implemented by SocketTransport over a
 * socket, by every FramingLayer for the layer above it, and by the testing kit's fakes, so a handler
 * cannot tell which one it has. `Out` is what write() takes: bytes at the bottom, frames above a codec.
 */
export interface Transport<Out = Uint8Array> {
  /**
   * Queues `data`; never blocks, never drops, never reorders. Throws TransportClosedError after close.
   * The transport takes `data` as it is and may hold it, uncopied, until it is sent: do not modify
   * it afterwards (node:net's `write` and Netty's have the same rule; copy first to reuse a buffer).
   */
  write(data: Out): void;
  /** Shuts down writing once the queued data is out (a FIN): the peer reads EOF. */
  writeEOF(): void;
  /** Closes once the queued data is out; connectionLost() follows with no reason. */
  close(): void;
  /** Closes now, discarding queued data; connectionLost() follows with ConnectionAbortedError. */
  abort(): void;
  /** Stops delivering dataReceived (the peer then feels TCP flow control). */
  pauseReading(): void;
  /** Undoes pauseReading(): dataReceived is delivered again. Does nothing when reading is not paused. */
  resumeReading(): void;
  /** False after pauseReading() until resumeReading(), and (over a socket) once EOF arrived or closing began. */
  readonly isReading: boolean;
  /** True once close() or abort() was called, or the connection was lost. */
  readonly isClosing: boolean;
  /** Bytes (or frames) queued and not yet handed to the kernel. */
  getWriteBufferSize(): number;
  /** pauseWriting() when the buffer goes over `high`; resumeWriting() when it drains to `low`. */
  setWriteBufferLimits(high?: number, low?: number): void;
  /** This end's address, as getsockname() gives it: `[host, port]` for TCP, a path for Unix. */
  readonly localAddress: Address;
  /** The other end's address, as getpeername() gives it; `''` when it has none (an unnamed Unix client). */
  readonly peerAddress: Address;
  /**
   * Hands the connection to `next` (asyncio's set_protocol, with Twisted's leftover; HTTP Upgrade,
   * a line protocol going raw). Optional: a transport that cannot switch leaves it out. Contract:
   * - the current protocol gets no more events, not even connectionLost (it chose to leave, and
   *   cleans up itself); call this as its last act, typically from its dataReceived;
   * - `next` gets connectionMade(this) at once, pauseWriting() if writing is paused (resumeWriting
   *   follows when the buffer drains), then dataReceived(leftover...) - the data the old protocol
   *   received and did not consume - then the rest of the stream, in order, then eofReceived and
   *   connectionLost as they come;
   * - the transport's state carries over unchanged: queued writes go out first, in order; if reading
   *   is paused, `leftover` waits with the rest until resumeReading(); write-buffer limits stay.
   * SocketTransport throws TransportClosedError once the connection is closed.
   */
  setProtocol?(next: Protocol<Out, Out>, leftover?: readonly Out[]): void;
}

/** Builds one Protocol per connection. */
export interface Factory<In = Uint8Array, Out = In> {
  /**
   * Called for each new connection, before connectionMade(); returns that connection's own Protocol
   * (Twisted's `Factory.buildProtocol(addr)`, asyncio's `protocol_factory`). `peerAddress` is the
   * connecting client's address for a listener, the server's for an outgoing connection.
   */
  buildProtocol(peerAddress: Address): Protocol<In, Out>;
  /** An outgoing connection failed before a protocol was built (refused, timed out, not found). */
  connectionFailed?(reason: Error): void;
  /** What a connection refused for a connection limit is told before it is closed (HTTP 503...). */
  refusal?(): Uint8Array;
}

/** Thrown by write() or writeEOF() on a transport that is closing or closed. */
export class TransportClosedError extends Error {
  /** The class name, kept when the code is minified. */
  override name = 'TransportClosedError';
  /** Node-style code to `switch` on, as a literal type. */
  readonly code = 'ERR_TRANSPORT_CLOSED' as const;
}
