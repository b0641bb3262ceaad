// Redis's one integer syntax (util.c string2ll), used by the wire protocol's lengths and by commands'
// arguments alike: an optional '-', then digits with no leading zero, no '+', no spaces, at most 20
// characters, within int64. "01", "+1" and " 1" are not integers to redis, so not to us.

/** The bounds of redis's integers (C's long long): 2^63 - 1 ... */
export const INT64_MAX = 9223372036854775807n;
/** ... and -2^63. */
export const INT64_MIN = -9223372036854775808n;

/** Characters in the longest int64 ("-9223372036854775808"); redis's LONG_STR_SIZE minus one. */
const MAX_DIGITS = 20;
/** Up to this many characters the value is below 2^53, so plain numbers are exact. */
const SAFE_DIGITS = 15;
const STRICT_INTEGER = /^(?:0|-?[1-9][0-9]*)$/;

/** The int64 that `text` spells in redis's strict syntax, or undefined. */
export function parseInt64(text: Uint8Array): bigint | undefined {
  if (text.length === 0 || text.length > MAX_DIGITS) return undefined;
  const s = Buffer.from(text.buffer, text.byteOffset, text.byteLength).toString('latin1');
  if (!STRICT_INTEGER.test(s)) return undefined;
  const value = BigInt(s);
  return value > INT64_MAX || value < INT64_MIN ? undefined : value;
}

/**
 * A protocol length (`*3`, `$5` without the prefix) in redis's strict syntax, from `text[start, end)`,
 * as a number: exact below 2^53, and beyond that only ever compared with limits far smaller.
 * Undefined if not an int64. A loop over the bytes, not parseInt64, since it runs for every argument.
 */
export function parseLength(text: Uint8Array, start = 0, end = text.length): number | undefined {
  if (end - start > SAFE_DIGITS) {
    const big = parseInt64(text.subarray(start, end));
    return big === undefined ? undefined : Number(big);
  }
  const isNegative = text[start] === 0x2d;
  const first = isNegative ? start + 1 : start;
  if (first === end) return undefined;
  if (text[first] === 0x30) return end - start === 1 ? 0 : undefined;
  let value = 0;
  for (let i = first; i < end; i++) {
    const digit = Number(text[i]) - 0x30;
    if (!(digit >= 0 && digit <= 9)) return undefined;
    value = value * 10 + digit;
  }
  return isNegative ? -value : value;
}
