// The worker's half of a server that lives in the primary (chat under `serve --workers`): each
// connection's bytes and events go to the primary over IPC, and what the primary's protocol writes
// comes back to be written. Bounded both ways: reading pauses while too many messages are unsent on
// the channel, and a client that does not read is dropped once its unsent backlog passes a limit.
import type { Address } from '../transports/address.js';
import type { Protocol, Transport } from '../contract/index.js';
import type { RelayCommand, RelayEvent } from './worker-messages.js';

/** Relay messages on the IPC channel not yet handed to the OS, per connection, before its reading pauses. */
const MAX_UNSENT_MESSAGES = 64;
/** Bytes a relayed client may have waiting unsent before it is aborted as too slow (chat's own limit). */
export const MAX_RELAY_BACKLOG_BYTES = 1024 * 1024;

/** Sends one message to the primary; `sent` runs once the channel took it. */
export type SendToPrimary = (message: RelayEvent, sent: () => void) => void;

/** One relayed connection in a worker: a Protocol whose events go to the primary (the server runs there). */
export class ConnectionRelay implements Protocol {
  readonly #id: number;
  readonly #send: SendToPrimary;
  readonly #onEnd: () => void;
  readonly #peer: Address;
  #transport: Transport | undefined;
  #unsent = 0;
  #isPausedByPrimary = false;

  /** `peer` is the client's address the primary's protocol sees; `onEnd` runs once the connection is gone. */
  constructor(id: number, peer: Address, send: SendToPrimary, onEnd: () => void) {
    this.#id = id;
    this.#peer = peer;
    this.#send = send;
    this.#onEnd = onEnd;
  }

  connectionMade(transport: Transport): void {
    this.#transport = transport;
    this.#emit({ type: 'opened', id: this.#id, peer: this.#peer, local: transport.localAddress });
  }

  dataReceived(data: Uint8Array): void {
    this.#emit({ type: 'data', id: this.#id, data: Buffer.from(data.buffer, data.byteOffset, data.byteLength).toString('base64') });
  }

  eofReceived(): boolean {
    // The primary's protocol decides what EOF means (it answers `close` when it does not keep the connection).
    this.#emit({ type: 'eof', id: this.#id });
    return true;
  }

  connectionLost(reason?: Error): void {
    this.#transport = undefined;
    this.#emit({ type: 'lost', id: this.#id, ...(reason === undefined ? {} : { data: reason.message }) });
    this.#onEnd();
  }

  /** Applies what the primary's protocol did on its transport. */
  command(command: RelayCommand): void {
    const transport = this.#transport;
    if (transport === undefined || transport.isClosing) return;
    switch (command.type) {
      case 'write':
        transport.write(Buffer.from(command.data ?? '', 'base64'));
        if (transport.getWriteBufferSize() > MAX_RELAY_BACKLOG_BYTES) transport.abort();
        return;
      case 'writeEOF':
        transport.writeEOF();
        return;
      case 'close':
        transport.close();
        return;
      case 'abort':
        transport.abort();
        return;
      case 'pauseReading':
        this.#isPausedByPrimary = true;
        transport.pauseReading();
        return;
      case 'resumeReading':
        this.#isPausedByPrimary = false;
        if (this.#unsent < MAX_UNSENT_MESSAGES) transport.resumeReading();
        return;
      default: {
        const never: never = command.type;
        throw new TypeError(`Unknown relay command ${String(never)}`);
      }
    }
  }

  #emit(message: RelayEvent): void {
    this.#unsent += 1;
    if (this.#unsent === MAX_UNSENT_MESSAGES) this.#transport?.pauseReading();
    this.#send(message, () => {
      this.#unsent -= 1;
      if (this.#unsent === MAX_UNSENT_MESSAGES / 2 && !this.#isPausedByPrimary && this.#transport?.isClosing === false) this.#transport.resumeReading();
    });
  }
}
