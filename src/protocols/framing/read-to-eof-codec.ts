// The whole stream as one frame, ended by EOF: the HOWTO's "shutting down the connection" way of
// ending a message (HTTP/1.0 bodies without Content-Length). Not for more than one message per
// connection: a sender using it cannot send a second.
//
//   the stream:  +--------------------------------------+ EOF
//                | one frame: 0..maxFrameLength bytes   |
//                +--------------------------------------+
import { ChunkQueue } from '../../bytes/chunk-queue.js';
import { CodecGuard } from './codec-guard.js';
import { FrameTooLongError, type Codec } from './codec.js';
import { requireCount } from './support.js';

/** Options of a ReadToEofCodec. */
export interface ReadToEofCodecOptions {
  /** The longest stream accepted. */
  readonly maxFrameLength: number;
}

/**
 * Collects a byte stream until EOF and emits it as one frame from `end` (an empty stream gives an
 * empty frame). Call grammar: `feed* end?`; `feed` never emits. The fed chunks are kept, not copied,
 * until `end` joins them: do not modify a chunk once fed.
 *
 * As soon as more than `maxFrameLength` bytes have arrived, `feed` throws FrameTooLongError with
 * `limit` and `atLeast` (limit + 1, the same however the stream was chunked); the codec stays failed.
 */
export class ReadToEofCodec implements Codec<Uint8Array> {
  readonly #maxFrameLength: number;
  readonly #guard = new CodecGuard();
  readonly #queue = new ChunkQueue();
  /** The feed step, which never emits (an arrow field: CodecGuard runs it with no closure per chunk). */
  readonly #hold = (chunk: Uint8Array): void => {
    if (this.#queue.bytes + chunk.length > this.#maxFrameLength) {
      throw new FrameTooLongError(this.#maxFrameLength, { atLeast: this.#maxFrameLength + 1 });
    }
    this.#queue.push(chunk);
  };

  /** Throws RangeError if `maxFrameLength` is not a count. */
  constructor(options: ReadToEofCodecOptions) {
    this.#maxFrameLength = requireCount('maxFrameLength', options.maxFrameLength);
  }

  /** Holds `chunk`, emitting nothing; throws FrameTooLongError once the stream is over the limit. */
  feed(chunk: Uint8Array, _emit: (frame: Uint8Array) => void): void {
    this.#guard.feed(this.#hold, chunk, undefined);
  }

  /** EOF: emits the whole stream as one frame. */
  end(emit: (frame: Uint8Array) => void): void {
    this.#guard.end(() => emit(this.#queue.take(this.#queue.bytes)));
  }

  /** Returns `frame` itself (the sender ends it with EOF); throws RangeError over `maxFrameLength`. */
  encode(frame: Uint8Array): Uint8Array {
    if (frame.length > this.#maxFrameLength) {
      throw new RangeError(`Cannot encode frame: length ${frame.length} exceeds the limit of ${this.#maxFrameLength} bytes`);
    }
    return frame;
  }
}
