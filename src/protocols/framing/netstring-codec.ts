// D. J. Bernstein's netstrings (https://cr.yp.to/proto/netstrings.txt): a decimal length, a colon,
// the payload and a comma. The HOWTO's length prefix in text form, parsed strictly.
//
//   one frame:  +--------------------+---+------------------+---+
//               | length, in decimal | : | payload          | , |
//               | no leading zeros   |   | (length bytes)   |   |
//               +--------------------+---+------------------+---+
//   "12:hello world!,"  ->  "hello world!"          "0:,"  ->  ""
import { ByteQueue } from './byte-queue.js';
import { CodecGuard } from './codec-guard.js';
import { FrameSyntaxError, FrameTooLongError, type Codec } from './codec.js';
import { concatBytes, requireCount } from './support.js';

/** Options of a NetstringCodec. */
export interface NetstringCodecOptions {
  /** The longest payload. */
  readonly maxFrameLength: number;
}

const ZERO = 0x30;
const NINE = 0x39;
const COLON = 0x3a;
const COMMA = 0x2c;

/** Reading the length's digits (`digits` so far, worth `value`), or the payload and its comma. */
type State = { readonly phase: 'length'; readonly digits: number; readonly value: number } | { readonly phase: 'payload'; readonly length: number };

const START: State = { phase: 'length', digits: 0, value: 0 };

/**
 * Splits a byte stream of netstrings into their payloads. Call grammar: `feed* end?`; each call
 * emits the payloads it completes, in order. Payloads may be views of the fed chunks: do not modify
 * a chunk once fed.
 *
 * Malformed input throws FrameSyntaxError: a length with no digits, a leading zero ("01:"), a byte
 * other than a digit before the colon, or a byte other than a comma after the payload. The length
 * throws FrameTooLongError (`limit`, `atLeast`) at the first digit that takes it over the limit;
 * since a length only grows with each digit, this also caps the digits at those of the limit. Frames
 * completed before an error are emitted first, and the codec stays failed. `end` inside a
 * netstring throws FrameSyntaxError.
 */
export class NetstringCodec implements Codec<Uint8Array> {
  readonly #maxFrameLength: number;
  readonly #guard = new CodecGuard();
  /** The payload (and then its comma) of the netstring being read; digits are never held. */
  readonly #queue = new ByteQueue();
  #state: State = START;

  /** Throws RangeError if `maxFrameLength` is not a count. */
  constructor(options: NetstringCodecOptions) {
    this.#maxFrameLength = requireCount('maxFrameLength', options.maxFrameLength);
  }

  feed(chunk: Uint8Array, emit: (frame: Uint8Array) => void): void {
    this.#guard.feed(() => {
      let index = 0;
      while (index < chunk.length) index = this.#step(chunk, index, emit);
    });
  }

  end(_emit: (frame: Uint8Array) => void): void {
    this.#guard.end(() => {
      const state = this.#state;
      if (state.phase === 'payload' || state.digits > 0) {
        throw new FrameSyntaxError('Cannot decode frame: the stream ended inside a netstring');
      }
    });
  }

  /** Returns the netstring of `payload`; throws RangeError over `maxFrameLength`. */
  encode(payload: Uint8Array): Uint8Array {
    if (payload.length > this.#maxFrameLength) {
      throw new RangeError(`Cannot encode frame: length ${payload.length} exceeds the limit of ${this.#maxFrameLength} bytes`);
    }
    return concatBytes(new TextEncoder().encode(`${payload.length}:`), payload, Uint8Array.of(COMMA));
  }

  /** Consumes bytes from `chunk[index]` on, up to the end of a length or a payload; returns where it stopped. */
  #step(chunk: Uint8Array, index: number, emit: (frame: Uint8Array) => void): number {
    const state = this.#state;
    switch (state.phase) {
      case 'length':
        return this.#readLength(state, chunk, index);
      case 'payload': {
        const stop = Math.min(chunk.length, index + state.length + 1 - this.#queue.bytes);
        this.#queue.push(chunk.subarray(index, stop));
        if (this.#queue.bytes === state.length + 1) {
          const payload = this.#queue.take(state.length);
          const [comma] = this.#queue.take(1);
          if (comma !== COMMA) {
            throw new FrameSyntaxError(`Cannot decode frame: expected "," after a ${state.length}-byte payload, got byte ${comma}`);
          }
          this.#state = START;
          emit(payload);
        }
        return stop;
      }
      /* c8 ignore next 4 */
      default: {
        const unreachable: never = state;
        return unreachable;
      }
    }
  }

  #readLength(start: Extract<State, { phase: 'length' }>, chunk: Uint8Array, from: number): number {
    let { digits, value } = start;
    let index = from;
    for (const byte of chunk.subarray(from)) {
      index += 1;
      if (byte === COLON) {
        if (digits === 0) throw new FrameSyntaxError('Cannot decode frame: a netstring length needs at least one digit');
        this.#state = { phase: 'payload', length: value };
        return index;
      }
      if (byte < ZERO || byte > NINE) throw new FrameSyntaxError(`Cannot decode frame: byte ${byte} in a netstring length`);
      if (digits > 0 && value === 0) throw new FrameSyntaxError('Cannot decode frame: a netstring length has a leading zero');
      value = value * 10 + (byte - ZERO);
      digits += 1;
      if (value > this.#maxFrameLength) throw new FrameTooLongError(this.#maxFrameLength, { atLeast: value });
    }
    this.#state = { phase: 'length', digits, value };
    return index;
  }
}
