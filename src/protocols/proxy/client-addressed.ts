// After a PROXY header, the real protocol must see the client's address, not the balancer's:
// ClientAddressed is the layer handed the connection. It passes everything through (a
// ProtocolWrapper) but reports the header's addresses as peerAddress and localAddress; a later
// switch (an HTTP Upgrade) keeps the layer, so the next protocol sees the client too. `onEnd` runs
// once, when the connection is gone (the per-peer count's release).
import type { Address, Protocol } from '../../contract/index.js';
import { ProtocolWrapper } from '../protocol-wrapper.js';

/** The addresses the real protocol sees, and what runs when the connection ends. */
export interface ClientAddresses {
  /** The client's address from the header. */
  readonly peer: Address;
  /** The address the client connected to, from the header. */
  readonly local: Address;
  /** Runs once when the connection is lost. */
  readonly onEnd?: () => void;
}

/** The layer a PROXY header hands the connection to: the real protocol, seeing the client's addresses. */
export class ClientAddressed extends ProtocolWrapper {
  readonly #addresses: ClientAddresses;
  #isEnded = false;

  /** Wraps `inner`, which sees `addresses` as its connection's. */
  constructor(inner: Protocol, addresses: ClientAddresses) {
    super(inner, 'the PROXY protocol layer');
    this.#addresses = addresses;
  }

  /** The client's address, as the PROXY header gave it. */
  override get peerAddress(): Address {
    return this.#addresses.peer;
  }

  /** The address the client connected to (the balancer's), as the PROXY header gave it. */
  override get localAddress(): Address {
    return this.#addresses.local;
  }

  /** Passes the loss up, after running `onEnd` once. */
  override connectionLost(reason?: Error): void {
    if (!this.#isEnded) {
      this.#isEnded = true;
      this.#addresses.onEnd?.();
    }
    super.connectionLost(reason);
  }
}
