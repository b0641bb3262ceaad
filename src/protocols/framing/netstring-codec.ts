// D. J. Bernstein's netstrings (https://cr.yp.to/proto/netstrings.txt): a decimal length, a colon,
// the payload and a comma. The HOWTO's length prefix in text form, parsed strictly.
//
//   one frame:  +--------------------+---+------------------+---+
//               | length, in decimal | : | payload          | , |
//               | no leading zeros   |   | (length bytes)   |   |
//               +--------------------+---+------------------+---+
//   "12:hello world!,"  ->  "hello world!"          "0:,"  ->  ""
import { type ByteCounters, ChunkQueue } from '../../bytes/chunk-queue.js';
import { CodecGuard } from './codec-guard.js';
import { FrameSyntaxError, FrameTooLongError, type Codec } from './codec.js';
import { concatBytes, elementAt, requireCount, viewOf } from './support.js';

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
  readonly #queue = new ChunkQueue();
  #state: State = START;
  /** The feed step (an arrow field: CodecGuard runs it with no closure per chunk). */
  readonly #decode = (chunk: Uint8Array, emit: (frame: Uint8Array) => void): void => {
    let index = 0;
    while (index < chunk.length) index = this.#step(chunk, index, emit);
  };

  /** Throws RangeError if `maxFrameLength` is not a count. */
  constructor(options: NetstringCodecOptions) {
    this.#maxFrameLength = requireCount('maxFrameLength', options.maxFrameLength);
  }

  /** Emits the payload of each netstring `chunk` completes (Codec.feed). */
  /** Bytes copied to join a frame held across chunks so far (nothing is searched): O(bytes fed), however split. */
  get counters(): ByteCounters {
    return { scanned: 0, copied: this.#queue.counters.copied };
  }

  feed(chunk: Uint8Array, emit: (frame: Uint8Array) => void): void {
    this.#guard.feed(this.#decode, chunk, emit);
  }

  /** EOF: emits nothing; throws FrameSyntaxError inside a netstring. */
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
      case 'payload':
        return this.#queue.bytes === 0 && chunk.length - index > state.length
          ? this.#emitInPlace(state.length, chunk, index, emit)
          : this.#readHeldPayload(state.length, chunk, index, emit);
      /* c8 ignore next 4 */
      default: {
        const unreachable: never = state;
        return unreachable;
      }
    }
  }

  /** The hot path: the payload and its comma lie whole in `chunk` from `from` on, so the payload is a view of it. */
  #emitInPlace(length: number, chunk: Uint8Array, from: number, emit: (frame: Uint8Array) => void): number {
    const end = from + length;
    this.#endPayload(length, elementAt(chunk, end));
    emit(viewOf(chunk, from, end));
    return end + 1;
  }

  /** Queues the payload (and its comma) as it arrives, across chunks; emits it once whole. */
  #readHeldPayload(length: number, chunk: Uint8Array, from: number, emit: (frame: Uint8Array) => void): number {
    const stop = Math.min(chunk.length, from + length + 1 - this.#queue.bytes);
    this.#queue.push(chunk.subarray(from, stop));
    if (this.#queue.bytes === length + 1) {
      const payload = this.#queue.take(length);
      this.#endPayload(length, elementAt(this.#queue.take(1), 0));
      emit(payload);
    }
    return stop;
  }

  /** Checks the byte after a payload, which must be its comma, and starts the next netstring. */
  #endPayload(length: number, comma: number): void {
    if (comma !== COMMA) throw new FrameSyntaxError(`Cannot decode frame: expected "," after a ${length}-byte payload, got byte ${comma}`);
    this.#state = START;
  }

  #readLength(start: Extract<State, { phase: 'length' }>, chunk: Uint8Array, from: number): number {
    let { digits, value } = start;
    let index = from;
    while (index < chunk.length) {
      const byte = elementAt(chunk, index);
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
