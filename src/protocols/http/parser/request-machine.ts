// The HTTP/1.1 request grammar (RFC 9112) as one byte-level state machine, in llhttp's model: each
// byte is looked at once, whatever the split of the stream, and rejected the moment it cannot belong
// to a valid request. What it accepts and rejects is llhttp's strict mode (its `request` fixtures),
// minus what an HTTP/1.1 server has no use for (HTTP/0.9, RTSP/ICE, HTTP/2's PRI); see docs/semantics.md.
//
//   start -> method -> target (path | scheme://server/path | server for CONNECT) -> HTTP/1.x CRLF
//     -> (field-name ':' OWS field-value CRLF)* CRLF                     [the head: one section]
//     -> body: nothing | Content-Length bytes
//            | (chunk-size [;ext] CRLF chunk-data CRLF)* 0 [;ext] CRLF (trailer-field CRLF)* CRLF
//     -> start (keep-alive) | upgrade (the client asked to switch) | closed (the request ends it)
//
// A section (head or trailers) is held in one buffer while it spans chunks: field boundaries are
// offsets into it (`#marks`), turned into strings once the section is complete.
import type { HttpLimits } from './limits.js';
import { HttpError } from './http-error.js';
import { BodyBuffer } from './body-buffer.js';
import { CR, FIELD_VALUE_CHAR, HEX_VALUE, HTAB, LF, METHOD_CHAR, QDTEXT, QUOTED_PAIR_CHAR, SCHEME_CHAR, SERVER_CHAR, SP, TOKEN, URL_CHAR } from './char-classes.js';
import { type ConnectionOptions, type FieldKind, codingList, connectionOptions, contentLength, fieldKind, trimEnd } from './field-semantics.js';
import { KNOWN_METHODS, MAX_METHOD_LENGTH } from './methods.js';

type SectionState =
  | 'method' | 'before-target' | 'target-start' | 'scheme' | 'scheme-slashes' | 'server' | 'server-at' | 'path' | 'query' | 'fragment'
  | 'before-protocol' | 'protocol' | 'major' | 'dot' | 'minor' | 'line-cr' | 'line-lf' | 'headers-start'
  | 'field-start' | 'field' | 'value-ws' | 'empty-value-lf' | 'empty-value-lws' | 'value' | 'value-lf' | 'value-lws' | 'section-lf';
type BodyState =
  | 'body' | 'chunk-size-start' | 'chunk-size' | 'chunk-ext' | 'chunk-ext-name' | 'chunk-ext-value' | 'chunk-ext-quoted' | 'chunk-ext-pair'
  | 'chunk-ext-quoted-done' | 'chunk-size-lf' | 'chunk-data' | 'chunk-data-cr' | 'chunk-data-lf';
/** Where the machine is; `upgrade` and `closed` parse nothing more, `failed` after an error. */
export type MachineState = 'start' | SectionState | BodyState | 'upgrade' | 'closed' | 'failed';

const BODY_STATES: ReadonlySet<MachineState> = new Set<BodyState>([
  'body', 'chunk-size-start', 'chunk-size', 'chunk-ext', 'chunk-ext-name', 'chunk-ext-value', 'chunk-ext-quoted', 'chunk-ext-pair',
  'chunk-ext-quoted-done', 'chunk-size-lf', 'chunk-data', 'chunk-data-cr', 'chunk-data-lf',
]);
const HTTP_SLASH = Buffer.from('HTTP/');
/** Chunk extensions per chunk (node:http's limit since CVE-2024-22019); past it, 413. */
export const MAX_CHUNK_EXTENSION_BYTES = 16 * 1024;

/** A complete head, as the machine hands it over. */
export interface ParsedHead {
  readonly method: string;
  readonly target: string;
  readonly minorVersion: 0 | 1;
  readonly headers: [string, string][];
  /** llhttp_should_keep_alive: HTTP/1.1 without `Connection: close`, HTTP/1.0 with `keep-alive`. */
  readonly keepAlive: boolean;
  /** Connection: upgrade and an Upgrade field came (whether to switch is the caller's rule). */
  readonly asksUpgrade: boolean;
  readonly bodyLength: number | 'chunked';
}

