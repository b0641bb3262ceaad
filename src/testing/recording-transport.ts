// A Transport that records instead of sending (Twisted's StringTransport, Netty's EmbeddedChannel):
// test a protocol with no sockets and no reactor, then look at what it wrote and did.
import type { Address } from '../transports/address.js';
import { type Protocol, type Transport, TransportClosedError } from '../transports/protocol.js';

export class RecordingTransport<Out = Uint8Array> implements Transport<Out> {
  /** Everything written, in order. */
  readonly written: Out[] = [];
  isClosing = false;
  /** True after abort(); isClosing is true too. */
  isAborted = false;
  hasWrittenEOF = false;
  isReading = true;
  localAddress: Address = ['127.0.0.1', 1];
  peerAddress: Address = ['127.0.0.1', 2];
  /** What getWriteBufferSize() reports: set it to drive a protocol's flow control. */
  writeBufferSize = 0;
  writeBufferLimits: [high: number, low: number] = [65536, 16384];

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
}

/** Connects `protocol` to a new RecordingTransport and returns both. */
export function connectRecording<In, Out>(protocol: Protocol<In, Out>): RecordingTransport<Out> {
  const transport = new RecordingTransport<Out>();
  protocol.connectionMade(transport);
  return transport;
}
