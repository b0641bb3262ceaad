// A Transport that records instead of sending (Twisted's StringTransport, Netty's EmbeddedChannel):
// test a protocol with no sockets and no reactor, then look at what it wrote and did.
import { type Address, type Protocol, type Transport, TransportClosedError } from '../contract/index.js';

/**
 * A Transport that records what its protocol does instead of sending it (Twisted's
 * `StringTransport`): writes go to `written`, and the flags show close, abort, EOF and paused reading.
 * Feed the protocol with receive(); make one with connectRecording(). Every field is public so a
 * test can read it or set it (addresses, write buffer size) to put the protocol in a state.
 */
export class RecordingTransport<Out = Uint8Array> implements Transport<Out> {
  /** Everything written, in order. */
  readonly written: Out[] = [];
  isClosing = false;
  /** True after abort(); isClosing is true too. */
  isAborted = false;
  /** True after writeEOF(); write() throws TransportClosedError from then on. */
  hasWrittenEOF = false;
  isReading = true;
  localAddress: Address = ['127.0.0.1', 1];
  peerAddress: Address = ['127.0.0.1', 2];
  /** What getWriteBufferSize() reports: set it to drive a protocol's flow control. */
  writeBufferSize = 0;
  /** The marks last given to setWriteBufferLimits(), in bytes (recorded only: nothing pauses here). */
  writeBufferLimits: [high: number, low: number] = [65536, 16384];
  /** Set it while the test has told the protocol pauseWriting(): setProtocol() tells the next one too. */
  isWritingPaused = false;
  /** Where receive() delivers: the protocol connected by connectRecording, then each setProtocol()'s. */
  protocol: Protocol<Out, Out> | undefined;
  /** Data received while reading is paused (or closing), delivered by resumeReading(). */
  readonly inbox: Out[] = [];

  /** Delivers `data` to the protocol as a transport would: now if reading, else on resumeReading(). */
  receive(data: Out): void {
    this.inbox.push(data);
    this.#deliverInbox();
  }

  /** Transport.setProtocol: `next` is connected at once and gets `leftover` before anything received later. */
  setProtocol(next: Protocol<Out, Out>, leftover: readonly Out[] = []): void {
    this.protocol = next;
    next.connectionMade(this);
    if (this.isWritingPaused) next.pauseWriting?.();
    this.inbox.unshift(...leftover);
    this.#deliverInbox();
  }

  write(data: Out): void {
    if (this.isClosing || this.hasWrittenEOF) throw new TransportClosedError('Cannot write to a closed transport');
    this.written.push(data);
  }
  writeEOF(): void {
    this.hasWrittenEOF = true;
  }
  close(): void {
    this.isClosing = true;
  }
  abort(): void {
    this.isClosing = true;
    this.isAborted = true;
  }
  pauseReading(): void {
    this.isReading = false;
  }
  resumeReading(): void {
    this.isReading = true;
    this.#deliverInbox();
  }
  getWriteBufferSize(): number {
    return this.writeBufferSize;
  }
  setWriteBufferLimits(high = 65536, low = Math.floor(high / 4)): void {
    this.writeBufferLimits = [high, low];
  }

  /** The byte writes joined (for byte transports). */
  bytes(): Buffer {
    return Buffer.concat(this.written.map((w) => (w instanceof Uint8Array ? w : Buffer.from(String(w)))));
  }

  /** What was written as text (UTF-8), then forgets it: handy for line protocols. */
  take(): string {
    const text = this.bytes().toString('utf8');
    this.written.length = 0;
    return text;
  }

  #deliverInbox(): void {
    while (this.isReading && !this.isClosing && this.protocol !== undefined) {
      const next = this.inbox.shift();
      if (next === undefined) return;
      this.protocol.dataReceived(next);
    }
  }
}

/** Connects `protocol` to a new RecordingTransport (its `protocol`, for receive()) and returns it. */
export function connectRecording<M>(protocol: Protocol<M, M>): RecordingTransport<M> {
  const transport = new RecordingTransport<M>();
  transport.protocol = protocol;
  protocol.connectionMade(transport);
  return transport;
}
