// The primary's half of a server that lives in the primary (chat under `serve --workers`): the
// server's own protocol runs here, unchanged, over a Transport whose every call becomes a message
// to the worker holding the socket. The worker enforces the write backlog limit; this side reports
// an empty buffer, so a protocol's own backlog check never fires here.
import type { Address } from '../transports/address.js';
import { type Protocol, type Transport, TransportClosedError } from '../contract/index.js';
import type { RelayCommand } from './worker-messages.js';

/** Sends one command to the worker that holds the connection. */
export type SendToWorker = (command: RelayCommand) => void;

/** A connection held by a worker, seen from the primary: a Transport for the server's protocol. */
export class RelayedTransport implements Transport {
  readonly localAddress: Address;
  readonly peerAddress: Address;
  readonly #id: number;
  readonly #send: SendToWorker;
  readonly #protocol: Protocol;
  #isClosing = false;
  #isReading = true;
  #isLost = false;

  /** Starts `protocol` on the connection `id`: connectionMade follows at once. */
  constructor(id: number, addresses: { local: Address; peer: Address }, protocol: Protocol, send: SendToWorker) {
    this.#id = id;
    this.localAddress = addresses.local;
    this.peerAddress = addresses.peer;
    this.#protocol = protocol;
    this.#send = send;
    protocol.connectionMade(this);
  }

  get isReading(): boolean {
    return this.#isReading && !this.#isClosing;
  }

  get isClosing(): boolean {
    return this.#isClosing;
  }

  write(data: Uint8Array): void {
    if (this.#isClosing) throw new TransportClosedError('Cannot write: the connection is closing');
    this.#send({ type: 'write', id: this.#id, data: Buffer.from(data.buffer, data.byteOffset, data.byteLength).toString('base64') });
  }

  writeEOF(): void {
    if (this.#isClosing) throw new TransportClosedError('Cannot shut down writing: the connection is closing');
    this.#send({ type: 'writeEOF', id: this.#id });
  }

  close(): void {
    this.#end('close');
  }

  abort(): void {
    this.#end('abort');
  }

  pauseReading(): void {
    if (!this.#isReading || this.#isClosing) return;
    this.#isReading = false;
    this.#send({ type: 'pauseReading', id: this.#id });
  }

  resumeReading(): void {
    if (this.#isReading || this.#isClosing) return;
    this.#isReading = true;
    this.#send({ type: 'resumeReading', id: this.#id });
  }

  /** Always 0: the worker holds the bytes and drops a client whose backlog passes its limit. */
  getWriteBufferSize(): number {
    return 0;
  }

  /** Nothing to set here: the worker's transport keeps its own limits. */
  setWriteBufferLimits(): void {}

  /** The worker's socket received `data`. */
  dataReceived(data: Uint8Array): void {
    if (!this.#isLost) this.#protocol.dataReceived(data);
  }

  /** The client shut down its writing side: the protocol decides whether to keep the connection. */
  eofReceived(): void {
    if (this.#isLost) return;
    if (this.#protocol.eofReceived?.() !== true && !this.#isClosing) this.close();
  }

  /** The connection is gone (closed in the worker, or its worker died). Once only. */
  connectionLost(reason?: Error): void {
    if (this.#isLost) return;
    this.#isLost = true;
    this.#isClosing = true;
    this.#protocol.connectionLost(reason);
  }

  #end(how: 'close' | 'abort'): void {
    if (this.#isClosing) return;
    this.#isClosing = true;
    this.#send({ type: how, id: this.#id });
  }
}
