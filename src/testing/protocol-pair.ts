// Two protocols connected in memory with an explicit pump (Twisted's iosim): what one writes waits
// until the test pumps it to the other, so the order of events is the test's to choose.
import type { Address } from '../transports/address.js';
import { type Protocol, type Transport, TransportClosedError } from '../transports/protocol.js';

class PumpedTransport implements Transport<Uint8Array> {
  readonly outbox: Uint8Array[] = [];
  isClosing = false;
  isReading = true;
  hasWrittenEOF = false;
  isAborted = false;
  readonly localAddress: Address;
  readonly peerAddress: Address;

  constructor(local: Address, peer: Address) {
    this.localAddress = local;
    this.peerAddress = peer;
  }
  write(data: Uint8Array): void {
    if (this.isClosing || this.hasWrittenEOF) throw new TransportClosedError('Cannot write to a closed transport');
    this.outbox.push(Buffer.from(data));
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
    this.outbox.length = 0;
  }
  pauseReading(): void {
    this.isReading = false;
  }
  resumeReading(): void {
    this.isReading = true;
  }
  getWriteBufferSize(): number {
    return this.outbox.reduce((n, b) => n + b.length, 0);
  }
  setWriteBufferLimits(): void {}
}

export class ProtocolPair {
  readonly client: Protocol;
  readonly server: Protocol;
  readonly clientTransport: PumpedTransport;
  readonly serverTransport: PumpedTransport;
  #eofDelivered = { toServer: false, toClient: false };
  #isLost = false;

  constructor(server: Protocol, client: Protocol) {
    this.server = server;
    this.client = client;
    this.serverTransport = new PumpedTransport(['127.0.0.1', 1], ['127.0.0.1', 2]);
    this.clientTransport = new PumpedTransport(['127.0.0.1', 2], ['127.0.0.1', 1]);
    server.connectionMade(this.serverTransport);
    client.connectionMade(this.clientTransport);
  }

  /** Delivers queued bytes both ways (and EOFs and closes) until nothing moves; returns the rounds. */
  pump(maxRounds = 1000): number {
    for (let round = 0; round < maxRounds; round++) {
      const moved =
        this.#move(this.clientTransport, this.server, this.serverTransport, 'toServer') ||
        this.#move(this.serverTransport, this.client, this.clientTransport, 'toClient');
      if (!moved) {
        this.#loseIfClosed();
        return round;
      }
    }
    throw new Error(`ProtocolPair.pump: still moving after ${maxRounds} rounds`);
  }

  #move(from: PumpedTransport, to: Protocol, toTransport: PumpedTransport, direction: 'toServer' | 'toClient'): boolean {
    if (from.outbox.length > 0 && toTransport.isReading && !this.#isLost) {
      const chunk = from.outbox.shift();
      if (chunk !== undefined) to.dataReceived(chunk);
      return true;
    }
    const ended = from.outbox.length === 0 && (from.hasWrittenEOF || (from.isClosing && !from.isAborted));
    if (ended && !this.#eofDelivered[direction] && !this.#isLost) {
      this.#eofDelivered[direction] = true;
      if (to.eofReceived?.() !== true) toTransport.close();
      return true;
    }
    return false;
  }

  #loseIfClosed(): void {
    if (this.#isLost) return;
    const closed = (t: PumpedTransport): boolean => t.isClosing && t.outbox.length === 0;
    if (!closed(this.clientTransport) && !closed(this.serverTransport)) return;
    this.#isLost = true;
    const aborted = this.clientTransport.isAborted || this.serverTransport.isAborted;
    const reason = aborted ? new Error('Connection aborted') : undefined;
    this.server.connectionLost(reason);
    this.client.connectionLost(reason);
  }
}

/** Connects a server and a client protocol in memory; call `pump()` to move data. */
export function connectProtocols(server: Protocol, client: Protocol): ProtocolPair {
  return new ProtocolPair(server, client);
}
