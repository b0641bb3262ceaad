// Echo (RFC 862): every byte goes back. When the client half-closes, the server half-closes too once
// everything is echoed. Backpressure: a full write buffer stops reading, so a client that does not
// read its echoes is slowed down by TCP, not buffered without bound.
import type { Factory, Protocol, Transport } from '../../contract/index.js';

/**
 * Echo (RFC 862), Twisted's `Echo` with backpressure: writes back what arrives, stops reading while
 * its write buffer is over the high-water mark, and half-closes at the client's EOF once all is sent.
 */
export class EchoProtocol implements Protocol {
  #transport: Transport | undefined;

  connectionMade(transport: Transport): void {
    this.#transport = transport;
  }

  dataReceived(data: Uint8Array): void {
    this.#transport?.write(data);
  }

  eofReceived(): boolean {
    this.#transport?.writeEOF();
    return true;
  }

  pauseWriting(): void {
    this.#transport?.pauseReading();
  }

  resumeWriting(): void {
    this.#transport?.resumeReading();
  }

  connectionLost(): void {
    this.#transport = undefined;
  }
}

/** Discard (RFC 863): reads and drops everything. */
export class DiscardProtocol implements Protocol {
  connectionMade(): void {}
  dataReceived(): void {}
  connectionLost(): void {}
}

/** A factory of one EchoProtocol per connection: what `switchboard serve echo` listens with. */
export const echoFactory = (): Factory => ({ buildProtocol: () => new EchoProtocol() });
/** A factory of one DiscardProtocol per connection: what `switchboard serve discard` listens with. */
export const discardFactory = (): Factory => ({ buildProtocol: () => new DiscardProtocol() });
