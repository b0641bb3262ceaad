// The PROXY protocol as a layer in front of any factory: each connection first gets a
// ProxyHeaderReader, which reads the header the balancer sends (v1 or v2), checks that the
// connection comes from an allowed balancer and that the client may have one more connection, then
// builds the real protocol for the client's address and hands it the connection with whatever
// followed the header (the protocol switching of Transport.setProtocol). No header within the
// deadline, a malformed one, a source not allowed: the connection is closed, nothing else is read.
import type { Address, Factory, Protocol, Transport } from '../../contract/index.js';
import type { Cancellable, Scheduler } from '../scheduler.js';
import { switchProtocol } from '../switching.js';
import { ClientAddressed } from './client-addressed.js';
import { ProxyHeaderError, readProxyHeader } from './proxy-header.js';

/** Seconds a connection has to send its whole PROXY header (default of `timeout`). */
export const DEFAULT_PROXY_HEADER_SECONDS = 10;
/** Bytes a PROXY header may take, TLVs included (default of `maxHeaderBytes`): v1 needs 107 at most. */
export const DEFAULT_PROXY_HEADER_BYTES = 4096;

/**
 * Whether one more connection from a client may be served (the per-peer limit, counted after the
 * header). `decide` may be called at once or later (the count may live in another process); the
 * connection's reading pauses meanwhile. `release` is called once the admitted connection ends.
 */
export interface PeerAdmission {
  /** Asks whether `peer` may have one more connection; `decide` gets the answer (now or later). */
  admit(peer: Address, decide: (isAdmitted: boolean) => void): void;
  /** An admitted connection of `peer` ended: its place is free. */
  release?(peer: Address): void;
}

/** Options of withProxyProtocol(). */
export interface ProxyProtocolOptions {
  /** Timers for the header deadline. */
  readonly scheduler: Scheduler;
  /** True for a host (the balancer's numeric address) allowed to send a header; others are closed at once. */
  readonly isAllowedSource: (host: string) => boolean;
  /** Seconds for the whole header (default DEFAULT_PROXY_HEADER_SECONDS). */
  readonly timeout?: number;
  /** Largest header accepted, in bytes (default DEFAULT_PROXY_HEADER_BYTES); a v2 length past it is refused before buffering. */
  readonly maxHeaderBytes?: number;
  /** The per-peer limit (default: none). A refused client gets the factory's refusal, then is closed. */
  readonly admission?: PeerAdmission;
  /** Hears each connection closed for a bad or missing header, or a source not allowed (default: nothing). */
  readonly onRejected?: (reason: Error, from: Address) => void;
}

const hostOf = (address: Address): string => (typeof address === 'string' ? address : address[0]);

/** Reads the PROXY header of one connection, then hands the connection to the real protocol. */
export class ProxyHeaderReader implements Protocol {
  readonly #factory: Factory;
  readonly #options: ProxyProtocolOptions;
  readonly #maxBytes: number;
  #transport: Transport | undefined;
  #received: Uint8Array = new Uint8Array(0);
  #timer: Cancellable | undefined;
  #isDone = false;

  /** Reads the header of one connection, then builds `factory`'s protocol for the client. */
  constructor(factory: Factory, options: ProxyProtocolOptions) {
    this.#factory = factory;
    this.#options = options;
    this.#maxBytes = options.maxHeaderBytes ?? DEFAULT_PROXY_HEADER_BYTES;
  }

