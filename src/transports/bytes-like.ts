// What the sending calls take, checked once at the API edge: Python's "bytes-like object" (any
// ArrayBufferView: Buffer, every TypedArray, DataView, read as the bytes of its view) or a string
// (sent as UTF-8, this library's convenience). Anything else is a TypeError naming the argument,
// raised before a byte is queued, as CPython's send raises for send(12345).

/** What `send`, `sendall` and `SocketFile.write` take: bytes of any view, or a string sent as its UTF-8 encoding. */
export type SocketData = ArrayBufferView | string;

/**
 * The bytes of `data` as a Uint8Array over the same memory (no copy; a string is encoded): a
 * Uint16Array's or DataView's own bytes, its byteOffset and byteLength honoured. Throws TypeError
 * naming `argument` of `call` for anything else (a number, null, a plain object, an ArrayBuffer).
 */
export function bytesOf(data: unknown, call: string, argument = 'data'): Uint8Array {
  // The usual case first: one prototype check on the hot path.
  if (data instanceof Uint8Array) return data;
  if (typeof data === 'string') return Buffer.from(data);
  if (ArrayBuffer.isView(data)) return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
  throw new TypeError(`${call}() argument '${argument}' must be a bytes-like object or a string, not '${typeName(data)}'`);
}

function typeName(value: unknown): string {
  if (value === null) return 'null';
  if (typeof value !== 'object') return typeof value;
  return value.constructor?.name ?? 'object';
}
