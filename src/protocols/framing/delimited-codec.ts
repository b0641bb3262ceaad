// Frames ended by a delimiter of any length: the HOWTO's "delimited" messages. Bytes are scanned
// once however the input is chunked; not for binary payloads that may contain the delimiter.
//
//   one frame:  +---------------------------------------+-----------+
//               | payload: 0..maxFrameLength bytes,     | delimiter |
//               | no delimiter inside                   |           |
//               +---------------------------------------+-----------+
//   "hello\r\n" with delimiter "\r\n" decodes to "hello" ("hello\r\n" with stripDelimiter: false).
import { type ByteCounters, ChunkQueue } from '../../bytes/chunk-queue.js';
import { CodecGuard } from './codec-guard.js';
import { FrameSyntaxError, FrameTooLongError, type Codec } from './codec.js';
import { DelimiterSearch, endsAtFirstDelimiter } from '../../bytes/delimiter-search.js';
import { concatBytes, requireCount, viewOf } from './support.js';

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

/** Scanning a frame (held in the queue), skipping the rest of one found too long, or passing bytes through. */
type State = { readonly phase: 'frame' } | { readonly phase: 'discarding' } | { readonly phase: 'raw' };

const EMPTY = new Uint8Array(0);

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
 *
 * Switching mid-stream (Twisted's LineReceiver): `setRawMode()` passes the input through undecoded,
 * `setDelimitedMode(extra?)` goes back to frames, and `takeBuffered()` gives back what was fed and
 * not emitted. Called from `emit`, each takes effect right after the frame being emitted, so the
 * rest of the same chunk is already raw (or taken, or decoded after `extra`).
 */
export class DelimitedCodec implements Codec<Uint8Array> {
  readonly #search: DelimiterSearch;
  readonly #maxFrameLength: number;
  readonly #isStripping: boolean;
  readonly #isDiscarding: boolean;
  readonly #onDiscard: ((error: FrameTooLongError) => void) | undefined;
  readonly #isEmittingPartial: boolean;
  readonly #guard = new CodecGuard();
  readonly #queue = new ChunkQueue();
  #state: State = { phase: 'frame' };
  /** The chunk `feed` is decoding, so that a switch made from `emit` can take or extend its rest. */
  #input: Uint8Array | undefined;
  /** Where decoding of #input goes on after the frame being emitted. */
  #resumeAt = 0;
  /** A switch made from `emit` replaced #input (or took it): the feed loop must look again. */
  #isRedirected = false;
  /** The feed step (an arrow field, so that CodecGuard can run it with no closure per chunk). */
  readonly #decode = (chunk: Uint8Array, emit: (frame: Uint8Array) => void): void => {
    let input = chunk;
    let index = 0;
    this.#input = chunk;
    while (index < input.length) {
      index = this.#step(input, index, emit);
      if (this.#isRedirected) {
        this.#isRedirected = false;
        if (this.#input === undefined) return;
        input = this.#input;
        index = this.#resumeAt;
      }
    }
    this.#input = undefined;
  };

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

  /** Emits each frame `chunk` completes (Codec.feed); a switch made from `emit` takes effect right after that frame. */
  feed(chunk: Uint8Array, emit: (frame: Uint8Array) => void): void {
    this.#guard.feed(this.#decode, chunk, emit);
  }

  /** Bytes scanned for delimiters and copied to join frames so far: O(bytes fed), however split. */
  get counters(): ByteCounters {
    return { scanned: this.#search.scanned, copied: this.#queue.counters.copied };
  }

  /** Whether the input is passed through undecoded (after `setRawMode()`). */
  get isRawMode(): boolean {
    return this.#state.phase === 'raw';
  }

  /**
   * From now on, emits the input as it arrives, undecoded (one frame per chunk, any length): the
   * raw part of a protocol, a body of known length after a header line. A partial frame already held
   * is emitted first, raw. Ends the skipping of an overlong frame. Throws once the codec failed or ended.
   */
  setRawMode(): void {
    this.#guard.check('setRawMode');
    this.#search.reset();
    this.#state = { phase: 'raw' };
  }

  /**
   * Back to frames after raw mode (Twisted's setLineMode): `extra`, raw bytes the caller was given
   * and did not consume, are decoded first, before the rest of the input. With `extra`, call it from
   * `emit` (the layer above's dataReceived): elsewhere there is nothing to emit the frames to, and it
   * throws an Error. Throws once the codec failed or ended.
   */
  setDelimitedMode(extra?: Uint8Array): void {
    this.#guard.check('setDelimitedMode');
    if (this.#state.phase === 'raw') this.#state = { phase: 'frame' };
    if (extra === undefined || extra.length === 0) return;
    const input = this.#input;
    if (input === undefined) throw new Error('Cannot decode extra bytes outside feed: pass them while a frame is being emitted');
    const rest = input.subarray(this.#resumeAt);
    this.#input = rest.length === 0 ? extra : concatBytes(extra, rest);
    this.#resumeAt = 0;
    this.#isRedirected = true;
  }

  /** See Codec.takeBuffered: the partial frame held, and from `emit` the rest of the chunk. */
  takeBuffered(): Uint8Array {
    this.#guard.check('takeBuffered');
    const input = this.#input;
    const rest = input === undefined ? EMPTY : input.subarray(this.#resumeAt);
    if (input !== undefined) {
      this.#input = undefined;
      this.#isRedirected = true;
    }
    // A frame being skipped stays skipped: its dropped bytes are not given back.
    if (this.#state.phase === 'discarding' || this.#queue.bytes === 0) return rest;
    // The held bytes will be fed again, so the search forgets having seen them.
    this.#search.reset();
    const held = this.#queue.take(this.#queue.bytes);
    return rest.length === 0 ? held : concatBytes(held, rest);
  }

  /** EOF: emits held raw bytes, or the partial frame with `emitPartialAtEOF`; otherwise a partial frame is FrameSyntaxError. */
  end(emit: (frame: Uint8Array) => void): void {
    this.#guard.end(() => {
      const held = this.#queue.bytes;
      // A frame being discarded was reported when found too long; EOF just ends the skipping.
      if (this.#state.phase === 'discarding' || held === 0) return;
      if (this.#state.phase === 'raw') {
        emit(this.#queue.take(held));
        return;
      }
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
      case 'raw':
        return this.#passRaw(chunk, index, emit);
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
      const frame = this.#frameEndingAt(chunk, from, end);
      this.#resumeAt = end;
      emit(frame);
      return end;
    }
    this.#queue.push(chunk.subarray(from, to));
    if (this.#queue.bytes === allowed) {
      this.#resumeAt = to;
      // The last `matched` bytes may still begin a delimiter; everything before them is payload.
      this.#overlong(new FrameTooLongError(this.#maxFrameLength, { atLeast: allowed - this.#search.matched }));
    }
    return to;
  }

  /**
   * The frame whose delimiter ends at `chunk[end - 1]`, `chunk[from, end)` being its last bytes. The
   * hot path: nothing held, so the frame is one view of the chunk, with no trip through the queue.
   */
  #frameEndingAt(chunk: Uint8Array, from: number, end: number): Uint8Array {
    const trimmed = this.#isStripping ? this.#search.delimiter.length : 0;
    if (this.#queue.bytes === 0) return viewOf(chunk, from, end - trimmed);
    // A delimiter may straddle the held bytes and the chunk, so the queue does the cutting.
    this.#queue.push(chunk.subarray(from, end));
    const frame = this.#queue.take(this.#queue.bytes - trimmed);
    this.#queue.clear();
    return frame;
  }

  /** Emits the rest of `chunk` as it is (a view when it is all of it), after any partial frame held. */
  #passRaw(chunk: Uint8Array, index: number, emit: (frame: Uint8Array) => void): number {
    if (this.#queue.bytes > 0) {
      this.#resumeAt = index;
      emit(this.#queue.take(this.#queue.bytes));
      return index;
    }
    this.#resumeAt = chunk.length;
    emit(index === 0 ? chunk : chunk.subarray(index));
    return chunk.length;
  }

  #overlong(error: FrameTooLongError): void {
    if (!this.#isDiscarding) throw error;
    this.#queue.clear();
    this.#state = { phase: 'discarding' };
    this.#onDiscard?.(error);
  }
}
