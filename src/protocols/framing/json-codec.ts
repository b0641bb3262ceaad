// JSON messages over any framer: each frame from the codec below is one JSON text in UTF-8 (for
// JSON Lines, stack it on a LineCodec). It parses; it does not check the value's shape.
//
//   one frame:  +----------------------------------+
//               | one JSON text, UTF-8             |   7b 22 61 22 3a 31 7d  <->  {"a":1}
//               +----------------------------------+
import { CodecGuard } from './codec-guard.js';
import { FrameSyntaxError, type Codec } from './codec.js';
import { decodeUtf8 } from './utf8-codec.js';
import { requireCount } from './support.js';

/** Options of a JsonCodec. */
export interface JsonCodecOptions {
  /**
   * The deepest nesting of arrays and objects accepted (`1` and `[1]` are depths 0 and 1). Checked
   * before parsing, so a hostile `[[[[...` costs one scan; default unlimited.
   */
  readonly maxDepth?: number;
}

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACKET = 0x5d;
const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;

/**
 * Decodes each frame as one JSON value. Call grammar: `feed* end?`; `feed` emits exactly one value
 * per frame; `end` emits nothing. `T` is what the caller expects: values are not checked against it.
 *
 * Invalid UTF-8, text that JSON.parse rejects (its SyntaxError is the `cause`) or nesting deeper
 * than `maxDepth` throw a recoverable FrameSyntaxError: only that frame is rejected (each feed is
 * one whole frame), and the codec takes the next one. In a stack, the application's decodeFailed
 * decides whether the connection goes on.
 */
export class JsonCodec<T = unknown> implements Codec<T> {
  readonly #maxDepth: number | undefined;
  readonly #decoder = new TextDecoder('utf-8', { fatal: true });
  readonly #encoder = new TextEncoder();
  readonly #guard = new CodecGuard();
  /** The feed step (an arrow field: CodecGuard runs it with no closure per frame). */
  readonly #decode = (frame: Uint8Array, emit: (value: T) => void): void => {
    const text = decodeUtf8(this.#decoder, frame);
    if (this.#maxDepth !== undefined && exceedsDepth(text, this.#maxDepth)) {
      throw new FrameSyntaxError(`Cannot decode frame: JSON nested deeper than ${this.#maxDepth}`, { recoverable: true });
    }
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch (error) {
      throw new FrameSyntaxError('Cannot decode frame: invalid JSON', { cause: error, recoverable: true });
    }
    // The I/O boundary: the peer's JSON is taken to be a T, as the type parameter promises.
    emit(value as T);
  };

  /** Throws RangeError if `maxDepth` is given and is not a count. */
  constructor(options: JsonCodecOptions = {}) {
    const { maxDepth } = options;
    this.#maxDepth = maxDepth === undefined ? undefined : requireCount('maxDepth', maxDepth);
  }

  /** Emits the value parsed from `frame`, one whole JSON text (Codec.feed). */
  feed(frame: Uint8Array, emit: (value: T) => void): void {
    this.#guard.feed(this.#decode, frame, emit);
  }

  /** EOF: nothing is held, so nothing is emitted. */
  end(_emit: (value: T) => void): void {
    this.#guard.end(() => undefined);
  }

  /** JSON.stringify of `value` as UTF-8. Throws TypeError for what JSON cannot hold (undefined, BigInt, cycles). */
  encode(value: T): Uint8Array {
    const text: unknown = JSON.stringify(value);
    if (typeof text !== 'string') throw new TypeError(`Cannot encode ${typeof value} as JSON`);
    return this.#encoder.encode(text);
  }
}

/** Whether `text` nests arrays and objects deeper than `maxDepth` (brackets in strings do not count). */
function exceedsDepth(text: string, maxDepth: number): boolean {
  let depth = 0;
  let isInString = false;
  let isEscaped = false;
  for (let index = 0; index < text.length; index += 1) {
    const code = text.charCodeAt(index);
    if (isInString) {
      if (isEscaped) isEscaped = false;
      else if (code === BACKSLASH) isEscaped = true;
      else if (code === QUOTE) isInString = false;
    } else if (code === QUOTE) {
      isInString = true;
    } else if (code === OPEN_BRACKET || code === OPEN_BRACE) {
      depth += 1;
      if (depth > maxDepth) return true;
    } else if (code === CLOSE_BRACKET || code === CLOSE_BRACE) {
      depth -= 1;
    }
  }
  return false;
}
