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
import { ChunkedBody } from './chunked-body.js';
import { CR, FIELD_VALUE_CHAR, HTAB, LF, SP, TOKEN } from './char-classes.js';
import { fieldKind, trimEnd } from './field-semantics.js';
import { type Framing, FramingFields } from './framing-fields.js';
import { FIELD_NAMES } from './field-names.js';
import { RequestLine } from './request-line.js';

type SectionState =
  | 'line' | 'headers-start'
  | 'field-start' | 'field' | 'value-ws' | 'empty-value-lf' | 'empty-value-lws' | 'value' | 'value-lf' | 'value-lws' | 'section-lf';
/** Reading a body: a Content-Length one, or chunks (chunked-body.ts has their states). */
type BodyState = 'body' | 'chunked';
/** Where the machine is; `upgrade` and `closed` parse nothing more, `failed` after an error. */
export type MachineState = 'start' | SectionState | BodyState | 'upgrade' | 'closed' | 'failed';

const BODY_STATES: ReadonlySet<MachineState> = new Set<BodyState>(['body', 'chunked']);

/** A complete head, as the machine hands it over. */
export interface ParsedHead extends Framing {
  readonly method: string;
  readonly target: string;
  readonly minorVersion: 0 | 1;
  readonly headers: [string, string][];
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
  /** The open section continues in #held (it may be empty: trailers begin at a chunk's end). */
  #isHolding = false;
  #sectionStart = 0;
  #isTrailers = false;
  /** Offsets in the section's source: method, target, then name and value of each field. */
  #marks: number[] = [];
  readonly #framing: FramingFields;
  readonly #chunked: ChunkedBody;
  readonly #line = new RequestLine();
  /** Bytes left of a Content-Length body. */
  #remaining = 0;
  #head: ParsedHead | undefined;
  readonly #body = new BodyBuffer();
  #scanned = 0;

  constructor(limits: HttpLimits) {
    this.#limits = limits;
    this.#framing = new FramingFields(limits.maxBodyBytes);
    this.#chunked = new ChunkedBody(limits.maxBodyBytes);
  }

  get state(): MachineState {
    return this.#state;
  }

  /** Bytes allocated for the request in progress: its section copy and its body buffer. */
  get heldBytes(): number {
    return this.#held.length + this.#body.capacity;
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
    this.#isHolding = false;
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
      p = this.#isHolding ? this.#continueHeld(chunk, p, sink) : this.#runDirect(chunk, p, sink);
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
      this.#isHolding = true;
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
    this.#isHolding = false;
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
        case 'line':
          p = this.#line.parse(src, p, end, this.#marks);
          if (this.#line.isDone) this.#state = 'headers-start';
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
            if (!this.#isTrailers) this.#framing.valueCut(src, this.#marks[this.#marks.length - 1] ?? 0, p);
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
          else this.#endHead(src, p, sink);
          return p;
        default:
          p = this.#bodyStates(src, p, end, sink);
          if (!BODY_STATES.has(this.#state) || p === end) return p;
      }
    }
  }

  #beginHead(p: number): void {
    this.#sectionStart = p;
    this.#isTrailers = false;
    this.#marks = [p];
    this.#framing.reset();
    this.#line.begin();
    this.#state = 'line';
  }

  #fieldCount(): number {
    return (this.#marks.length - (this.#isTrailers ? 0 : 4)) / 4;
  }

  #endFieldName(src: Buffer, colon: number): void {
    const start = this.#marks[this.#marks.length - 1] ?? 0;
    this.#marks.push(colon);
    this.#framing.nameEnded(fieldKind(src, start, colon), this.#isTrailers);
    this.#state = 'value-ws';
  }

  #endFieldValue(src: Buffer): void {
    if (!this.#isTrailers) this.#framing.valueEnded(src, this.#marks[this.#marks.length - 2] ?? 0, this.#marks[this.#marks.length - 1] ?? 0);
  }

  #endHead(src: Buffer, end: number, sink: MachineSink): void {
    const marks = this.#marks;
    // One string for the head, sliced: V8 slices share it (a string per field cost a third of the time).
    const base = this.#sectionStart;
    const text = src.toString('latin1', base, end);
    const headers: [string, string][] = [];
    for (let i = 4; i + 3 < marks.length; i += 4) {
      const valueStart = marks[i + 2] ?? 0;
      const valueEnd = trimEnd(src, valueStart, marks[i + 3] ?? 0);
      const nameStart = marks[i] ?? 0;
      const nameEnd = marks[i + 1] ?? 0;
      const name = FIELD_NAMES.find(src, nameStart, nameEnd) ?? text.slice(nameStart - base, nameEnd - base).toLowerCase();
      headers.push([name, text.slice(valueStart - base, valueEnd - base)]);
    }
    const minorVersion = this.#line.minorVersion;
    const framing = this.#framing.decide(minorVersion, this.#line.isConnect, headers);
    const method = this.#line.method;
    const target = text.slice((marks[2] ?? 0) - base, (marks[3] ?? 0) - base);
    const head: ParsedHead = { method, target, minorVersion, headers, keepAlive: framing.keepAlive, asksUpgrade: framing.asksUpgrade, bodyLength: framing.bodyLength };
    this.#marks = [];
    this.#head = head;
    sink.head(head);
    if (head.bodyLength === 'chunked') {
      this.#chunked.reset();
      this.#state = 'chunked';
    } else if (head.bodyLength > 0) {
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
    this.#state = sink.message(head, this.#body.take());
  }

  /** Body bytes: a Content-Length body, or chunks up to the trailer section. */
  #bodyStates(src: Buffer, from: number, end: number, sink: MachineSink): number {
    if (this.#state === 'chunked') {
      const p = this.#chunked.decode(src, from, end, this.#body);
      if (this.#chunked.isAtTrailers) this.#beginTrailers(p);
      return p;
    }
    const take = Math.min(this.#remaining, end - from);
    // A Content-Length body never needs more room than it announced.
    this.#body.append(src, from, from + take, this.#body.length + this.#remaining);
    this.#remaining -= take;
    if (this.#remaining === 0) this.#endMessage(sink);
    return from + take;
  }

  #beginTrailers(p: number): void {
    this.#sectionStart = p;
    this.#isTrailers = true;
    this.#marks = [];
    this.#state = 'field-start';
  }
}
