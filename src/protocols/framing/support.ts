// Small helpers shared by the codecs in this folder: option checks, byte joining, frame views,
// checked table reads. Internal to the framing folder (not exported from its index).

/**
 * Returns `value` if it is a safe integer of at least `min`; otherwise throws RangeError naming the
 * option (a `maxFrameLength` of NaN or Infinity would make every limit check pass).
 */
export function requireCount(name: string, value: number, min = 0): number {
  if (!Number.isSafeInteger(value) || value < min) {
    throw new RangeError(`Invalid ${name}: ${value} is not an integer of at least ${min}`);
  }
  return value;
}

/** A fresh array holding `parts` one after another, for encoders adding a header or a trailer. */
export function concatBytes(...parts: readonly Uint8Array[]): Uint8Array {
  let length = 0;
  for (const part of parts) length += part.length;
  const out = new Uint8Array(length);
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.length;
  }
  return out;
}

/**
 * `bytes[from, to)` as a plain Uint8Array over the same memory: the hot paths' one allocation per
 * frame. Cheaper than `subarray` on a Buffer, which runs Buffer's own subarray in JS and then the
 * FastBuffer subclass constructor; the frame is a Uint8Array either way, as Codec promises.
 */
export function viewOf(bytes: Uint8Array, from: number, to: number): Uint8Array {
  return new Uint8Array(bytes.buffer, bytes.byteOffset + from, to - from);
}

/**
 * Reads `array[index]`, which the caller knows is in range; throws RangeError if it is not. Exists so
 * that table lookups under `noUncheckedIndexedAccess` need neither a `!` nor a silent fallback value.
 */
export function elementAt(array: ArrayLike<number>, index: number): number {
  const value = array[index];
  if (value === undefined) throw new RangeError(`Index ${index} is outside 0..${array.length - 1}`);
  return value;
}
