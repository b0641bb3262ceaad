// The receiving half of the contract between layers (README, "API map by layer"): a Protocol receives one
// connection's events. Generic in the message type, so framing codecs stack: a codec is a Protocol
// of bytes below and a Transport of frames above. Types only: nothing here exists at run time.
import type { Transport } from './transport.js';

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
