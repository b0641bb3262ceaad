// Encoders for RESP2 replies, each returning the bytes of one whole reply. Pure functions, no state:
// the server concatenates a batch of them into one write.
//
//   +OK\r\n    -ERR message\r\n    :42\r\n    $5\r\nhello\r\n    $-1\r\n    *2\r\n<reply><reply>    *-1\r\n
//   simple     error               integer    bulk string          null bulk  array                  null array


/**
 * Simple strings and errors are one line: CR and LF become spaces, as redis does for errors that
 * quote a client's arguments (server.c rejectCommandFormat), so a reply can never split in two.
 */
function oneLine(text: string): string {
  return text.replace(/[\r\n]/g, ' ');
}

/** `+text\r\n`. */
export function encodeSimpleString(text: string): Buffer {
  return Buffer.from(`+${oneLine(text)}\r\n`, 'latin1');
}

/**
 * `-message\r\n`, where `message` starts with its code (`ERR syntax error`, `WRONGTYPE ...`). One
 * byte per char (latin1): redis's errors quote the client's bytes verbatim, whatever their encoding.
 */
export function encodeError(message: string): Buffer {
  return Buffer.from(`-${oneLine(message)}\r\n`, 'latin1');
}

/** `:n\r\n`. Throws RangeError for a number that is not a safe integer (RESP integers are exact). */
export function encodeInteger(value: number | bigint): Buffer {
  if (typeof value === 'number' && !Number.isSafeInteger(value)) throw new RangeError(`Cannot encode ${value} as a RESP integer`);
  return Buffer.from(`:${value}\r\n`, 'latin1');
}

/** `$length\r\nbytes\r\n`; a string is encoded as UTF-8; null is the null bulk string `$-1\r\n`. */
export function encodeBulkString(value: Uint8Array | string | null): Buffer {
  if (value === null) return Buffer.from('$-1\r\n');
  const data = typeof value === 'string' ? Buffer.from(value, 'utf8') : value;
  // The header's digits written by hand: a string and its encoding would cost more than the reply.
  const digits = decimalDigits(data.length);
  const out = Buffer.allocUnsafe(1 + digits + 2 + data.length + 2);
  out[0] = 0x24;
  for (let i = digits, n = data.length; i >= 1; i--, n = Math.floor(n / 10)) out[i] = 0x30 + (n % 10);
  out[digits + 1] = 0x0d;
  out[digits + 2] = 0x0a;
  out.set(data, digits + 3);
  out[out.length - 2] = 0x0d;
  out[out.length - 1] = 0x0a;
  return out;
}

/** How many decimal digits `n` (a length, so a non-negative integer) has. */
function decimalDigits(n: number): number {
  let digits = 1;
  for (let rest = n; rest >= 10; rest = Math.floor(rest / 10)) digits++;
  return digits;
}

/** `*count\r\n` then the already-encoded `items`; null is the null array `*-1\r\n`. */
export function encodeArray(items: readonly Uint8Array[] | null): Buffer {
  if (items === null) return Buffer.from('*-1\r\n');
  return Buffer.concat([Buffer.from(`*${items.length}\r\n`, 'latin1'), ...items]);
}
