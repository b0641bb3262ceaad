// The one adapter that joins a pure codec to the Protocol/Transport contract: a Protocol of `Down`
// to the layer below and a Transport of `Up` to the layer above (Netty's ByteToMessageDecoder,
// tokio's Framed). It alone handles re-entry: each frame is delivered as the codec emits it, and
// after each one it stops if the layer above closed, paused or switched, keeping the rest for later.
//
//   input --feed--> codec --emit--> layer above      (reading, nothing waiting: the hot path)
//   input --------> #undecoded                       (paused, or input already waiting)
//   codec --emit--> #held frames                     (paused, from a codec without takeBuffered)
import type { Protocol, Transport } from '../contract/index.js';
import type { DecodeErrorAware } from './decode-error-aware.js';
import { type Codec, isRecoverable } from './framing/codec.js';
import { ProtocolSwitchError, switchProtocol } from './switching.js';
import { TransportWrapper } from './transport-wrapper.js';

/** The most decoded frames, or undecoded chunks, held back while the layer above has paused reading. */
const MAX_HELD = 1024;

/**
 * A codec run as a layer. While the layer above pauses, input waits undecoded when the codec can
 * give bytes back (`takeBuffered`), so a switch made on resuming (raw mode, a handoff) finds every
 * later byte still undecoded; other codecs keep the frames they decoded. EOF waits behind both.
 * Its Transport half is a TransportWrapper: the calls it does not override pass to the transport
 * below, and throw NotConnectedError before connectionMade or after handOff.
 */
