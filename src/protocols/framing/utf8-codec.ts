// Text messages over any framer: each frame from the codec below is one string, its UTF-8 bytes.
// Strict both ways (invalid UTF-8 in, lone surrogates out), so a round trip is exact.
//
//   one frame:  +----------------------------------+
//               | UTF-8 bytes (a BOM is kept)      |   68 c3 a9  <->  "hé"
//               +----------------------------------+
import { CodecGuard } from './codec-guard.js';
import { FrameSyntaxError, type Codec } from './codec.js';

/** A lone UTF-16 surrogate: `u` mode matches paired surrogates as one code point, never this. */
const LONE_SURROGATE = /\p{Cs}/u;

/**
 * Decodes each frame as UTF-8 into one string. Stack it above a framer (LineCodec, NetstringCodec):
 * Down is a whole frame, never part of one. Call grammar: `feed* end?`; `feed` emits exactly one
 * string per frame; `end` emits nothing.
 *
 * Invalid UTF-8 throws a recoverable FrameSyntaxError (its `cause` is the TextDecoder's TypeError):
 * only that frame is rejected, and the codec takes the next one. A leading BOM is part of the string.
 */
export class Utf8Codec implements Codec<string> {
  readonly #decoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
  readonly #encoder = new TextEncoder();
  readonly #guard = new CodecGuard();
  /** The feed step (an arrow field: CodecGuard runs it with no closure per frame). */
  readonly #decode = (frame: Uint8Array, emit: (text: string) => void): void => emit(decodeUtf8(this.#decoder, frame));

  /** Emits `frame` decoded as one string (Codec.feed). */
  feed(frame: Uint8Array, emit: (text: string) => void): void {
    this.#guard.feed(this.#decode, frame, emit);
  }

  /** EOF: nothing is held, so nothing is emitted. */
  end(_emit: (text: string) => void): void {
    this.#guard.end(() => undefined);
  }

  /** The UTF-8 bytes of `text`; throws RangeError for a lone surrogate, which UTF-8 cannot hold. */
  encode(text: string): Uint8Array {
    if (LONE_SURROGATE.test(text)) throw new RangeError('Cannot encode text: it holds a lone surrogate');
    return this.#encoder.encode(text);
  }
}

/** `decoder.decode(bytes)`, one whole frame, with its TypeError for invalid input turned into a recoverable FrameSyntaxError. */
export function decodeUtf8(decoder: { decode(bytes: Uint8Array): string }, bytes: Uint8Array): string {
  try {
    return decoder.decode(bytes);
  } catch (error) {
    // Recoverable: `bytes` is one whole frame, so the next frame starts in step.
    throw new FrameSyntaxError('Cannot decode frame: invalid UTF-8', { cause: error, recoverable: true });
  }
}
