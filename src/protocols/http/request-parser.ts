// An incremental HTTP/1.1 request parser (RFC 9112): request line, headers, and a body framed by
// Content-Length or chunked transfer coding. Fed any split of the stream, it emits whole requests.
// Every limit is checked as soon as it is provable, before the bytes are buffered; a violation is
// an HttpError carrying the status the server answers with (400, 413, 431, 501, 505).
//
//   phase     --CRLFCRLF-->  body (length | chunk-size -> chunk-data -> chunk-crlf ... -> trailers)
//   head                      --complete--> head (next pipelined request)
//                             --complete, asks to upgrade--> upgrade (parses nothing more until the
//                               server switches, takeBuffered, or declines, declineUpgrade)
import { upgradeOffer } from './upgrade.js';

/** What the parser accepts before it fails with HttpError; see DEFAULT_HTTP_LIMITS for the defaults. */
export interface HttpLimits {
  /** Request line plus headers, in bytes (node:http's default: 16 KiB). */
  readonly maxHeaderBytes: number;
  /** Header lines (node:http's default: 2000). */
  readonly maxHeaders: number;
  /** A request body, in bytes (default 16 MiB); past it, 413. */
  readonly maxBodyBytes: number;
}

/** The limits used when none are given: 16 KiB of head, 2000 header lines, a 16 MiB body. */
export const DEFAULT_HTTP_LIMITS: HttpLimits = { maxHeaderBytes: 16 * 1024, maxHeaders: 2000, maxBodyBytes: 16 * 1024 * 1024 };

/** One complete request, body included, as the parser emits it and a route handler receives it. */
export interface HttpRequest {
  /** The method token as sent, case kept (`GET`, `POST`...). */
  readonly method: string;
  /** The request-target as sent, not decoded: usually a path with its query (`/search?q=a%20b`). */
  readonly target: string;
  /** 0 for HTTP/1.0, 1 for HTTP/1.1. */
  readonly minorVersion: 0 | 1;
  /** Names lower-cased, in arrival order, repeated names kept. */
  readonly headers: readonly (readonly [name: string, value: string])[];
  /** The body, whole (chunked coding removed); empty when the request has none. */
  readonly body: Buffer;
  /** First value of a header (names are case-insensitive). */
  header(name: string): string | undefined;
  /**
   * The protocols offered by a request that asks to switch (RFC 9110 7.8: HTTP/1.1, Connection:
   * upgrade and an Upgrade header; see upgrade.ts), in the client's order; absent otherwise.
   */
  readonly upgrade?: readonly string[];
}

/**
 * A request the parser rejects: malformed, over a limit, or using what is not supported. The server
 * answers it with `status` and closes the connection, as the request stream cannot be trusted after it.
 */
export class HttpError extends Error {
  /** The class name, kept when the code is minified. */
  override name = 'HttpError';
  /** Node-style code to `switch` on, as a literal type. */
  readonly code = 'ERR_HTTP_REQUEST' as const;
  /** The response status the error calls for: 400, 413, 431, 501 or 505. */
  readonly status: number;

  constructor(status: number, message: string) {
    super(message);
    this.status = status;
  }
}

type Phase =
  | { readonly kind: 'head' }
  | { readonly kind: 'length'; remaining: number }
  | { readonly kind: 'chunk-size' }
  | { readonly kind: 'chunk-data'; remaining: number }
  | { readonly kind: 'chunk-crlf' }
  | { readonly kind: 'trailers' }
  | { readonly kind: 'upgrade' }
  | { readonly kind: 'failed' };

interface Head {
  readonly method: string;
  readonly target: string;
  readonly minorVersion: 0 | 1;
  readonly headers: [string, string][];
  /** Whether any Content-Length, Transfer-Encoding or Connection field came: most requests have none. */
  readonly hasFraming: boolean;
  readonly hasConnection: boolean;
}

/** A parsed request: header() is a method, not a closure per request. */
class ParsedRequest implements HttpRequest {
  readonly method: string;
  readonly target: string;
  readonly minorVersion: 0 | 1;
  readonly headers: readonly (readonly [name: string, value: string])[];
  readonly body: Buffer;
  readonly upgrade?: readonly string[];

  constructor(head: Head, body: Buffer, upgrade: readonly string[] | undefined) {
    this.method = head.method;
    this.target = head.target;
    this.minorVersion = head.minorVersion;
    this.headers = head.headers;
    this.body = body;
    if (upgrade !== undefined) this.upgrade = upgrade;
  }

  header(name: string): string | undefined {
    return headerOf(this.headers, name);
  }
}

