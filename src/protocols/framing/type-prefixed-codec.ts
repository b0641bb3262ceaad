// Frames whose first byte names the message type, and the type fixes how the rest is framed: the
// socket HOWTO's "easiest enhancement" (make the first character of the message an indicator of
// its type, and have the type determine the length). Not for self-describing or nested messages.
//
//   a 'fixed' type:         +-----------+------------------------------------+
//                           | type (1B) | payload: exactly `length` bytes    |
//                           +-----------+------------------------------------+
//   a 'length-field' type:  +-----------+-------------------+----------------+
//                           | type (1B) | length (1,2,4,8B) | payload        |
//                           +-----------+-------------------+----------------+
//   types {1: fixed 2, 2: length-field 1}:  01 68 69 02 03 61 62 63  ->  {1, "hi"}, {2, "abc"}
import { ChunkQueue } from '../../bytes/chunk-queue.js';
import { CodecGuard } from './codec-guard.js';
import { FrameSyntaxError, FrameTooLongError, type Codec } from './codec.js';
import { dataViewOf, readLengthField, requireFieldLength, writeLengthField, type ByteOrder, type LengthFieldLength } from './length-field.js';
import { concatBytes, elementAt, requireCount, viewOf } from './support.js';

/** How the payload of one message type is framed. */
export type MessageTypeSpec =
  | {
      /** Every payload of the type has the same size. */
      readonly kind: 'fixed';
      /** That size, in bytes (at most the codec's maxFrameLength). */
      readonly length: number;
    }
  | {
      /** A length field after the type byte gives the payload's size. */
      readonly kind: 'length-field';
      /** The size of that field. */
      readonly lengthFieldLength: LengthFieldLength;
      /** The order of its bytes; default 'big' (network order). */
      readonly byteOrder?: ByteOrder;
    };

/** A decoded frame: its type byte and its payload. */
export interface TypedFrame {
  /** The type byte, 0 to 255. */
  readonly type: number;
  /** The bytes after the type byte and any length field. */
  readonly payload: Uint8Array;
}

/** Options of a TypePrefixedCodec. */
export interface TypePrefixedCodecOptions {
  /** The known types (0 to 255) and how each is framed; any other type byte is malformed input. */
  readonly types: ReadonlyMap<number, MessageTypeSpec> | Readonly<Record<number, MessageTypeSpec>>;
  /** The longest payload of any type. */
  readonly maxFrameLength: number;
}

/** A MessageTypeSpec checked, with its defaults filled in. */
type Spec =
  | { readonly kind: 'fixed'; readonly length: number }
  | { readonly kind: 'length-field'; readonly lengthFieldLength: LengthFieldLength; readonly byteOrder: ByteOrder };

type LengthFieldSpec = Extract<Spec, { kind: 'length-field' }>;

/** Waiting for a type byte, for the length field of a type, or for a payload of known length. */
type State =
  | { readonly phase: 'type' }
  | { readonly phase: 'length'; readonly type: number; readonly spec: LengthFieldSpec }
  | { readonly phase: 'payload'; readonly type: number; readonly length: number };

/**
 * Splits a byte stream into typed frames. Call grammar: `feed* end?`; each call emits the frames it
 * completes, in order. Payloads may be views of the fed chunks: do not modify a chunk once fed.
 *
 * An unknown type byte throws FrameSyntaxError; a length field over `maxFrameLength` throws
 * FrameTooLongError with `limit` and `length`, as soon as the field is in. Frames completed before
 * are emitted first, and the codec stays failed. `end` inside a frame throws FrameSyntaxError.
 * A frame lying whole in the chunk being fed is emitted with a view of it as its payload, unqueued.
 */
