// Frames ended by a delimiter of any length: the HOWTO's "delimited" messages. Bytes are scanned
// once however the input is chunked; not for binary payloads that may contain the delimiter.
//
//   one frame:  +---------------------------------------+-----------+
//               | payload: 0..maxFrameLength bytes,     | delimiter |
//               | no delimiter inside                   |           |
//               +---------------------------------------+-----------+
//   "hello\r\n" with delimiter "\r\n" decodes to "hello" ("hello\r\n" with stripDelimiter: false).
import { ByteQueue } from './byte-queue.js';
import { CodecGuard } from './codec-guard.js';
import { FrameSyntaxError, FrameTooLongError, type Codec } from './codec.js';
import { DelimiterSearch, endsAtFirstDelimiter } from './delimiter-search.js';
import { concatBytes, requireCount } from './support.js';

/** Options of a DelimitedCodec. */
export interface DelimitedCodecOptions {
  /** The bytes that end a frame; a string is taken as its UTF-8 bytes. Must not be empty. */
  readonly delimiter: Uint8Array | string;
  /** The longest payload (delimiter not counted) a frame may have. */
  readonly maxFrameLength: number;
  /** Whether emitted frames leave out the delimiter (default true). */
  readonly stripDelimiter?: boolean;
  /**
   * Opt-in, for chat-like protocols (tokio's `LinesCodec`): skip an overlong frame up to the next
   * delimiter and go on decoding, instead of failing. Default false.
   */
  readonly discardOverlong?: boolean;
  /** With `discardOverlong`, told of each frame skipped, as soon as it is known to be too long. */
  readonly onDiscard?: (error: FrameTooLongError) => void;
  /** Whether EOF after a partial frame emits it (default false: FrameSyntaxError). */
  readonly emitPartialAtEOF?: boolean;
}

/** Scanning a frame (held in the queue), or skipping the rest of one found too long. */
type State = { readonly phase: 'frame' } | { readonly phase: 'discarding' };

/**
 * Splits a byte stream at a delimiter. Call grammar: `feed* end?`; each call emits the frames it
 * completes, in order. Frames may be views of the fed chunks: do not modify a chunk once fed.
 *
 * Once `maxFrameLength + delimiter.length` bytes have arrived without a delimiter, `feed` throws
 * FrameTooLongError with `limit` and `atLeast` (the bytes that are surely payload), after emitting
 * the frames completed before it; the codec then stays failed. With `discardOverlong` it instead
 * calls `onDiscard` with that error, drops the frame through its delimiter and continues. `end`
 * after a partial frame throws FrameSyntaxError, or with `emitPartialAtEOF` emits it (a partial
 * frame over the limit is then FrameTooLongError with `length`, or discarded).
 */
export class DelimitedCodec implements Codec<Uint8Array> {
  readonly #search: DelimiterSearch;
  readonly #maxFrameLength: number;
  readonly #isStripping: boolean;
  readonly #isDiscarding: boolean;
  readonly #onDiscard: ((error: FrameTooLongError) => void) | undefined;
  readonly #isEmittingPartial: boolean;
  readonly #guard = new CodecGuard();
  readonly #queue = new ByteQueue();
  #state: State = { phase: 'frame' };

  /** Throws RangeError for an empty delimiter or a `maxFrameLength` that is not a count. */
  constructor(options: DelimitedCodecOptions) {
    const { delimiter } = options;
    // Copied, so that the caller changing its array cannot change where frames end.
    this.#search = new DelimiterSearch(typeof delimiter === 'string' ? new TextEncoder().encode(delimiter) : delimiter.slice());
    this.#maxFrameLength = requireCount('maxFrameLength', options.maxFrameLength);
    this.#isStripping = options.stripDelimiter ?? true;
    this.#isDiscarding = options.discardOverlong ?? false;
    this.#onDiscard = options.onDiscard;
    this.#isEmittingPartial = options.emitPartialAtEOF ?? false;
  }

  /** The delimiter's bytes. */
  get delimiter(): Uint8Array {
    return this.#search.delimiter.slice();
  }

  feed(chunk: Uint8Array, emit: (frame: Uint8Array) => void): void {
    this.#guard.feed(() => {
      let index = 0;
      while (index < chunk.length) index = this.#step(chunk, index, emit);
    });
  }

  end(emit: (frame: Uint8Array) => void): void {
    this.#guard.end(() => {
      const held = this.#queue.bytes;
      // A frame being discarded was reported when found too long; EOF just ends the skipping.
      if (this.#state.phase === 'discarding' || held === 0) return;
      if (!this.#isEmittingPartial) {
        throw new FrameSyntaxError(`Cannot decode frame: the stream ended after ${held} bytes of a frame with no delimiter`);
      }
      if (held > this.#maxFrameLength) this.#overlong(new FrameTooLongError(this.#maxFrameLength, { length: held }));
      else emit(this.#queue.take(held));
    });
  }

  /**
   * Returns `frame` followed by the delimiter (with `stripDelimiter: false`, `frame` must already end
   * with it, and is returned as is). Throws RangeError if decoding would not give `frame` back: a
   * payload over `maxFrameLength`, or a delimiter inside it (also one that would straddle its end).
   */
  encode(frame: Uint8Array): Uint8Array {
    const delimiter = this.#search.delimiter;
    const out = this.#isStripping ? concatBytes(frame, delimiter) : frame;
    const payload = out.length - delimiter.length;
    if (payload > this.#maxFrameLength) {
      throw new RangeError(`Cannot encode frame: length ${payload} exceeds the limit of ${this.#maxFrameLength} bytes`);
    }
    if (!endsAtFirstDelimiter(out, delimiter)) {
      throw new RangeError('Cannot encode frame: the delimiter must occur exactly once, at its end');
    }
    return out;
  }

  /** Consumes bytes from `chunk[index]` on, up to one frame boundary; returns where it stopped. */
  #step(chunk: Uint8Array, index: number, emit: (frame: Uint8Array) => void): number {
    const state = this.#state;
    switch (state.phase) {
      case 'frame':
        return this.#scanFrame(chunk, index, emit);
      case 'discarding': {
        const end = this.#search.next(chunk, index, chunk.length);
        if (end < 0) return chunk.length;
        this.#state = { phase: 'frame' };
        return end;
      }
      /* c8 ignore next 4 */
      default: {
        const unreachable: never = state;
        return unreachable;
      }
    }
  }

  #scanFrame(chunk: Uint8Array, from: number, emit: (frame: Uint8Array) => void): number {
    const delimiterLength = this.#search.delimiter.length;
    const allowed = this.#maxFrameLength + delimiterLength;
    // Scan no further than the byte that proves the frame too long (the queue is always short of it).
    const to = Math.min(chunk.length, from + allowed - this.#queue.bytes);
    const end = this.#search.next(chunk, from, to);
    if (end >= 0) {
      this.#queue.push(chunk.subarray(from, end));
      const held = this.#queue.bytes;
      const frame = this.#queue.take(this.#isStripping ? held - delimiterLength : held);
      this.#queue.clear();
      emit(frame);
      return end;
    }
    this.#queue.push(chunk.subarray(from, to));
    if (this.#queue.bytes === allowed) {
      // The last `matched` bytes may still begin a delimiter; everything before them is payload.
      this.#overlong(new FrameTooLongError(this.#maxFrameLength, { atLeast: allowed - this.#search.matched }));
    }
    return to;
  }

  #overlong(error: FrameTooLongError): void {
    if (!this.#isDiscarding) throw error;
    this.#queue.clear();
    this.#state = { phase: 'discarding' };
    this.#onDiscard?.(error);
  }
}