const EMPTY_BODY = Buffer.alloc(0);
const HEAD_PHASE: Phase = { kind: 'head' };

const CRLF = Buffer.from('\r\n');
const CRLFCRLF = Buffer.from('\r\n\r\n');
const MAX_CHUNK_SIZE_LINE = 1024;

/** What HttpRequestParser.feed() calls as it parses. */
export interface ParserEvents {
  /** A request's head is complete and its body is about to be read (for Expect: 100-continue). */
  head?(method: string, minorVersion: 0 | 1, header: (name: string) => string | undefined, bodyLength: number | 'chunked'): void;
  /** A request is complete, body included; called once per request, in arrival order (pipelining). */
  request(request: HttpRequest): void;
}

/**
 * An incremental HTTP/1.1 request parser (RFC 9112; the role of node:http's llhttp): feed it any split
 * of the byte stream and it reports each complete request. Pure: no I/O, no timers. After it throws,
 * it stays failed and ignores further input.
 */
export class HttpRequestParser {
  readonly #limits: HttpLimits;
  #buffer: Buffer = Buffer.alloc(0);
  /** Where the search for the end of the head resumes, so each byte is scanned once. */
  #scanFrom = 0;
  #phase: Phase = HEAD_PHASE;
  /** ParserEvents.head's `header`: made once, it reads the head being reported (valid during that call). */
  readonly #currentHeader = (name: string): string | undefined => (this.#head === undefined ? undefined : headerOf(this.#head.headers, name));
  #head: Head | undefined;
  #body: Buffer[] = [];
  #bodyBytes = 0;

  constructor(limits: HttpLimits = DEFAULT_HTTP_LIMITS) {
    this.#limits = limits;
  }

  /** Bytes held for requests not yet complete (bounded by the limits). */
  get bufferedBytes(): number {
    return this.#buffer.length + this.#bodyBytes;
  }

  /** True between requests: EOF here is a clean end, EOF elsewhere cuts a request short. */
  get isIdle(): boolean {
    return this.#phase.kind === 'head' && this.#buffer.length === 0;
  }

  /** True after a request that asks to upgrade: what follows it waits, unparsed, for the server's choice. */
  get isAwaitingUpgrade(): boolean {
    return this.#phase.kind === 'upgrade';
  }

