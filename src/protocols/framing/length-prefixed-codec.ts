// Frames announced by a length field: the HOWTO's "prefix with their length" messages, with the
// knobs of Netty's LengthFieldBasedFrameDecoder. The declared length is checked against the limit
// as soon as the header is in, before a byte of the body is waited for.
//
//   one frame:
//   +----------------------+--------------------+--------------------------------------------+
//   | lengthFieldOffset    | length field       | body: field value + lengthAdjustment bytes |
//   | bytes (written as 0) | (1, 2, 4 or 8 B)   | (minus the header, lengthIncludesHeader)   |
//   +----------------------+--------------------+--------------------------------------------+
//   |<------ initialBytesToStrip (default: the whole header) ------>|   emitted: the rest
//
//   lengthFieldLength 2, the defaults:   00 05 68 65 6c 6c 6f  ->  68 65 6c 6c 6f  ("hello")
//   lengthFieldLength 4, little-endian:  05 00 00 00 68 65 6c 6c 6f  ->  the same
import { type ByteCounters, ChunkQueue } from '../../bytes/chunk-queue.js';
import { CodecGuard } from './codec-guard.js';
import { FrameSyntaxError, FrameTooLongError, type Codec } from './codec.js';
import { dataViewOf, readLengthField, requireFieldLength, writeLengthField, type ByteOrder, type LengthFieldLength } from './length-field.js';
import { concatBytes, requireCount, viewOf } from './support.js';

// Re-exported: the options below name them.
export type { ByteOrder, LengthFieldLength } from './length-field.js';

/** Options of a LengthPrefixedCodec; the names and meanings are Netty's. */
export interface LengthPrefixedCodecOptions {
  /** The size of the length field. */
  readonly lengthFieldLength: LengthFieldLength;
  /** Default 'big' (network order). */
  readonly byteOrder?: ByteOrder;
  /** Bytes before the length field (default 0). `encode` writes them as zeros. */
  readonly lengthFieldOffset?: number;
  /** Added to the field's value to give the length of the body, which follows the field (default 0). */
  readonly lengthAdjustment?: number;
  /** Bytes dropped from the start of each frame (default lengthFieldOffset + lengthFieldLength). */
  readonly initialBytesToStrip?: number;
  /** Whether the field counts the header (offset bytes and field) as well as the body (default false). */
  readonly lengthIncludesHeader?: boolean;
  /** The longest frame `emit` may deliver, that is after `initialBytesToStrip`. */
  readonly maxFrameLength: number;
}

/**
 * Where the frame held stands: short of its header, or waiting for the rest of a frame whose end
 * (counted from its first byte) is known. Only a frame cut across chunks has a state: the frames
 * lying whole in a chunk never leave the hot path, so a state object is made per cut, not per frame.
 */
type State = { readonly phase: 'header' } | { readonly phase: 'body'; readonly frameEnd: number };

const HEADER: State = { phase: 'header' };

/**
 * Splits a byte stream into length-prefixed frames. Call grammar: `feed* end?`; each call emits the
 * frames it completes, in order. Frames may be views of the fed chunks: do not modify a chunk once fed.
 *
 * As soon as a header is complete, a frame that would emit more than `maxFrameLength` bytes throws
 * FrameTooLongError with `limit` and `length` (an 8-byte field over 2^53-1: `atLeast`), and a length
 * that ends the frame inside its header or before `initialBytesToStrip` throws FrameSyntaxError; the
 * frames completed before are emitted first, and the codec stays failed. `end` inside a frame
 * throws FrameSyntaxError.
 *
 * A frame lying whole in the chunk being fed is emitted as a view of it, never queued: only the
 * frame the chunk ends inside of is held, and completed from the start of the next chunk.
 */
