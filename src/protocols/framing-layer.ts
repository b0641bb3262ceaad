// The one adapter that joins a pure codec to the Protocol/Transport contract: a Protocol of `Down`
// to the layer below and a Transport of `Up` to the layer above (Netty's ByteToMessageDecoder,
// tokio's Framed). It alone handles re-entry: after each frame it delivers, it stops if the layer
// above closed or paused, and keeps the frames not yet delivered until it resumes.
import type { Address } from '../transports/address.js';
import type { Protocol, Transport } from '../transports/protocol.js';
import type { Codec } from './framing/codec.js';

/** A protocol that wants to answer a decoding error before its connection closes (chat's notice). */
export interface DecodeErrorAware {
  /** The codec rejected the input; the connection closes with `error` as its reason after this. */
  decodeFailed?(error: Error): void;
}

/** The most decoded frames held back while the layer above has paused reading. */
const MAX_HELD_FRAMES = 1024;

export class FramingLayer<Up, Down = Uint8Array> implements Protocol<Down, Down>, Transport<Up> {
  readonly #codec: Codec<Up, Down>;
  readonly #upper: Protocol<Up, Up> & DecodeErrorAware;
  #lower: Transport<Down> | undefined;
  #held: Up[] = [];
  #isUpperReading = true;
  #isDelivering = false;
  #failure: Error | undefined;
  #isEOFPending = false;
  readonly #emit = (frame: Up): void => {
    this.#held.push(frame);
  };

  constructor(codec: Codec<Up, Down>, upper: Protocol<Up, Up> & DecodeErrorAware) {
    this.#codec = codec;
    this.#upper = upper;
  }

  // ---- Protocol, to the layer below --------------------------------------------------------------

  connectionMade(transport: Transport<Down>): void {
    this.#lower = transport;
    this.#upper.connectionMade(this);
  }

  dataReceived(data: Down): void {
    if (this.#failure !== undefined) return;
    try {
      this.#codec.feed(data, this.#emit);
    } catch (error) {
      // Frames completed before the bad input still reach the layer above, then the error closes.
      this.#deliver();
      this.#fail(error instanceof Error ? error : new Error(String(error)));
      return;
    }
    this.#deliver();
  }

  eofReceived(): boolean {
    try {
      this.#codec.end(this.#emit);
    } catch (error) {
      this.#deliver();
      this.#fail(error instanceof Error ? error : new Error(String(error)));
      return false;
    }
    this.#deliver();
    if (this.#held.length > 0) {
      // Frames still wait for a paused reader: their EOF follows them (see #deliver).
      this.#isEOFPending = true;
      return true;
    }
    return this.#upper.eofReceived?.() === true;
  }

  connectionLost(reason?: Error): void {
    this.#upper.connectionLost(reason ?? this.#failure);
  }

  pauseWriting(): void {
    this.#upper.pauseWriting?.();
  }

  resumeWriting(): void {
    this.#upper.resumeWriting?.();
  }

  // ---- Transport, to the layer above -------------------------------------------------------------

  write(frame: Up): void {
    this.#requireLower().write(this.#codec.encode(frame));
  }

  writeEOF(): void {
    this.#requireLower().writeEOF();
  }

  close(): void {
    this.#held = [];
    this.#requireLower().close();
  }

  abort(): void {
    this.#held = [];
    this.#requireLower().abort();
  }

  pauseReading(): void {
    this.#isUpperReading = false;
    this.#requireLower().pauseReading();
  }

  resumeReading(): void {
    this.#isUpperReading = true;
    this.#deliver();
    if (this.#isUpperReading && this.#held.length === 0) this.#requireLower().resumeReading();
  }

  get isReading(): boolean {
    return this.#isUpperReading && (this.#lower?.isReading ?? false);
  }

  get isClosing(): boolean {
    return this.#lower?.isClosing ?? false;
  }

  getWriteBufferSize(): number {
    return this.#lower?.getWriteBufferSize() ?? 0;
  }

  setWriteBufferLimits(high?: number, low?: number): void {
    this.#requireLower().setWriteBufferLimits(high, low);
  }

  get localAddress(): Address {
    return this.#requireLower().localAddress;
  }

  get peerAddress(): Address {
    return this.#requireLower().peerAddress;
  }

  // ---- internals ---------------------------------------------------------------------------------

  #deliver(): void {
    if (this.#isDelivering) return;
    this.#isDelivering = true;
    try {
      let index = 0;
      while (index < this.#held.length && this.#isUpperReading && !this.isClosing) {
        const frame = this.#held[index];
        index += 1;
        if (frame !== undefined) this.#upper.dataReceived(frame);
      }
      this.#held = index >= this.#held.length ? [] : this.#held.slice(index);
    } finally {
      this.#isDelivering = false;
    }
    if (this.#held.length > MAX_HELD_FRAMES) {
      this.#fail(new RangeError(`More than ${MAX_HELD_FRAMES} decoded frames held while reading was paused`));
    }
    if (this.#isEOFPending && this.#held.length === 0 && this.#isUpperReading && !this.isClosing) {
      this.#isEOFPending = false;
      if (this.#upper.eofReceived?.() !== true) this.close();
    }
  }

  #fail(error: Error): void {
    if (this.#failure !== undefined) return;
    this.#failure = error;
    this.#held = [];
    this.#upper.decodeFailed?.(error);
    this.#lower?.close();
  }

  #requireLower(): Transport<Down> {
    if (this.#lower === undefined) throw new Error('The framing layer is not connected yet');
    return this.#lower;
  }
}