/** What the machine reports: a head (before its body is read), then the request with its body. */
export interface MachineSink {
  head(head: ParsedHead): void;
  /** Returns what to do next: parse on, stop for an upgrade, or stop for good (the request ends the connection). */
  message(head: ParsedHead, body: Buffer): 'start' | 'upgrade' | 'closed';
}

/** The state machine; request-parser.ts wraps it in the public HttpRequestParser. */
export class RequestMachine {
  readonly #limits: HttpLimits;
  #state: MachineState = 'start';
  /** The section being parsed when it spans chunks (a copy), and how much of it is filled. */
  #held: Buffer = Buffer.alloc(0);
  #heldLength = 0;
  #sectionStart = 0;
  #isTrailers = false;
  /** Offsets in the section's source: method, target, then name and value of each field. */
  #marks: number[] = [];
  #fieldKind: FieldKind = 'other';
  #matched = 0;
  #minor: 0 | 1 = 1;
  #length = -1;
  #hasTransferEncoding = false;
  #isChunked = false;
  #hasOtherCoding = false;
  #hasUpgradeField = false;
  #connection: ConnectionOptions = { close: false, keepAlive: false, upgrade: false };
  #remaining = 0;
  #extensionBytes = 0;
  #head: ParsedHead | undefined;
  readonly #body = new BodyBuffer();
  #scanned = 0;

  constructor(limits: HttpLimits) {
    this.#limits = limits;
  }

  get state(): MachineState {
    return this.#state;
  }

  /** Bytes held for the request in progress: its section copy and its body. */
  get heldBytes(): number {
    return this.#heldLength + this.#body.length;
  }

  /** Every byte the machine has looked at, over its life: linear in the input by construction. */
  get scannedBytes(): number {
    return this.#scanned;
  }

  /** Parses again from a request's start (after an upgrade that was declined). */
  restart(): void {
    if (this.#state === 'upgrade') this.#state = 'start';
  }

  /** Stops for good, dropping what is held (after an error). */
  fail(): void {
    this.#state = 'failed';
    this.#held = Buffer.alloc(0);
    this.#heldLength = 0;
    this.#marks = [];
    this.#body.clear();
  }

  /**
   * Parses `chunk[at...]`; returns where it stopped: the chunk's end, or just after a request that
   * stops parsing (upgrade, closed). Throws HttpError at the first byte that cannot be valid.
   */
  execute(chunk: Buffer, at: number, sink: MachineSink): number {
    let p = at;
    while (p < chunk.length && this.#state !== 'upgrade' && this.#state !== 'closed' && this.#state !== 'failed') {
      p = this.#heldLength > 0 ? this.#continueHeld(chunk, p, sink) : this.#runDirect(chunk, p, sink);
    }
    return p;
  }

  #isInSection(): boolean {
    const s = this.#state;
    return s !== 'start' && s !== 'upgrade' && s !== 'closed' && s !== 'failed' && !BODY_STATES.has(s);
  }

