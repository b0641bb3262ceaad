// The sending half of the contract between layers: what a Protocol writes through and controls its
// connection with. Types only: nothing here exists at run time.
import type { Address } from './address.js';
import type { Protocol } from './protocol.js';

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