export class TypePrefixedCodec implements Codec<TypedFrame> {
  /** Indexed by type byte; `undefined` for an unknown type. */
  readonly #types: readonly (Spec | undefined)[];
  readonly #maxFrameLength: number;
  readonly #guard = new CodecGuard();
  /** The bytes of the current phase of a frame that a chunk ended inside of (never a type byte). */
  readonly #queue = new ChunkQueue();
  #state: State = { phase: 'type' };
  /** The feed step (an arrow field: CodecGuard runs it with no closure per chunk). */
  readonly #decode = (chunk: Uint8Array, emit: (frame: TypedFrame) => void): void => {
    let index = 0;
    while (index < chunk.length) {
      // Between frames nothing is held, so the frames lying whole in the chunk need no queue.
      if (this.#state.phase === 'type') index = this.#emitWhole(chunk, index, emit);
      if (index < chunk.length) index = this.#advanceHeld(chunk, index, emit);
    }
  };

  /** Throws RangeError for a type outside 0..255, or a spec that is out of range or over the limit. */
  constructor(options: TypePrefixedCodecOptions) {
    this.#maxFrameLength = requireCount('maxFrameLength', options.maxFrameLength);
    const entries = options.types instanceof Map ? [...options.types] : Object.entries(options.types);
    const types = new Array<Spec | undefined>(256).fill(undefined);
    for (const [key, spec] of entries) {
      const type = Number(key);
      if (!Number.isInteger(type) || type < 0 || type > 255) throw new RangeError(`Invalid message type: ${key} is not a byte`);
      types[type] = this.#checkSpec(spec);
    }
    this.#types = types;
  }

  /** Emits each typed frame `chunk` completes (Codec.feed). */
  feed(chunk: Uint8Array, emit: (frame: TypedFrame) => void): void {
    this.#guard.feed(this.#decode, chunk, emit);
  }