  /** Parses in the chunk itself; a section still open at its end is copied out, to continue in #held. */
  #runDirect(chunk: Buffer, at: number, sink: MachineSink): number {
    const stop = this.#run(chunk, at, sink);
    if (stop === chunk.length && this.#isInSection()) {
      const start = this.#sectionStart;
      this.#checkSectionSize(stop - start);
      this.#reserve(stop - start);
      chunk.copy(this.#held, 0, start, stop);
      this.#heldLength = stop - start;
      for (let i = 0; i < this.#marks.length; i++) this.#marks[i] = (this.#marks[i] ?? 0) - start;
      this.#sectionStart = 0;
    }
    return stop;
  }

  /** Appends what fits under the section limit to #held and parses on there. */
  #continueHeld(chunk: Buffer, at: number, sink: MachineSink): number {
    const old = this.#heldLength;
    const take = Math.min(chunk.length - at, this.#limits.maxHeaderBytes + 1 - old);
    if (take <= 0) this.#checkSectionSize(this.#limits.maxHeaderBytes + 1);
    this.#reserve(old + take);
    chunk.copy(this.#held, old, at, at + take);
    this.#heldLength = old + take;
    const stop = this.#run(this.#held, old, sink, this.#heldLength);
    if (this.#isInSection()) {
      this.#checkSectionSize(this.#heldLength);
      return at + take;
    }
    // The section ended inside the appended bytes: what follows it is parsed from the chunk.
    this.#heldLength = 0;
    if (this.#held.length > 4096) this.#held = Buffer.alloc(0);
    return at + (stop - old);
  }

  #reserve(size: number): void {
    if (this.#held.length >= size) return;
    const next = Buffer.allocUnsafe(Math.min(Math.max(size, this.#held.length * 2, 1024), this.#limits.maxHeaderBytes + 1));
    this.#held.copy(next, 0, 0, this.#heldLength);
    this.#held = next;
  }

  #checkSectionSize(size: number): void {
    if (size > this.#limits.maxHeaderBytes) throw new HttpError(431, this.#isTrailers ? 'Trailer fields too large' : 'Request header fields too large');
  }

  /** Runs states over `src[from, end)`; returns where it stopped (the end, or just after a section or request). */
  #run(src: Buffer, from: number, sink: MachineSink, end = src.length): number {
    const stop = this.#states(src, from, end, sink);
    this.#scanned += stop - from;
    return stop;
  }

  // One case per state: each consumes what it can with a tight loop, then changes state or returns
  // for more bytes. A case that returns `p` mid-chunk has ended a section or a request.
  #states(src: Buffer, from: number, end: number, sink: MachineSink): number {
    let p = from;
    for (;;) {
      if (p >= end) return p;
      const b = src[p] ?? -1;
      switch (this.#state) {
        case 'start':
          while (p < end && (src[p] === CR || src[p] === LF)) p++;
          if (p === end) return p;
          this.#beginHead(p);
          break;
        case 'method':
          while (p < end && METHOD_CHAR[src[p] ?? 0] === 1) p++;
          if (p - this.#sectionStart > MAX_METHOD_LENGTH) throw new HttpError(400, 'Unknown method');
          if (p === end) return p;
          if (src[p] !== SP) throw new HttpError(400, 'Invalid character in method');
          this.#beginTarget(src, p++);
          break;
        case 'before-target':
          while (p < end && src[p] === SP) p++;
          if (p === end) return p;
          this.#marks.push(p);
          this.#state = this.#marks.length === 3 && this.#isConnect(src) ? 'server' : 'target-start';
          break;
        case 'target-start':
          if (b === 0x2f || b === 0x2a) this.#state = 'path';
          else if (SCHEME_CHAR[b] === 1) this.#state = 'scheme';
          else throw new HttpError(400, 'Invalid request target');
          p++;
          break;
        case 'scheme':
          while (p < end && SCHEME_CHAR[src[p] ?? 0] === 1) p++;
          if (p === end) return p;
          if (src[p++] !== 0x3a) throw new HttpError(400, 'Invalid character in the target scheme');
          this.#matched = 0;
          this.#state = 'scheme-slashes';
          break;
        case 'scheme-slashes':
          if (b !== 0x2f) throw new HttpError(400, 'Invalid character in the target scheme');
          p++;
          if (++this.#matched === 2) this.#state = 'server';
          break;
        case 'server':
        case 'server-at':
          while (p < end && SERVER_CHAR[src[p] ?? 0] === 1) p++;
          if (p === end) return p;
          if (src[p] === 0x2f) this.#state = 'path';
          else if (src[p] === 0x3f) this.#state = 'query';
          else if (src[p] === 0x40 && this.#state === 'server') this.#state = 'server-at';
          else if (src[p] === SP) this.#endTarget(p);
          else throw new HttpError(400, 'Invalid character in the target authority');
          p++;
          break;
        case 'path':
        case 'query':
        case 'fragment':
          p = this.#targetRest(src, p, end);
          if (p === end) return p;
          break;
        case 'before-protocol':
          while (p < end && src[p] === SP) p++;
          if (p === end) return p;
          this.#matched = 0;
          this.#state = 'protocol';
          break;
        case 'protocol':
          if (b !== HTTP_SLASH[this.#matched]) throw new HttpError(400, 'Expected HTTP/');
          p++;
          if (++this.#matched === HTTP_SLASH.length) this.#state = 'major';
          break;
        case 'major':
          if (b < 0x30 || b > 0x39) throw new HttpError(400, 'Invalid HTTP version');
          this.#matched = b - 0x30;
          p++;
          this.#state = 'dot';
          break;
        case 'dot':
          if (b !== 0x2e) throw new HttpError(400, 'Invalid HTTP version');
          p++;
          this.#state = 'minor';
          break;
        case 'minor':
          // llhttp rejects 1.2 and up (node:http: 400); another major version is 505 (RFC 9110 section 15.6.6).
          if (b < 0x30 || b > 0x39 || (this.#matched === 1 && b > 0x31)) throw new HttpError(400, 'Invalid HTTP version');
          if (this.#matched !== 1) throw new HttpError(505, `HTTP version ${this.#matched}.${b - 0x30} is not supported`);
          this.#minor = b === 0x31 ? 1 : 0;
          p++;
          this.#state = 'line-cr';
          break;
        case 'line-cr':
          // A bare LF ends no line (RFC 9112 section 2.2 lets a server reject it: node:http does, at once).
          if (b !== CR) throw new HttpError(400, b === LF ? 'Bare LF in the request line' : 'Expected CRLF after the version');
          p++;
          this.#state = 'line-lf';
          break;
        case 'line-lf':
          if (b !== LF) throw new HttpError(400, 'Bare CR in the request line');
          p++;
          this.#state = 'headers-start';
          break;
        case 'headers-start':
          if (b === SP || b === HTAB) throw new HttpError(400, 'Unexpected whitespace after the request line');
          this.#state = 'field-start';
          break;
        case 'field-start':
          this.#checkSectionSize(p - this.#sectionStart);
          if (b === CR) {
            p++;
            this.#state = 'section-lf';
            break;
          }
          if (TOKEN[b] !== 1) throw new HttpError(400, b === LF ? 'Bare LF in the header section' : 'Invalid character in a header field name');
          if (this.#fieldCount() >= this.#limits.maxHeaders) throw new HttpError(431, `More than ${this.#limits.maxHeaders} header fields`);
          this.#marks.push(p);
          this.#state = 'field';
          break;
        case 'field':
          while (p < end && TOKEN[src[p] ?? 0] === 1) p++;
          if (p === end) return p;
          if (src[p] !== 0x3a) throw new HttpError(400, 'Invalid character in a header field name');
          this.#endFieldName(src, p++);
          break;
        case 'value-ws':
          while (p < end && (src[p] === SP || src[p] === HTAB)) p++;
          if (p === end) return p;
          this.#marks.push(p);
          if (src[p] === CR) {
            this.#marks.push(p++);
            this.#endFieldValue(src);
            this.#state = 'empty-value-lf';
          } else {
            this.#state = 'value';
          }
          break;
        case 'value':
          while (p < end && FIELD_VALUE_CHAR[src[p] ?? 0] === 1) p++;
          if (p === end) {
            this.#checkPartialValue(src, p);
            return p;
          }
          if (src[p] !== CR) throw new HttpError(400, src[p] === LF ? 'Bare LF in a header value' : 'Invalid character in a header value');
          this.#marks.push(p++);
          this.#endFieldValue(src);
          this.#state = 'value-lf';
          break;
        case 'empty-value-lf':
        case 'value-lf':
          if (b !== LF) throw new HttpError(400, 'Bare CR in a header value');
          p++;
          this.#state = this.#state === 'value-lf' ? 'value-lws' : 'empty-value-lws';
          break;
        case 'empty-value-lws':
        case 'value-lws':
          // Obsolete line folding (RFC 9112 section 5.2) is rejected, as llhttp does.
          if (b === SP || b === HTAB) throw new HttpError(400, 'Obsolete line folding in a header value');
          this.#state = 'field-start';
          break;
        case 'section-lf':
          if (b !== LF) throw new HttpError(400, 'Bare CR after the header section');
          p++;
          this.#checkSectionSize(p - this.#sectionStart);
          if (this.#isTrailers) this.#endMessage(sink);
          else this.#endHead(src, sink);
          return p;
        default:
          p = this.#bodyStates(src, p, end, sink);
          if (!BODY_STATES.has(this.#state) || p === end) return p;
      }
    }
  }

  #targetRest(src: Buffer, from: number, end: number): number {
    let p = from;
    const state = this.#state;
    if (state === 'path') while (p < end && URL_CHAR[src[p] ?? 0] === 1) p++;
    else if (state === 'query') while (p < end && (URL_CHAR[src[p] ?? 0] === 1 || src[p] === 0x3f)) p++;
    else while (p < end && (URL_CHAR[src[p] ?? 0] === 1 || src[p] === 0x3f || src[p] === 0x23)) p++;
    if (p === end) return p;
    const b = src[p];
    if (b === SP) this.#endTarget(p);
    else if (b === 0x3f && state === 'path') this.#state = 'query';
    else if (b === 0x23) this.#state = 'fragment';
    // HTTP/0.9 (a target ended by CRLF) is not served; UTF-8 and control bytes are not URL bytes.
    else throw new HttpError(400, b === CR || b === LF ? 'Request line without an HTTP version' : 'Invalid character in the request target');
    return p + 1;
  }

  #beginHead(p: number): void {
    this.#sectionStart = p;
    this.#isTrailers = false;
    this.#marks = [p];
    this.#length = -1;
    this.#hasTransferEncoding = false;
    this.#isChunked = false;
    this.#hasOtherCoding = false;
    this.#hasUpgradeField = false;
    this.#connection = { close: false, keepAlive: false, upgrade: false };
    this.#state = 'method';
  }

  #beginTarget(src: Buffer, space: number): void {
    const start = this.#marks[0] ?? 0;
    if (space === start || !KNOWN_METHODS.has(src.toString('latin1', start, space))) throw new HttpError(400, 'Unknown method');
    this.#marks.push(space);
    this.#state = 'before-target';
  }

  #isConnect(src: Buffer): boolean {
    const start = this.#marks[0] ?? 0;
    return (this.#marks[1] ?? 0) - start === 7 && src.toString('latin1', start, start + 7) === 'CONNECT';
  }

  #endTarget(p: number): void {
    this.#marks.push(p);
    this.#state = 'before-protocol';
  }

  #fieldCount(): number {
    return (this.#marks.length - (this.#isTrailers ? 0 : 4)) / 4;
  }

  #endFieldName(src: Buffer, colon: number): void {
    const start = this.#marks[this.#marks.length - 1] ?? 0;
    this.#marks.push(colon);
    const kind = fieldKind(src, start, colon);
    this.#fieldKind = kind;
    // Both framings in one request is the classic smuggling shape (RFC 9112 section 6.3): rejected.
    if ((kind === 'content-length' && this.#hasTransferEncoding) || (kind === 'transfer-encoding' && this.#length >= 0)) {
      throw new HttpError(400, 'Both Content-Length and Transfer-Encoding');
    }
    if (this.#isTrailers && (kind === 'content-length' || kind === 'transfer-encoding')) throw new HttpError(400, 'Framing field in the trailers');
    if (kind === 'content-length' && this.#length >= 0) throw new HttpError(400, 'Duplicate Content-Length');
    this.#state = 'value-ws';
  }

  /**
   * A Content-Length value cut by the chunk's end is checked as far as it goes, so an overlong one is
   * refused before its line ends (a valid one is at most ~20 digits: longer partial values wait).
   */
  #checkPartialValue(src: Buffer, p: number): void {
    const start = this.#marks[this.#marks.length - 1] ?? 0;
    if (this.#fieldKind === 'content-length' && !this.#isTrailers && p - start <= 64) contentLength(src, start, p, this.#limits.maxBodyBytes);
  }

  #endFieldValue(src: Buffer): void {
    const start = this.#marks[this.#marks.length - 2] ?? 0;
    const end = this.#marks[this.#marks.length - 1] ?? 0;
    if (this.#isTrailers) return;
    switch (this.#fieldKind) {
      case 'content-length':
        if (start === end) throw new HttpError(400, 'Empty Content-Length');
        this.#length = contentLength(src, start, end, this.#limits.maxBodyBytes);
        break;
      case 'transfer-encoding': {
        if (start === end) break;
        if (this.#isChunked) throw new HttpError(400, 'Invalid Transfer-Encoding header value');
        const codings = codingList(src, start, end);
        this.#hasTransferEncoding = true;
        this.#isChunked = codings.isChunked;
        if (codings.hasOtherCoding) this.#hasOtherCoding = true;
        break;
      }
      case 'connection':
        connectionOptions(src, start, end, this.#connection);
        break;
      case 'upgrade':
        if (start < end) this.#hasUpgradeField = true;
        break;
      case 'other':
        break;
      default: {
        const never: never = this.#fieldKind;
        return never;
      }
    }
  }

  #endHead(src: Buffer, sink: MachineSink): void {
    const marks = this.#marks;
    const headers: [string, string][] = [];
    for (let i = 4; i + 3 < marks.length; i += 4) {
      const valueStart = marks[i + 2] ?? 0;
      headers.push([src.toString('latin1', marks[i], marks[i + 1]).toLowerCase(), src.toString('latin1', valueStart, trimEnd(src, valueStart, marks[i + 3] ?? 0))]);
    }
    if (this.#hasTransferEncoding && !this.#isChunked) throw new HttpError(400, 'Transfer-Encoding without chunked as the last coding');
    if (this.#isChunked && this.#hasOtherCoding) throw new HttpError(501, 'Only the chunked transfer coding is supported');
    const minor = this.#minor;
    // CONNECT has no content (RFC 9110 section 9.3.6) and what follows it is a tunnel, not HTTP: as
    // llhttp, the request ends at its head; as we open no tunnels, the connection ends after it.
    const isConnect = this.#isConnect(src);
    const head: ParsedHead = {
      method: src.toString('latin1', marks[0], marks[1]),
      target: src.toString('latin1', marks[2], marks[3]),
      minorVersion: minor,
      headers,
      // RFC 9112 section 6.1: an HTTP/1.0 message with Transfer-Encoding has faulty framing: close after it.
      keepAlive: !isConnect && (minor === 1 ? !this.#connection.close : this.#connection.keepAlive && !this.#hasTransferEncoding),
      asksUpgrade: this.#connection.upgrade && this.#hasUpgradeField,
      bodyLength: isConnect ? 0 : this.#isChunked ? 'chunked' : Math.max(this.#length, 0),
    };
    this.#marks = [];
    this.#head = head;
    sink.head(head);
    if (head.bodyLength === 'chunked') this.#state = 'chunk-size-start';
    else if (head.bodyLength > 0) {
      this.#remaining = head.bodyLength;
      this.#state = 'body';
    } else this.#endMessage(sink);
  }

  #endMessage(sink: MachineSink): void {
    const head = this.#head;
    if (head === undefined) throw new HttpError(400, 'Body without a request');
    this.#head = undefined;
    this.#marks = [];
    this.#isTrailers = false;
    this.#state = 'start';
    this.#state = sink.message(head, this.#body.take());
  }

  #bodyStates(src: Buffer, from: number, end: number, sink: MachineSink): number {
    let p = from;
    const b = src[p] ?? -1;
    switch (this.#state) {
      case 'body':
      case 'chunk-data': {
        const take = Math.min(this.#remaining, end - p);
        // A Content-Length body never needs more room than it announced; a chunked one, the limit.
        const limit = this.#state === 'body' ? this.#body.length + this.#remaining : this.#limits.maxBodyBytes;
        if (take > 0) this.#body.append(src, p, p + take, limit);
        p += take;
        this.#remaining -= take;
        if (this.#remaining > 0) return p;
        if (this.#state === 'body') this.#endMessage(sink);
        else this.#state = 'chunk-data-cr';
        return p;
      }
      case 'chunk-size-start':
        if (p === end) return p;
        if (HEX_VALUE[b] === -1) throw new HttpError(400, 'Invalid character in chunk size');
        this.#remaining = 0;
        this.#state = 'chunk-size';
        return p;
      case 'chunk-size': {
        const room = this.#limits.maxBodyBytes - this.#body.length;
        for (let v = HEX_VALUE[src[p] ?? 0] ?? -1; p < end && v !== -1; v = HEX_VALUE[src[++p] ?? 0] ?? -1) {
          this.#remaining = this.#remaining * 16 + v;
          if (this.#remaining > room) throw new HttpError(413, `Request body exceeds the limit of ${this.#limits.maxBodyBytes} bytes`);
        }
        if (p === end) return p;
        const next = src[p];
        if (next === CR) this.#state = 'chunk-size-lf';
        else if (next === 0x3b) {
          this.#extensionBytes = 0;
          this.#state = 'chunk-ext';
        } else throw new HttpError(400, 'Invalid character in chunk size');
        return p + 1;
      }
      case 'chunk-size-lf':
        if (p === end) return p;
        if (b !== LF) throw new HttpError(400, 'Expected LF after chunk size');
        p++;
        if (this.#remaining > 0) this.#state = 'chunk-data';
        else this.#beginTrailers(p);
        return p;
      case 'chunk-data-cr':
      case 'chunk-data-lf':
        if (p === end) return p;
        if (b !== (this.#state === 'chunk-data-cr' ? CR : LF)) throw new HttpError(400, 'Expected CRLF after chunk data');
        this.#state = this.#state === 'chunk-data-cr' ? 'chunk-data-lf' : 'chunk-size-start';
        return p + 1;
      default:
        p = this.#extensionStates(src, p, end);
        return p;
    }
  }

  #beginTrailers(p: number): void {
    this.#sectionStart = p;
    this.#isTrailers = true;
    this.#marks = [];
    this.#state = 'field-start';
  }

  // chunk-ext = *( BWS ";" BWS ext-name [ BWS "=" BWS ext-val ] ), read as llhttp's strict mode does:
  // no whitespace at all, no empty extension after ';', quoted values without CR, LF or NUL.
  #extensionStates(src: Buffer, from: number, end: number): number {
    let p = from;
    if (p === end) return p;
    switch (this.#state) {
      case 'chunk-ext':
        if (src[p] === SP || src[p] === CR) throw new HttpError(400, 'Invalid character in chunk extensions');
        this.#state = 'chunk-ext-name';
        return p;
      case 'chunk-ext-name':
      case 'chunk-ext-value':
        while (p < end && TOKEN[src[p] ?? 0] === 1) p++;
        if (p === end) break;
        if (src[p] === 0x3d && this.#state === 'chunk-ext-name') this.#state = 'chunk-ext-value';
        else if (src[p] === 0x22 && this.#state === 'chunk-ext-value') this.#state = 'chunk-ext-quoted';
        else this.#endExtension(src[p]);
        p++;
        break;
      case 'chunk-ext-quoted':
        while (p < end && QDTEXT[src[p] ?? 0] === 1) p++;
        if (p === end) break;
        if (src[p] === 0x22) this.#state = 'chunk-ext-quoted-done';
        else if (src[p] === 0x5c) this.#state = 'chunk-ext-pair';
        else throw new HttpError(400, 'Invalid character in a quoted chunk extension');
        p++;
        break;
      case 'chunk-ext-pair':
        if (QUOTED_PAIR_CHAR[src[p] ?? 0] !== 1) throw new HttpError(400, 'Invalid quoted pair in a chunk extension');
        this.#state = 'chunk-ext-quoted';
        p++;
        break;
      case 'chunk-ext-quoted-done':
        this.#endExtension(src[p]);
        p++;
        break;
      default:
        throw new HttpError(400, `Unexpected parser state ${this.#state}`);
    }
    this.#extensionBytes += p - from;
    if (this.#extensionBytes > MAX_CHUNK_EXTENSION_BYTES) throw new HttpError(413, 'Chunk extensions too large');
    return p;
  }

  #endExtension(byte: number | undefined): void {
    if (byte === 0x3b) this.#state = 'chunk-ext';
    else if (byte === CR) this.#state = 'chunk-size-lf';
    else throw new HttpError(400, 'Invalid character in chunk extensions');
  }
}