  /**
   * Parses `chunk` after what came before, calling `events` for each head and request it completes.
   * Throws HttpError at the first violation (limits are checked before bytes are buffered); after a
   * request that asks to upgrade, holds what follows unparsed until takeBuffered() or declineUpgrade().
   */
  feed(chunk: Uint8Array, events: ParserEvents): void {
    if (this.#phase.kind === 'failed') return;
    this.#buffer = this.#buffer.length === 0 ? Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength) : Buffer.concat([this.#buffer, chunk]);
    this.#run(events);
  }

  /** The upgrade was accepted: removes and returns the bytes after the request (the new protocol's). */
  takeBuffered(): Buffer {
    const rest = this.#buffer;
    this.#buffer = Buffer.alloc(0);
    this.#scanFrom = 0;
    this.#phase = HEAD_PHASE;
    return rest;
  }

  /** The upgrade was not accepted (RFC 9110 7.8 lets a server ignore it): parses what follows as HTTP. */
  declineUpgrade(events: ParserEvents): void {
    if (this.#phase.kind !== 'upgrade') return;
    this.#phase = HEAD_PHASE;
    this.#run(events);
  }

  #run(events: ParserEvents): void {
    try {
      while (this.#step(events));
    } catch (error) {
      this.#phase = { kind: 'failed' };
      this.#buffer = Buffer.alloc(0);
      throw error;
    }
  }

  /** One step of the state machine; false when it needs more bytes. */
  #step(events: ParserEvents): boolean {
    const phase = this.#phase;
    switch (phase.kind) {
      case 'head':
        return this.#parseHead(events);
      case 'length': {
        const take = Math.min(phase.remaining, this.#buffer.length);
        if (take > 0) this.#appendBody(this.#consume(take));
        phase.remaining -= take;
        if (phase.remaining > 0) return false;
        this.#finish(events);
        return true;
      }
      case 'chunk-size':
        return this.#parseChunkSize();
      case 'chunk-data': {
        const take = Math.min(phase.remaining, this.#buffer.length);
        if (take > 0) this.#appendBody(this.#consume(take));
        phase.remaining -= take;
        if (phase.remaining > 0) return false;
        this.#phase = { kind: 'chunk-crlf' };
        return true;
      }
      case 'chunk-crlf':
        if (this.#buffer.length < 2) return false;
        if (this.#buffer[0] !== 0x0d || this.#buffer[1] !== 0x0a) throw new HttpError(400, 'Chunk data not followed by CRLF');
        this.#consume(2);
        this.#phase = { kind: 'chunk-size' };
        return true;
      case 'trailers':
        return this.#parseTrailers(events);
      case 'upgrade':
      case 'failed':
        return false;
      default: {
        const never: never = phase;
        return never;
      }
    }
  }

  #parseHead(events: ParserEvents): boolean {
    // Tolerate empty lines before a request line (RFC 9112 section 2.2).
    while (this.#buffer.length >= 2 && this.#buffer[0] === 0x0d && this.#buffer[1] === 0x0a) this.#consume(2);
    if (this.#buffer.length === 0) return false;
    const end = this.#buffer.indexOf(CRLFCRLF, Math.max(0, this.#scanFrom - 3));
    if (end < 0) {
      if (this.#buffer.length > this.#limits.maxHeaderBytes) throw new HttpError(431, 'Request header fields too large');
      this.#scanFrom = this.#buffer.length;
      return false;
    }
    if (end + 4 > this.#limits.maxHeaderBytes) throw new HttpError(431, 'Request header fields too large');
    const text = this.#consume(end + 4).toString('latin1', 0, end);
    this.#scanFrom = 0;
    const head = parseHead(text, this.#limits.maxHeaders);
    this.#head = head;
    const framing = bodyFraming(head, this.#limits.maxBodyBytes);
    events.head?.(head.method, head.minorVersion, this.#currentHeader, framing);
    if (framing === 'chunked') this.#phase = { kind: 'chunk-size' };
    else if (framing > 0) this.#phase = { kind: 'length', remaining: framing };
    else this.#finish(events);
    return true;
  }

  #parseChunkSize(): boolean {
    const end = this.#buffer.indexOf(CRLF);
    if (end < 0) {
      if (this.#buffer.length > MAX_CHUNK_SIZE_LINE) throw new HttpError(400, 'Chunk size line too long');
      return false;
    }
    const line = this.#consume(end + 2).toString('latin1', 0, end);
    const sizeText = (line.split(';', 1)[0] ?? '').trim();
    if (!/^[0-9a-fA-F]{1,16}$/.test(sizeText)) throw new HttpError(400, `Bad chunk size '${sizeText.slice(0, 32)}'`);
    const size = Number.parseInt(sizeText, 16);
    if (!Number.isSafeInteger(size) || this.#bodyBytes + size > this.#limits.maxBodyBytes) {
      throw new HttpError(413, `Request body exceeds the limit of ${this.#limits.maxBodyBytes} bytes`);
    }
    this.#phase = size === 0 ? { kind: 'trailers' } : { kind: 'chunk-data', remaining: size };
    return true;
  }

  #parseTrailers(events: ParserEvents): boolean {
    // Trailer fields are read and dropped (a server may ignore them), bounded like headers.
    for (;;) {
      const end = this.#buffer.indexOf(CRLF);
      if (end < 0) {
        if (this.#buffer.length > this.#limits.maxHeaderBytes) throw new HttpError(431, 'Trailer fields too large');
        return false;
      }
      this.#consume(end + 2);
      if (end === 0) {
        this.#finish(events);
        return true;
      }
    }
  }

  #finish(events: ParserEvents): void {
    const head = this.#head;
    if (head === undefined) throw new HttpError(400, 'Body without a request');
    const parts = this.#body;
    const body = parts.length === 0 ? EMPTY_BODY : parts.length === 1 && parts[0] !== undefined ? parts[0] : Buffer.concat(parts, this.#bodyBytes);
    this.#head = undefined;
    if (parts.length > 0) this.#body = [];
    this.#bodyBytes = 0;
    // Upgrade needs a Connection option: without one there is nothing to look for.
    const upgrade = head.hasConnection ? upgradeOffer(head.minorVersion, head.headers) : undefined;
    // The client may send the new protocol's bytes right after the request: parse no further.
    this.#phase = upgrade === undefined ? HEAD_PHASE : { kind: 'upgrade' };
    events.request(new ParsedRequest(head, body, upgrade));
  }

  #appendBody(part: Buffer): void {
    // Copied: `part` is a view of a buffer the next feed() may replace.
    this.#body.push(Buffer.from(part));
    this.#bodyBytes += part.length;
  }

  #consume(n: number): Buffer {
    const out = this.#buffer.subarray(0, n);
    this.#buffer = this.#buffer.subarray(n);
    return out;
  }
}

function parseHead(text: string, maxHeaders: number): Head {
  // Lines found with indexOf and fields checked byte by byte: split() and a regex per line cost
  // more than the rest of a small request.
  const lineEnd = text.indexOf('\r\n');
  const { method, target, minorVersion } = parseRequestLine(lineEnd < 0 ? text : text.slice(0, lineEnd));
  const headers: [string, string][] = [];
  let hasFraming = false;
  let hasConnection = false;
  for (let at = lineEnd < 0 ? text.length : lineEnd + 2; at < text.length; ) {
    const next = text.indexOf('\r\n', at);
    const end = next < 0 ? text.length : next;
    if (headers.length >= maxHeaders) throw new HttpError(431, `More than ${maxHeaders} header fields`);
    const colon = text.indexOf(':', at);
    // Obsolete line folding and whitespace before the colon are rejected (RFC 9112 sections 5.1-5.2).
    if (colon <= at || colon >= end || !isToken(text, at, colon)) {
      const first = text.charCodeAt(at);
      throw new HttpError(400, colon <= at || colon >= end || first === 0x20 || first === 0x09 ? 'Malformed header field' : 'Malformed header field name');
    }
    const name = text.slice(at, colon).toLowerCase();
    if (name === 'content-length' || name === 'transfer-encoding') hasFraming = true;
    else if (name === 'connection') hasConnection = true;
    headers.push([name, text.slice(colon + 1, end).trim()]);
    at = end + 2;
  }
  return { method, target, minorVersion, headers, hasFraming, hasConnection };
}

/** `METHOD SP target SP HTTP/1.x` (RFC 9112 section 3). */
function parseRequestLine(line: string): Pick<Head, 'method' | 'target' | 'minorVersion'> {
  const space = line.indexOf(' ');
  const second = space < 0 ? -1 : line.indexOf(' ', space + 1);
  const version = second < 0 ? '' : line.slice(second + 1);
  const target = line.slice(space + 1, second);
  const isWellFormed =
    space > 0 && second > space + 1 && isToken(line, 0, space) && !/\s/.test(target) && /^HTTP\/\d\.\d$/.test(version);
  if (!isWellFormed) throw new HttpError(400, 'Malformed request line');
  const major = version.charAt(5);
  const minor = version.charAt(7);
  if (major !== '1' || (minor !== '0' && minor !== '1')) throw new HttpError(505, `HTTP version ${major}.${minor} is not supported`);
  return { method: line.slice(0, space), target, minorVersion: minor === '1' ? 1 : 0 };
}

/** tchar (RFC 9110 section 5.6.2), by char code: what a method or a field name is made of. */
const TCHAR = new Uint8Array(128);
for (const c of "!#$%&'*+-.^_`|~0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz") TCHAR[c.charCodeAt(0)] = 1;

/** Whether `text[start, end)` is a non-empty token. */
function isToken(text: string, start: number, end: number): boolean {
  if (end <= start) return false;
  for (let i = start; i < end; i++) if (TCHAR[text.charCodeAt(i)] !== 1) return false;
  return true;
}

function bodyFraming(head: Head, maxBody: number): number | 'chunked' {
  if (!head.hasFraming) return 0;
  const lengths = head.headers.filter(([n]) => n === 'content-length').flatMap(([, v]) => v.split(',').map((s) => s.trim()));
  const codings = head.headers.filter(([n]) => n === 'transfer-encoding').flatMap(([, v]) => v.split(',').map((s) => s.trim().toLowerCase()));
  if (codings.length > 0) {
    if (lengths.length > 0) throw new HttpError(400, 'Both Content-Length and Transfer-Encoding');
    if (head.minorVersion === 0) throw new HttpError(400, 'Transfer-Encoding in an HTTP/1.0 request');
    if (codings.at(-1) !== 'chunked' || codings.filter((c) => c === 'chunked').length !== 1) {
      throw new HttpError(codings.every((c) => c === 'chunked') ? 400 : 501, 'Unsupported Transfer-Encoding');
    }
    if (codings.length > 1) throw new HttpError(501, 'Only the chunked transfer coding is supported');
    return 'chunked';
  }
  if (lengths.length === 0) return 0;
  const [first] = lengths;
  if (first === undefined || !/^\d{1,15}$/.test(first) || lengths.some((l) => l !== first)) {
    throw new HttpError(400, 'Invalid or conflicting Content-Length');
  }
  const length = Number(first);
  if (length > maxBody) throw new HttpError(413, `Request body exceeds the limit of ${maxBody} bytes`);
  return length;
}

function headerOf(headers: readonly (readonly [string, string])[], name: string): string | undefined {
  const wanted = name.toLowerCase();
  for (const [n, v] of headers) if (n === wanted) return v;
  return undefined;
}