  /** Closes a connection from a source not allowed; otherwise starts the header deadline. */
  connectionMade(transport: Transport): void {
    this.#transport = transport;
    if (!this.#options.isAllowedSource(hostOf(transport.peerAddress))) {
      this.#reject(new ProxyHeaderError(`Cannot accept a PROXY header from ${hostOf(transport.peerAddress)}: not an allowed balancer`));
      return;
    }
    this.#timer = this.#options.scheduler.callLater(this.#options.timeout ?? DEFAULT_PROXY_HEADER_SECONDS, () => {
      this.#timer = undefined;
      this.#reject(new ProxyHeaderError(`Cannot read the PROXY header: none within ${this.#options.timeout ?? DEFAULT_PROXY_HEADER_SECONDS} s`));
    });
  }

  /** Collects the header (bounded); once complete, hands the connection over with what followed it. */
  dataReceived(data: Uint8Array): void {
    if (this.#isDone) return;
    // Held: at most maxBytes plus one chunk, and only until the header is complete.
    this.#received = this.#received.length === 0 ? data : Buffer.concat([this.#received, data]);
    let header;
    try {
      header = readProxyHeader(this.#received, this.#maxBytes);
    } catch (error) {
      if (!(error instanceof ProxyHeaderError)) throw error;
      this.#reject(error);
      return;
    }
    if (header === undefined) {
      if (this.#received.length > this.#maxBytes) this.#reject(new ProxyHeaderError(`Cannot read the PROXY header: ${this.#received.length} bytes and no header within the limit of ${this.#maxBytes}`));
      return;
    }
    this.#stopTimer();
    this.#isDone = true;
    const transport = this.#transport;
    if (transport === undefined) return;
    const leftover = this.#received.subarray(header.length);
    this.#received = new Uint8Array(0);
    const peer = header.source ?? transport.peerAddress;
    const local = header.destination ?? transport.localAddress;
    this.#admit(transport, peer, local, leftover);
  }

  /** EOF before a complete header: the connection closes. */
  eofReceived(): boolean {
    if (!this.#isDone) this.#reject(new ProxyHeaderError('Cannot read the PROXY header: the connection ended before it'));
    return false;
  }

  /** The connection ended during the header: the deadline stops. */
  connectionLost(): void {
    this.#stopTimer();
    this.#isDone = true;
    this.#transport = undefined;
  }

  #admit(transport: Transport, peer: Address, local: Address, leftover: Uint8Array): void {
    const admission = this.#options.admission;
    if (admission === undefined) {
      this.#handOver(transport, peer, local, leftover, undefined);
      return;
    }
    // The answer may come later (from another process): the bytes behind the header wait in the kernel.
    transport.pauseReading();
    admission.admit(peer, (isAdmitted) => {
      if (transport.isClosing) {
        if (isAdmitted) admission.release?.(peer);
        return;
      }
      if (!isAdmitted) {
        const refusal = this.#factory.refusal?.();
        if (refusal !== undefined) transport.write(refusal);
        transport.close();
        return;
      }
      transport.resumeReading();
      this.#handOver(transport, peer, local, leftover, () => admission.release?.(peer));
    });
  }

  #handOver(transport: Transport, peer: Address, local: Address, leftover: Uint8Array, onEnd: (() => void) | undefined): void {
    const inner = this.#factory.buildProtocol(peer);
    switchProtocol(transport, new ClientAddressed(inner, { peer, local, ...(onEnd === undefined ? {} : { onEnd }) }), leftover.length > 0 ? [leftover] : []);
  }

  #reject(reason: Error): void {
    this.#stopTimer();
    this.#isDone = true;
    this.#received = new Uint8Array(0);
    const transport = this.#transport;
    if (transport === undefined || transport.isClosing) return;
    this.#options.onRejected?.(reason, transport.peerAddress);
    transport.abort();
  }

  #stopTimer(): void {
    if (this.#timer?.active() === true) this.#timer.cancel();
    this.#timer = undefined;
  }
}

/**
 * `factory` behind the PROXY protocol (HAProxy's, v1 and v2): each connection must start with a
 * header from an allowed source within the deadline; the real protocol is then built for the
 * client's address (`buildProtocol(client)`, and its transport's peerAddress is the client's).
 * v2 LOCAL (a health check), v1 UNKNOWN and v2's UNSPEC family keep the connection's own addresses.
 * The wrapped factory's refusal is kept (for connection limits).
 */
export function withProxyProtocol(factory: Factory, options: ProxyProtocolOptions): Factory {
  const refusal = factory.refusal?.bind(factory);
  return {
    buildProtocol: () => new ProxyHeaderReader(factory, options),
    ...(refusal === undefined ? {} : { refusal }),
  };
}
