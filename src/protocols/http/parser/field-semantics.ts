// The header fields that frame a request or end its connection, read from their bytes the way
// llhttp's strict parser reads them (llhttp's http module, its header_value_* states):
// Content-Length, Transfer-Encoding, Connection and Upgrade. Values arrive already checked for
// field-value bytes (SP, HTAB, VCHAR, obs-text); leading whitespace is already skipped.
import { HttpError } from './http-error.js';
import { HTAB, SP } from './char-classes.js';

/** Which framing-relevant field a header line is; 'other' for every other name. */
export type FieldKind = 'other' | 'content-length' | 'transfer-encoding' | 'connection' | 'upgrade';

const NAMED: readonly (readonly [string, FieldKind])[] = [
  ['content-length', 'content-length'],
  ['transfer-encoding', 'transfer-encoding'],
  ['connection', 'connection'],
  ['upgrade', 'upgrade'],
];

/** The kind of the field named by `source[start, end)`, compared without regard to ASCII case. */
export function fieldKind(source: Uint8Array, start: number, end: number): FieldKind {
  const length = end - start;
  for (const [name, kind] of NAMED) {
    if (name.length !== length) continue;
    let i = 0;
    while (i < length && ((source[start + i] ?? 0) | 0x20) === name.charCodeAt(i)) i++;
    if (i === length) return kind;
  }
  return 'other';
}

/** `source[start, end)` without trailing SP/HTAB (a field value's trailing OWS, RFC 9110 section 5.5). */
export function trimEnd(source: Uint8Array, start: number, end: number): number {
  let e = end;
  while (e > start && (source[e - 1] === SP || source[e - 1] === HTAB)) e--;
  return e;
}

const TWO_TO_64 = 18446744073709551616n;

/**
 * Content-Length: 1*DIGIT, then only SP/HTAB (llhttp: no sign, no list, no other padding such as
 * VT, FF or NBSP). Values past 2^64 - 1 are malformed (400); past `maxBody`, 413.
 */
export function contentLength(source: Uint8Array, start: number, end: number, maxBody: number): number {
  let value = 0;
  let i = start;
  for (; i < end; i++) {
    const digit = (source[i] ?? 0) - 0x30;
    if (digit < 0 || digit > 9) break;
    value = value * 10 + digit;
  }
  if (i === start || trimEnd(source, i, end) !== i) throw new HttpError(400, 'Invalid character in Content-Length');
  if (value > Number.MAX_SAFE_INTEGER && BigInt(Buffer.from(source.subarray(start, i)).toString('latin1')) >= TWO_TO_64) {
    throw new HttpError(400, 'Content-Length overflow');
  }
  if (value > maxBody) throw new HttpError(413, `Request body exceeds the limit of ${maxBody} bytes`);
  return value;
}

/** What one Transfer-Encoding field says. */
export interface CodingList {
  /** `chunked` is the last coding. */
  readonly isChunked: boolean;
  /** A coding other than `chunked` is listed (we decode none: 501 if chunked is last). */
  readonly hasOtherCoding: boolean;
}

/**
 * Transfer-Encoding, a comma list of codings. As llhttp: `chunked` counts when it is the last item
 * (trailing spaces allowed, not tabs); `chunked` followed by another item is an error in a request
 * (RFC 9112 section 6.1: chunked must be the last coding, and only once).
 */
export function codingList(source: Uint8Array, start: number, end: number): CodingList {
  let isChunked = false;
  let hasOtherCoding = false;
  let at = start;
  for (;;) {
    while (at < end && (source[at] === SP || source[at] === HTAB)) at++;
    let comma = at;
    while (comma < end && source[comma] !== 0x2c) comma++;
    const chunked = isChunkedItem(source, at, comma);
    if (chunked && comma < end) throw new HttpError(400, 'Invalid Transfer-Encoding header value');
    if (chunked) isChunked = true;
    else if (at < comma) hasOtherCoding = true;
    if (comma >= end) return { isChunked, hasOtherCoding };
    at = comma + 1;
  }
}

const CHUNKED = 'chunked';

function isChunkedItem(source: Uint8Array, start: number, end: number): boolean {
  if (end - start < CHUNKED.length) return false;
  for (let i = 0; i < CHUNKED.length; i++) if (((source[start + i] ?? 0) | 0x20) !== CHUNKED.charCodeAt(i)) return false;
  for (let i = start + CHUNKED.length; i < end; i++) if (source[i] !== SP) return false;
  return true;
}

/** The Connection options llhttp acts on. */
export interface ConnectionOptions {
  close: boolean;
  keepAlive: boolean;
  upgrade: boolean;
}

/** Adds the options of one Connection field value (a comma list, items compared without case) to `into`. */
export function connectionOptions(value: string, into: ConnectionOptions): void {
  for (const item of value.split(',')) {
    const option = item.replace(/^[ \t]+|[ \t]+$/g, '').toLowerCase();
    if (option === 'close') into.close = true;
    else if (option === 'keep-alive') into.keepAlive = true;
    else if (option === 'upgrade') into.upgrade = true;
  }
}