  /** EOF: emits nothing; throws FrameSyntaxError inside a frame. */
  end(_emit: (frame: TypedFrame) => void): void {
    this.#guard.end(() => {
      // In the 'type' phase the queue is empty: feed consumes every type byte it is given.
      const state = this.#state;
      if (state.phase !== 'type') throw new FrameSyntaxError(`Cannot decode frame: the stream ended inside a frame of type ${state.type}`);
    });
  }

  /**
   * The type byte, the length field if the type has one, and the payload. Throws RangeError if
   * decoding would not give `frame` back: an unknown type, a payload over the limit or of the wrong
   * length for a 'fixed' type.
   */
  encode(frame: TypedFrame): Uint8Array {
    const { type, payload } = frame;
    const spec = this.#types[type];
    if (spec === undefined) throw new RangeError(`Cannot encode frame: unknown message type ${type}`);
    if (payload.length > this.#maxFrameLength) {
      throw new RangeError(`Cannot encode frame: length ${payload.length} exceeds the limit of ${this.#maxFrameLength} bytes`);
    }
    const typeByte = Uint8Array.of(type);
    switch (spec.kind) {
      case 'fixed':
        if (payload.length !== spec.length) {
          throw new RangeError(`Cannot encode frame: type ${type} has ${spec.length}-byte payloads, not ${payload.length}`);
        }
        return concatBytes(typeByte, payload);
      case 'length-field':
        return concatBytes(typeByte, writeLengthField(payload.length, spec.lengthFieldLength, spec.byteOrder), payload);
      /* c8 ignore next 4 */
      default: {
        const unreachable: never = spec;
        return unreachable;
      }
    }
  }

  /**
   * The hot path, between frames: emits each frame lying whole in `chunk` from `from` on, its
   * payload a view of the chunk. Returns where the first frame the chunk cuts short begins.
   */
  #emitWhole(chunk: Uint8Array, from: number, emit: (frame: TypedFrame) => void): number {
    let view: DataView | undefined;
    let index = from;
    while (index < chunk.length) {
      const type = elementAt(chunk, index);
      const spec = this.#specOf(type);
      let start = index + 1;
      let length: number;
      if (spec.kind === 'fixed') {
        length = spec.length;
      } else {
        if (chunk.length - start < spec.lengthFieldLength) return index;
        view ??= dataViewOf(chunk);
        length = this.#readLength(view, start, spec);
        start += spec.lengthFieldLength;
      }
      if (chunk.length - start < length) return index;
      const frame = { type, payload: viewOf(chunk, start, start + length) };
      index = start + length;
      emit(frame);
    }
    return index;
  }

  /**
   * Queues from `chunk[index]` on what the current phase still needs, and advances a phase if that
   * completes it. Returns where the rest of the chunk begins.
   */
  #advanceHeld(chunk: Uint8Array, index: number, emit: (frame: TypedFrame) => void): number {
    const stop = Math.min(chunk.length, index + this.#phaseLength() - this.#queue.bytes);
    this.#queue.push(chunk.subarray(index, stop));
    // A loop, as a phase may complete with no bytes (an empty payload), which must not wait for more.
    while (this.#queue.bytes === this.#phaseLength()) this.#completePhase(emit);
    return stop;
  }

  /** The bytes the current phase reads: a type byte, a length field or a payload. */
  #phaseLength(): number {
    const state = this.#state;
    switch (state.phase) {
      case 'type':
        return 1;
      case 'length':
        return state.spec.lengthFieldLength;
      case 'payload':
        return state.length;
      /* c8 ignore next 4 */
      default: {
        const unreachable: never = state;
        return unreachable;
      }
    }
  }

  /** Moves on from the current phase, whose bytes the queue holds, all of them. */
  #completePhase(emit: (frame: TypedFrame) => void): void {
    const state = this.#state;
    const bytes = this.#queue.take(this.#queue.bytes);
    switch (state.phase) {
      case 'type':
        this.#state = this.#afterType(elementAt(bytes, 0));
        return;
      case 'length': {
        const length = this.#readLength(dataViewOf(bytes), 0, state.spec);
        this.#state = { phase: 'payload', type: state.type, length };
        return;
      }
      case 'payload':
        this.#state = { phase: 'type' };
        emit({ type: state.type, payload: bytes });
        return;
      /* c8 ignore next 4 */
      default: {
        const unreachable: never = state;
        return unreachable;
      }
    }
  }

  /** The spec of `type`; throws FrameSyntaxError for a type not in the table. */
  #specOf(type: number): Spec {
    const spec = this.#types[type];
    if (spec === undefined) throw new FrameSyntaxError(`Cannot decode frame: unknown message type ${type}`);
    return spec;
  }

  /** Reads the length field at `view[at]`; throws FrameTooLongError over the limit. */
  #readLength(view: DataView, at: number, spec: LengthFieldSpec): number {
    const length = readLengthField(view, at, spec.lengthFieldLength, spec.byteOrder, this.#maxFrameLength);
    if (length > this.#maxFrameLength) throw new FrameTooLongError(this.#maxFrameLength, { length });
    return length;
  }

  #afterType(type: number): State {
    const spec = this.#specOf(type);
    switch (spec.kind) {
      case 'fixed':
        return { phase: 'payload', type, length: spec.length };
      case 'length-field':
        return { phase: 'length', type, spec };
      /* c8 ignore next 4 */
      default: {
        const unreachable: never = spec;
        return unreachable;
      }
    }
  }

  #checkSpec(spec: MessageTypeSpec): Spec {
    switch (spec.kind) {
      case 'fixed': {
        const length = requireCount('fixed length', spec.length);
        if (length > this.#maxFrameLength) throw new RangeError(`Invalid fixed length: ${length} exceeds maxFrameLength ${this.#maxFrameLength}`);
        return { kind: 'fixed', length };
      }
      case 'length-field':
        return { kind: 'length-field', lengthFieldLength: requireFieldLength(spec.lengthFieldLength), byteOrder: spec.byteOrder ?? 'big' };
      /* c8 ignore next 4 */
      default: {
        const unreachable: never = spec;
        return unreachable;
      }
    }
  }
}
