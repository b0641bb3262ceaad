// Frames of one fixed size: the HOWTO's first way of ending a message ("fixed length"). For
// protocols whose every message has the same length; for varying sizes, see LengthPrefixedCodec.
//
//   one frame:  +----------------------------------+
//               | exactly frameLength bytes        |
//               +----------------------------------+
//   frameLength 3:  61 62 63 64 65 66  ->  "abc", "def"
import { ChunkQueue } from '../../bytes/chunk-queue.js';
import { CodecGuard } from './codec-guard.js';
import { FrameSyntaxError, type Codec } from './codec.js';
import { requireCount, viewOf } from './support.js';

/** Options of a FixedLengthCodec. */
export interface FixedLengthCodecOptions {
  /** The size of every frame, at least 1 (frameLength is also the bound on what is held). */
  readonly frameLength: number;
}

/**
 * Splits a byte stream into frames of `frameLength` bytes. Call grammar: `feed* end?`; each call
 * emits the frames it completes, in order. Frames may be views of the fed chunks: do not modify a
 * chunk once fed. `end` after part of a frame throws FrameSyntaxError; the codec then stays failed.
 */
export class FixedLengthCodec implements Codec<Uint8Array> {
  readonly #frameLength: number;
  readonly #guard = new CodecGuard();
  /** The start of the frame that the chunks fed so far end inside of. */
  readonly #queue = new ChunkQueue();
  /** The feed step (an arrow field: CodecGuard runs it with no closure per chunk). */
  readonly #decode = (chunk: Uint8Array, emit: (frame: Uint8Array) => void): void => {
    const index = this.#queue.bytes > 0 ? this.#completeHeld(chunk, emit) : 0;
    if (index < chunk.length) this.#emitWhole(chunk, index, emit);
  };

  /** Throws RangeError if `frameLength` is not an integer of at least 1. */
  constructor(options: FixedLengthCodecOptions) {
    this.#frameLength = requireCount('frameLength', options.frameLength, 1);
  }

  /** Emits each `frameLength` bytes as a frame (Codec.feed). */
  feed(chunk: Uint8Array, emit: (frame: Uint8Array) => void): void {
    this.#guard.feed(this.#decode, chunk, emit);
  }

  /** EOF: emits nothing; throws FrameSyntaxError after part of a frame. */
  end(_emit: (frame: Uint8Array) => void): void {
    this.#guard.end(() => {
      const held = this.#queue.bytes;
      if (held > 0) {
        throw new FrameSyntaxError(`Cannot decode frame: the stream ended ${held} bytes into a ${this.#frameLength}-byte frame`);
      }
    });
  }

  /** Adds the start of `chunk` to the frame held, emitting it if complete; returns where the rest begins. */
  #completeHeld(chunk: Uint8Array, emit: (frame: Uint8Array) => void): number {
    const stop = Math.min(chunk.length, this.#frameLength - this.#queue.bytes);
    this.#queue.push(chunk.subarray(0, stop));
    if (this.#queue.bytes === this.#frameLength) emit(this.#queue.take(this.#frameLength));
    return stop;
  }

  /** The hot path, with nothing held: each whole frame is a view of `chunk`; only the last partial one is queued. */
  #emitWhole(chunk: Uint8Array, from: number, emit: (frame: Uint8Array) => void): void {
    let index = from;
    while (chunk.length - index >= this.#frameLength) {
      const frame = viewOf(chunk, index, index + this.#frameLength);
      index += this.#frameLength;
      emit(frame);
    }
    if (index < chunk.length) this.#queue.push(chunk.subarray(index));
  }

  /** Returns `frame` itself; throws RangeError unless it is exactly `frameLength` bytes. */
  encode(frame: Uint8Array): Uint8Array {
    if (frame.length !== this.#frameLength) {
      throw new RangeError(`Cannot encode frame: length ${frame.length} is not the frame length ${this.#frameLength}`);
    }
    return frame;
  }
}