export class FramingLayer<Up, Down = Uint8Array> extends TransportWrapper<Up, Down> implements Protocol<Down, Down>, DecodeErrorAware {
  readonly #codec: Codec<Up, Down>;
  #upper: Protocol<Up, Up> & DecodeErrorAware;
  #held: Up[] = [];
  #undecoded: Down[] = [];
  #isUpperReading = true;
  #isWritingPaused = false;
  #isDelivering = false;
  #failure: Error | undefined;
  #isEOFPending = false;
  #hasEnded = false;
  /** What the layer above threw from dataReceived: its own bug, not bad input, so it is rethrown. */
  #upperError: unknown;
  readonly #emit = (frame: Up): void => {
    if (this.#held.length > 0 || !this.#canDeliver()) {
      this.#held.push(frame);
      this.#stopDecoding();
      return;
    }
    try {
      this.#upper.dataReceived(frame);
    } catch (error) {
      this.#upperError = error;
      throw error;
    }
    // The switch point: what the codec has not decoded yet waits, undecoded, for the new state.
    if ((this.#held.length > 0 || !this.#canDeliver()) && !this.isHandedOff) this.#stopDecoding();
  };

  /** Runs `codec` between the transport below and `upper`, which it connects on connectionMade. */
  constructor(codec: Codec<Up, Down>, upper: Protocol<Up, Up> & DecodeErrorAware) {
    super('the framing layer');
    this.#codec = codec;
    this.#upper = upper;
  }

  // ---- Protocol, to the layer below --------------------------------------------------------------

  /** Keeps `transport` as the layer below and connects the layer above to this layer. */
  connectionMade(transport: Transport<Down>): void {
    this.attach(transport);
    this.#upper.connectionMade(this);
  }

  /** Decodes `data`, delivering each frame as it is emitted; input waits undecoded while the layer above is paused. */
  dataReceived(data: Down): void {
    if (this.#failure !== undefined || this.isHandedOff) return;
    if (this.#isDelivering || this.#undecoded.length > 0 || this.#held.length > 0 || !this.#canDeliver()) {
      this.#undecoded.push(data);
      this.#resume();
      return;
    }
    this.#isDelivering = true;
    let isFed = false;
    try {
      isFed = this.#feed(data);
    } finally {
      this.#isDelivering = false;
    }
    if (isFed && (this.#held.length > 0 || this.#undecoded.length > 0)) this.#resume();
  }

  /** Ends the codec and passes EOF up once the input before it is delivered; keeps the connection open if the layer above does. */
  eofReceived(): boolean {
    if (this.#failure !== undefined || this.isHandedOff) return false;
    this.#isEOFPending = true;
    const answer = this.#pump();
    // Input still waits for a paused reader: its EOF follows it, and this layer closes then.
    return answer ?? this.#failure === undefined;
  }

  /** Passes the loss up, with the decoding error as the reason if one closed the connection. */
  connectionLost(reason?: Error): void {
    if (this.isHandedOff) return;
    this.#upper.connectionLost(reason ?? this.#failure);
  }

  /**
   * A codec below this layer's failed: the layer above hears it too, and its answer goes back down
   * (for a recoverable error, true keeps the connection open). So an application under a stack of
   * codecs hears of a failure in any of them, as under one.
   */
  decodeFailed(error: Error): boolean {
    return this.#upper.decodeFailed?.(error) === true;
  }

  /** Passes the pause up (and remembers it, for a protocol set later). */
  pauseWriting(): void {
    this.#isWritingPaused = true;
    this.#upper.pauseWriting?.();
  }

  /** Passes the resume up. */
  resumeWriting(): void {
    this.#isWritingPaused = false;
    this.#upper.resumeWriting?.();
  }

  // ---- Transport, to the layer above -------------------------------------------------------------

  /** Encodes `frame` and writes the result below; throws the codec's RangeError for a frame it cannot encode. */
  write(frame: Up): void {
    this.transportBelow('write').write(this.#codec.encode(frame));
  }

  /** Drops input not yet delivered and closes the transport below. */
  override close(): void {
    this.#discardInput();
    super.close();
  }

  /** Drops input not yet delivered and aborts the transport below. */
  override abort(): void {
    this.#discardInput();
    super.abort();
  }

  /** Stops delivering frames; the transport below pauses, and what is already in waits here. */
  override pauseReading(): void {
    this.#isUpperReading = false;
    super.pauseReading();
  }

  /**
   * Reading again: frames and input held while paused are delivered first, in order, and the
   * transport below resumes once they are all out (unless the layer above paused again meanwhile).
   */
  override resumeReading(): void {
    this.#isUpperReading = true;
    this.#resume();
    if (this.#isUpperReading && this.#held.length === 0 && this.#undecoded.length === 0) super.resumeReading();
  }

  /** Whether the layer above reads: it has not paused, and the transport below reads. */
  override get isReading(): boolean {
    return this.#isUpperReading && super.isReading;
  }

  // ---- switching ---------------------------------------------------------------------------------

  /**
   * Gives the frames to `next` from now on, keeping the codec (Transport.setProtocol): the current
   * layer above gets no more events, not even connectionLost; `next` gets connectionMade(this),
   * pauseWriting() if writing is paused, then `leftover` (frames the old one got and did not
   * consume), the frames held, and the rest of the stream, as reading allows. Throws
   * NotConnectedError before connectionMade and once the layer was handed off.
   */
  setProtocol(next: Protocol<Up, Up> & DecodeErrorAware, leftover: readonly Up[] = []): void {
    this.transportBelow('setProtocol');
    this.#upper = next;
    this.#held = [...leftover, ...this.#held];
    next.connectionMade(this);
    if (this.#isWritingPaused) next.pauseWriting?.();
    this.#resume();
  }

  /**
   * Removes and returns the input below not yet delivered as frames, in order: what the codec holds
   * and, called from dataReceived, the rest of the chunk being decoded (which then stops right after
   * the frame being delivered). What a line protocol hands to STARTTLS as leftover. Frames already
   * decoded and held are not included. Throws ProtocolSwitchError for a codec without takeBuffered.
   */
  takeUndecoded(): Down[] {
    const take = this.#codec.takeBuffered?.bind(this.#codec);
    if (take === undefined) throw new ProtocolSwitchError('Cannot take undecoded input: the codec has no takeBuffered()');
    const taken = [take(), ...this.#undecoded].filter((chunk) => !isEmpty(chunk));
    this.#undecoded = [];
    return taken;
  }

  /**
   * Hands the connection below to `next`, a protocol of `Down` (a line protocol switching to raw
   * bytes for good): the lower transport's setProtocol(next, takeUndecoded()). This layer and the
   * one above get no more events, not even connectionLost; `isClosing` is true for them from now
   * on, and their write, close and other calls throw NotConnectedError. Throws ProtocolSwitchError
   * if the codec cannot give its bytes back or the transport below cannot switch.
   */
  handOff(next: Protocol<Down, Down>): void {
    if (this.transportBelow('handOff').setProtocol === undefined) throw new ProtocolSwitchError('Cannot hand off: the transport below cannot switch protocols');
    const leftover = this.takeUndecoded();
    const lower = this.handOffBelow('handOff');
    this.#held = [];
    switchProtocol(lower, next, leftover);
  }

  // ---- internals ---------------------------------------------------------------------------------

  #canDeliver(): boolean {
    return this.#isUpperReading && !this.#isClosingNow();
  }

  /** isClosing, without throwing when there is no transport below (then nothing is delivered). */
  #isClosingNow(): boolean {
    return this.transportBelowIfAny?.isClosing ?? true;
  }

  /**
   * Feeds one chunk; false if the codec failed and the layer is closing. An error thrown by the
   * layer above goes on up to the transport below (the reactor closes the connection with it), as
   * if no codec sat between; the codec, interrupted mid-chunk, takes no more input.
   */
  #feed(data: Down): boolean {
    try {
      this.#codec.feed(data, this.#emit);
      return true;
    } catch (error) {
      if (error === this.#upperError) {
        this.#failure = error instanceof Error ? error : new Error(String(error));
        this.#discardInput();
        throw error;
      }
      // Frames completed before the bad input were delivered as they were decoded.
      return this.#fail(error instanceof Error ? error : new Error(String(error)));
    }
  }

  /** Stops the codec right after the frame just emitted; the rest waits undecoded (if the codec can). */
  #stopDecoding(): void {
    const rest = this.#codec.takeBuffered?.();
    if (rest !== undefined && !isEmpty(rest) && !this.#isClosingNow()) this.#undecoded.unshift(rest);
  }

  /** #pump, outside eofReceived: an EOF delivered now that the layer above does not keep open closes. */
  #resume(): void {
    if (this.#pump() === false) this.transportBelowIfAny?.close();
  }

  /**
   * Delivers what waits, held frames first, then undecoded input, while the layer above reads; then
   * a pending EOF. Returns the upper layer's eofReceived answer if EOF was delivered now.
   */
  #pump(): boolean | undefined {
    if (this.#isDelivering) return undefined;
    this.#isDelivering = true;
    try {
      while (this.#canDeliver() && this.#failure === undefined) {
        const frame = this.#held.shift();
        if (frame !== undefined) {
          this.#upper.dataReceived(frame);
          continue;
        }
        const input = this.#undecoded.shift();
        if (input === undefined) break;
        this.#feed(input);
      }
    } finally {
      this.#isDelivering = false;
    }
    if (this.#held.length > MAX_HELD || this.#undecoded.length > MAX_HELD) {
      this.#fail(new RangeError(`More than ${MAX_HELD} frames or chunks held while reading was paused`));
    }
    return this.#deliverEOF();
  }

  #deliverEOF(): boolean | undefined {
    if (!this.#isEOFPending || this.#undecoded.length > 0 || !this.#canDeliver() || this.#failure !== undefined) return undefined;
    if (!this.#hasEnded) {
      this.#hasEnded = true;
      try {
        this.#codec.end(this.#emit);
      } catch (error) {
        this.#fail(error instanceof Error ? error : new Error(String(error)));
        return false;
      }
    }
    if (this.#held.length > 0 || !this.#canDeliver()) return undefined;
    this.#isEOFPending = false;
    return this.#upper.eofReceived?.() === true;
  }

  #discardInput(): void {
    this.#held = [];
    this.#undecoded = [];
  }

  /**
   * Tells the layer above that decoding failed. A recoverable error (one whole frame rejected, the
   * codec still in step) that the layer above accepts by returning true loses nothing else: returns
   * true and decoding goes on. Otherwise the input waiting is dropped and the connection closes,
   * with `error` as its reason; returns false.
   */
  #fail(error: Error): boolean {
    if (this.#failure !== undefined) return false;
    const recoverable = isRecoverable(error);
    if (recoverable && this.#upper.decodeFailed?.(error) === true && !this.#isClosingNow()) return true;
    this.#failure = error;
    this.#discardInput();
    if (!recoverable) this.#upper.decodeFailed?.(error);
    this.transportBelowIfAny?.close();
    return false;
  }
}

/** Whether a chunk of input is empty bytes (input of any other type never is). */
function isEmpty(chunk: unknown): boolean {
  return chunk instanceof Uint8Array && chunk.length === 0;
}