export class LengthPrefixedCodec implements Codec<Uint8Array> {
  readonly #fieldLength: LengthFieldLength;
  readonly #byteOrder: ByteOrder;
  readonly #fieldOffset: number;
  readonly #headerLength: number;
  /** What to add to the field's value to get the frame's end, counted from its first byte. */
  readonly #endAdjustment: number;
  readonly #strip: number;
  /** What to add to the field's value to get the length emitted: #endAdjustment - #strip. */
  readonly #emittedAdjustment: number;
  readonly #maxFrameLength: number;
  readonly #guard = new CodecGuard();
  /** The bytes of the one frame that the chunks fed so far end inside of. */
  readonly #queue = new ChunkQueue();
  #state: State = HEADER;
  /** The feed step (an arrow field: CodecGuard runs it with no closure per chunk). */
  readonly #decode = (chunk: Uint8Array, emit: (frame: Uint8Array) => void): void => {
    const index = this.#queue.bytes > 0 ? this.#completeHeld(chunk, emit) : 0;
    if (index < chunk.length) this.#emitWhole(chunk, index, emit);
  };

  /** Throws RangeError for an option out of range. */
  constructor(options: LengthPrefixedCodecOptions) {
    this.#fieldLength = requireFieldLength(options.lengthFieldLength);
    this.#byteOrder = options.byteOrder ?? 'big';
    this.#fieldOffset = requireCount('lengthFieldOffset', options.lengthFieldOffset ?? 0);
    this.#headerLength = this.#fieldOffset + this.#fieldLength;
    const adjustment = requireCount('lengthAdjustment', options.lengthAdjustment ?? 0, Number.MIN_SAFE_INTEGER);
    this.#endAdjustment = adjustment + (options.lengthIncludesHeader === true ? 0 : this.#headerLength);
    this.#strip = requireCount('initialBytesToStrip', options.initialBytesToStrip ?? this.#headerLength);
    this.#emittedAdjustment = this.#endAdjustment - this.#strip;
    this.#maxFrameLength = requireCount('maxFrameLength', options.maxFrameLength);
  }

  /** Emits each frame `chunk` completes, its header stripped as configured (Codec.feed). */
  /** Bytes copied to join a frame held across chunks so far (nothing is searched): O(bytes fed), however split. */
  get counters(): ByteCounters {
    return { scanned: 0, copied: this.#queue.counters.copied };
  }

  feed(chunk: Uint8Array, emit: (frame: Uint8Array) => void): void {
    this.#guard.feed(this.#decode, chunk, emit);
  }

  /** EOF: emits nothing; throws FrameSyntaxError inside a frame. */
  end(_emit: (frame: Uint8Array) => void): void {
    this.#guard.end(() => {
      // Only a frame the stream ended inside of is ever held.
      const held = this.#queue.bytes;
      if (held > 0) throw new FrameSyntaxError(`Cannot decode frame: the stream ended inside a frame, after ${held} of its bytes`);
    });
  }

  /**
   * Returns the header followed by `body`, the bytes after the length field: what decoding emits
   * with the default `initialBytesToStrip`. Throws RangeError if the field cannot hold the length, or
   * if decoding would emit more than `maxFrameLength` bytes.
   */
  encode(body: Uint8Array): Uint8Array {
    const emitted = this.#headerLength + body.length - this.#strip;
    if (emitted > this.#maxFrameLength) {
      throw new RangeError(`Cannot encode frame: length ${emitted} exceeds the limit of ${this.#maxFrameLength} bytes`);
    }
    const field = writeLengthField(this.#headerLength + body.length - this.#endAdjustment, this.#fieldLength, this.#byteOrder);
    return concatBytes(new Uint8Array(this.#fieldOffset), field, body);
  }

  /**
   * Adds the start of `chunk` to the frame held, emitting it if the chunk completes it. Returns
   * where the rest of the chunk begins (its length if the frame took it all).
   */
  #completeHeld(chunk: Uint8Array, emit: (frame: Uint8Array) => void): number {
    const queue = this.#queue;
    let index = 0;
    let state = this.#state;
    if (state.phase === 'header') {
      index = Math.min(chunk.length, this.#headerLength - queue.bytes);
      queue.push(chunk.subarray(0, index));
      if (queue.bytes < this.#headerLength) return index;
      state = { phase: 'body', frameEnd: this.#readHeader(dataViewOf(queue.peek(this.#headerLength)), 0) };
      this.#state = state;
    }
    const stop = Math.min(chunk.length, index + state.frameEnd - queue.bytes);
    queue.push(chunk.subarray(index, stop));
    if (queue.bytes < state.frameEnd) return stop;
    queue.drop(this.#strip);
    const frame = queue.take(queue.bytes);
    this.#state = HEADER;
    emit(frame);
    return stop;
  }

  /**
   * The hot path, with nothing held: emits each frame lying whole in `chunk` from `from` on as a view
   * of it, reading its header in place; the frame cut short by the chunk's end is queued.
   */
  #emitWhole(chunk: Uint8Array, from: number, emit: (frame: Uint8Array) => void): void {
    const view = dataViewOf(chunk);
    let index = from;
    while (chunk.length - index >= this.#headerLength) {
      const frameEnd = this.#readHeader(view, index);
      if (chunk.length - index < frameEnd) {
        this.#state = { phase: 'body', frameEnd };
        break;
      }
      const frame = viewOf(chunk, index + this.#strip, index + frameEnd);
      index += frameEnd;
      emit(frame);
    }
    if (index < chunk.length) this.#queue.push(chunk.subarray(index));
  }

  /** Validates the header at `view[at]`; returns the frame's end, counted from `at`. */
  #readHeader(view: DataView, at: number): number {
    const value = readLengthField(view, at + this.#fieldOffset, this.#fieldLength, this.#byteOrder, this.#maxFrameLength);
    // Adjusted in one addition, so that a value near 2^53 is compared with the limit unrounded.
    const length = value + this.#emittedAdjustment;
    const frameEnd = length + this.#strip;
    if (length < 0 || frameEnd < this.#headerLength) {
      const needed = Math.max(this.#headerLength, this.#strip);
      throw new FrameSyntaxError(
        `Cannot decode frame: length field ${value} makes a frame of ${frameEnd} bytes, ` +
          `fewer than the ${needed} its header and initialBytesToStrip need`,
      );
    }
    if (length > this.#maxFrameLength) throw new FrameTooLongError(this.#maxFrameLength, { length });
    return frameEnd;
  }
}
