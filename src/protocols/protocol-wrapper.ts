// A layer around one protocol of the same message type (Twisted's ProtocolWrapper): a Protocol to
// the transport below and the Transport of the protocol it wraps, passing every event up and every
// call down unchanged. IdleTimeout and Throttle extend it and override only what they change.
import type { Protocol, Transport } from '../contract/index.js';
import type { DecodeErrorAware } from './decode-error-aware.js';
import { ProtocolSwitchError } from './switching.js';
import { TransportWrapper } from './transport-wrapper.js';

/**
 * Wraps `wrapped`: events from below go to it, its transport calls go below, all unchanged.
 * A switch (setProtocol) keeps this layer in place, with its state, around the next protocol: the
 * transport below re-announces the connection to this layer (connectionMade, pauseWriting if
 * writing is paused, the leftover, then the rest of the stream), which passes it all to `next`.
 */
export class ProtocolWrapper<M = Uint8Array> extends TransportWrapper<M, M> implements Protocol<M, M>, DecodeErrorAware {
  #wrapped: Protocol<M, M> & DecodeErrorAware;

  /** `layerName` names the layer in NotConnectedError's message. */
  constructor(wrapped: Protocol<M, M> & DecodeErrorAware, layerName = 'the protocol wrapper') {
    super(layerName);
    this.#wrapped = wrapped;
  }

  /** The protocol this layer wraps now (another one after setProtocol). */
  protected get wrapped(): Protocol<M, M> & DecodeErrorAware {
    return this.#wrapped;
  }

  /** Keeps `transport` as the one below and connects the wrapped protocol to this layer. */
  connectionMade(transport: Transport<M>): void {
    this.attach(transport);
    this.#wrapped.connectionMade(this);
  }
  /** Passes `data` up. */
  dataReceived(data: M): void {
    this.#wrapped.dataReceived(data);
  }
  /** Passes EOF up; true keeps the connection open. */
  eofReceived(): boolean {
    return this.#wrapped.eofReceived?.() === true;
  }
  /** Passes the loss up. */
  connectionLost(reason?: Error): void {
    this.#wrapped.connectionLost(reason);
  }
  /** Passes the pause up. */
  pauseWriting(): void {
    this.#wrapped.pauseWriting?.();
  }
  /** Passes the resume up. */
  resumeWriting(): void {
    this.#wrapped.resumeWriting?.();
  }
  /** Passes a codec's failure up (a wrapper over a stack's application), with its answer. */
  decodeFailed(error: Error): boolean {
    return this.#wrapped.decodeFailed?.(error) === true;
  }

  /** Writes `data` below. */
  write(data: M): void {
    this.transportBelow('write').write(data);
  }

  /**
   * Transport.setProtocol: `next` is wrapped by this same layer from now on, and the transport below
   * hands the connection over (to this layer again, which passes it on), so its own rules on leftover,
   * paused reading and paused writing hold unchanged. Throws ProtocolSwitchError when the transport
   * below cannot switch, NotConnectedError before connectionMade.
   */
  setProtocol(next: Protocol<M, M>, leftover: readonly M[] = []): void {
    const below = this.transportBelow('setProtocol');
    if (below.setProtocol === undefined) throw new ProtocolSwitchError('Cannot switch protocols: the transport below this layer cannot switch');
    this.#wrapped = next;
    below.setProtocol(this, leftover);
  }
}
