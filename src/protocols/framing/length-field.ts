// Reading and writing the unsigned length fields of length-prefixed and type-prefixed frames: 1, 2,
// 4 or 8 bytes, big- or little-endian. 8-byte values go through BigInt, as a number cannot hold
// them all. Internal to the framing folder; the types are re-exported by the codecs that use them.
import { FrameTooLongError } from './codec.js';

/** The size of a length field, in bytes. */
export type LengthFieldLength = 1 | 2 | 4 | 8;

/** The order of a length field's bytes: network order (big-endian, the default) or little-endian. */
export type ByteOrder = 'big' | 'little';

const LARGEST_SAFE = BigInt(Number.MAX_SAFE_INTEGER);

/** Returns `value` if it is a LengthFieldLength; throws RangeError otherwise (for untyped callers). */
export function requireFieldLength(value: number): LengthFieldLength {
  switch (value) {
    case 1:
    case 2:
    case 4:
    case 8:
      return value;
    default:
      throw new RangeError(`Invalid lengthFieldLength: ${value} is not 1, 2, 4 or 8`);
  }
}

/** A DataView of exactly `bytes`, for reading fields at offsets within it. */
export function dataViewOf(bytes: Uint8Array): DataView {
  return new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

/**
 * Reads the field at `view[at]` (which holds at least `fieldLength` bytes from there). Takes a view
 * rather than bytes so that a codec reading many headers in one chunk makes one DataView for all of
 * them. An 8-byte value over Number.MAX_SAFE_INTEGER is too long for any limit: FrameTooLongError
 * with `limit` and `atLeast` 2^53, since the exact value would not survive conversion to a number.
 */
export function readLengthField(view: DataView, at: number, fieldLength: LengthFieldLength, byteOrder: ByteOrder, limit: number): number {
  const isLittle = byteOrder === 'little';
  switch (fieldLength) {
    case 1:
      return view.getUint8(at);
    case 2:
      return view.getUint16(at, isLittle);
    case 4:
      return view.getUint32(at, isLittle);
    case 8: {
      const value = view.getBigUint64(at, isLittle);
      if (value > LARGEST_SAFE) throw new FrameTooLongError(limit, { atLeast: Number.MAX_SAFE_INTEGER + 1 });
      return Number(value);
    }
    /* c8 ignore next 4 */
    default: {
      const unreachable: never = fieldLength;
      return unreachable;
    }
  }
}

/** The field's bytes for `value`; throws RangeError if `value` is not an integer the field can hold. */
export function writeLengthField(value: number, fieldLength: LengthFieldLength, byteOrder: ByteOrder): Uint8Array {
  const largest = fieldLength === 8 ? Number.MAX_SAFE_INTEGER : 2 ** (8 * fieldLength) - 1;
  if (!Number.isInteger(value) || value < 0 || value > largest) {
    throw new RangeError(`Cannot encode frame: length field value ${value} does not fit in ${fieldLength} bytes`);
  }
  const out = new Uint8Array(fieldLength);
  const view = new DataView(out.buffer);
  const isLittle = byteOrder === 'little';
  switch (fieldLength) {
    case 1:
      view.setUint8(0, value);
      break;
    case 2:
      view.setUint16(0, value, isLittle);
      break;
    case 4:
      view.setUint32(0, value, isLittle);
      break;
    case 8:
      view.setBigUint64(0, BigInt(value), isLittle);
      break;
    /* c8 ignore next 4 */
    default: {
      const unreachable: never = fieldLength;
      return unreachable;
    }
  }
  return out;
}
