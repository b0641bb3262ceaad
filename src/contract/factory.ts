// How connections get their protocols: one Factory builds one Protocol per connection, listening or
// connecting alike. Types only: nothing here exists at run time.
import type { Address } from './address.js';
import type { Protocol } from './protocol.js';

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
