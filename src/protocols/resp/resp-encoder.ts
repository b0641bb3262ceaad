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

/**
 * A reply as the commands return it: one Buffer, or parts written in order (a stored value among
 * them, uncopied: see bulkReply). Never changed after it is returned.
 */
export type Reply = Buffer | readonly Buffer[];

/** The protocol a connection speaks: RESP2 (the default) or RESP3 (after `HELLO 3`). */
export type RespVersion = 2 | 3;

const CRLF = Buffer.from('\r\n');
/** From this size a value is sent uncopied (the server's write batch size): below it a copy is cheaper than a write. */
const BIG_VALUE_BYTES = 64 * 1024;
const RESP2_NULL = Buffer.from('$-1\r\n');
const RESP2_NULL_ARRAY = Buffer.from('*-1\r\n');
const RESP3_NULL = Buffer.from('_\r\n');

/**
 * A bulk string reply for a stored value: encoded whole when small (the server would copy it into
 * its write batch anyway), as three parts with `value` uncopied between its header and CRLF from
 * 64 KiB on (GET, MGET), so a reply never copies a large value the store holds.
 */
export function bulkReply(value: Buffer): Reply {
  if (value.length < BIG_VALUE_BYTES) return encodeBulkString(value);
  return [Buffer.from(`$${value.length}\r\n`, 'latin1'), value, CRLF];
}

/** The null bulk string: `$-1` in RESP2, `_` in RESP3 (redis's addReplyNull). */
export function encodeNull(version: RespVersion): Buffer {
  return version === 3 ? RESP3_NULL : RESP2_NULL;
}

/** The null array: `*-1` in RESP2, `_` in RESP3 (redis's addReplyNullArray). */
export function encodeNullArray(version: RespVersion): Buffer {
  return version === 3 ? RESP3_NULL : RESP2_NULL_ARRAY;
}

/** A map of `pairs` (key, value, key, value, ... already encoded): `%n` in RESP3, a flat array of 2n in RESP2. */
export function encodeMap(pairs: readonly Uint8Array[], version: RespVersion): Buffer {
  if (version === 2) return encodeArray(pairs);
  return Buffer.concat([Buffer.from(`%${pairs.length / 2}\r\n`, 'latin1'), ...pairs]);
}

/** Text with a format (INFO's `txt`): `=len\r\ntxt:text\r\n` in RESP3, a bulk string in RESP2. */
export function encodeVerbatim(text: string, version: RespVersion): Buffer {
  if (version === 2) return encodeBulkString(text);
  const body = Buffer.from(`txt:${text}`, 'utf8');
  return Buffer.concat([Buffer.from(`=${body.length}\r\n`, 'latin1'), body, CRLF]);
}

/** An array of replies, as parts: `*count` then each reply's parts, nothing copied. */
export function arrayParts(replies: readonly Reply[]): Buffer[] {
  const parts: Buffer[] = [Buffer.from(`*${replies.length}\r\n`, 'latin1')];
  for (const reply of replies) {
    if (Buffer.isBuffer(reply)) parts.push(reply);
    else parts.push(...(reply as readonly Buffer[]));
  }
  return parts;
}
