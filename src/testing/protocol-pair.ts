// Two protocols connected in memory with an explicit pump (Twisted's iosim): what one writes waits
// until the test pumps it to the other, so the order of events is the test's to choose.
import type { Address, Protocol } from '../contract/index.js';
import { RecordingTransport } from './recording-transport.js';

/** A recording transport whose writes wait in its outbox until the pair pumps them across. */
export class PumpedTransport extends RecordingTransport<Uint8Array> {
  constructor(local: Address, peer: Address) {
    super();
    this.localAddress = local;
    this.peerAddress = peer;
  }
  /** Bytes written and not yet pumped to the peer, oldest first (copies of what was written). */
  get outbox(): Uint8Array[] {
    return this.written;
  }
  override write(data: Uint8Array): void {
    // Copied: the writer may reuse its buffer before the pump delivers it.
    super.write(Buffer.from(data));
  }
  override abort(): void {
    super.abort();
    this.written.length = 0;
  }
  override getWriteBufferSize(): number {
    return this.written.reduce((n, b) => n + b.length, 0);
  }
}

/**
 * A server and a client protocol connected in memory (Twisted's `iosim.connect`): each gets
 * connectionMade() at once; then bytes, EOFs and closes move only when the test calls pump().
 * Made by connectProtocols().
 */
export class ProtocolPair {
  readonly #initial: { readonly server: Protocol; readonly client: Protocol };
  /** The client's transport: what the client writes waits in its outbox. */
  readonly clientTransport: PumpedTransport;
  /** The server's transport: what the server writes waits in its outbox. */
  readonly serverTransport: PumpedTransport;
  #eofDelivered = { toServer: false, toClient: false };
  #isLost = false;

  constructor(server: Protocol, client: Protocol) {
    this.serverTransport = new PumpedTransport(['127.0.0.1', 1], ['127.0.0.1', 2]);
    this.clientTransport = new PumpedTransport(['127.0.0.1', 2], ['127.0.0.1', 1]);
    this.#initial = { server, client };
    this.serverTransport.protocol = server;
    this.clientTransport.protocol = client;
    server.connectionMade(this.serverTransport);
    client.connectionMade(this.clientTransport);
  }

  /** The server's protocol now (another one after it called setProtocol on its transport). */
  get server(): Protocol {
    return this.serverTransport.protocol ?? this.#initial.server;
  }

  /** The client's protocol now. */
  get client(): Protocol {
    return this.clientTransport.protocol ?? this.#initial.client;
  }

  /** Delivers queued bytes both ways (and EOFs and closes) until nothing moves; returns the rounds. */
  pump(maxRounds = 1000): number {
    for (let round = 0; round < maxRounds; round++) {
      const moved = this.#move(this.clientTransport, this.serverTransport, 'toServer') || this.#move(this.serverTransport, this.clientTransport, 'toClient');
      if (!moved) {
        this.#loseIfClosed();
        return round;
      }
    }
    throw new Error(`ProtocolPair.pump: still moving after ${maxRounds} rounds`);
  }

  #move(from: PumpedTransport, toTransport: PumpedTransport, direction: 'toServer' | 'toClient'): boolean {
    const to = toTransport === this.serverTransport ? this.server : this.client;
    if (from.outbox.length > 0 && toTransport.isReading && !this.#isLost) {
      const chunk = from.outbox.shift();
      if (chunk !== undefined) toTransport.receive(chunk);
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
