// The request line (RFC 9112 section 3) as a byte-level state machine, read as llhttp's strict mode
// reads it: a method from llhttp's table, spaces, a target of URL bytes only (origin, absolute or
// asterisk form; authority form for CONNECT), spaces, HTTP/1.0 or HTTP/1.1, CRLF.
//
//   method SP+ (path [?query] [#fragment] | scheme "://" server [path...] | server) SP+ HTTP/d.d CR LF
import { HttpError } from './http-error.js';
import { CR, LF, METHOD_CHAR, SCHEME_CHAR, SERVER_CHAR, SP, URL_CHAR } from './char-classes.js';
import { MAX_METHOD_LENGTH, METHOD_NAMES } from './methods.js';

type LineState =
  | 'method' | 'before-target' | 'target-start' | 'scheme' | 'scheme-slashes' | 'server' | 'server-at' | 'path' | 'query' | 'fragment'
  | 'before-protocol' | 'protocol' | 'major' | 'dot' | 'minor' | 'line-cr' | 'line-lf' | 'done';

const HTTP_SLASH = Buffer.from('HTTP/');
const HTTP_1_DOT = Buffer.from('HTTP/1.');
/** `HTTP/1.x` CR LF. */
const VERSION_LINE_LENGTH = HTTP_1_DOT.length + 3;

/**
 * Parses one request line. `marks` starts with the method's offset; parse() adds the method's end,
 * the target's start and its end, offsets into the source it is given.
 */
export class RequestLine {
  #state: LineState = 'method';
  #matched = 0;
  #minor: 0 | 1 = 1;
  #isConnect = false;
  #method = '';

  /** The method, once the line has passed it (one shared string per method). */
  get method(): string {
    return this.#method;
  }

  /** CR LF ended the line. */
  get isDone(): boolean {
    return this.#state === 'done';
  }

  get minorVersion(): 0 | 1 {
    return this.#minor;
  }

  /** The method is CONNECT (its target is an authority, and it has no body). */
  get isConnect(): boolean {
    return this.#isConnect;
  }

  begin(): void {
    this.#state = 'method';
    this.#isConnect = false;
  }

  /** Parses `src[from, end)`; returns where it stopped: the end, or just after the line's LF. */
  parse(src: Buffer, from: number, end: number, marks: number[]): number {
    let p = from;
    while (p < end && this.#state !== 'done') {
      const b = src[p] ?? -1;
      switch (this.#state) {
        case 'method':
          while (p < end && METHOD_CHAR[src[p] ?? 0] === 1) p++;
          if (p - (marks[0] ?? 0) > MAX_METHOD_LENGTH) throw new HttpError(400, 'Unknown method');
          if (p === end) return p;
          if (src[p] !== SP) throw new HttpError(400, 'Invalid character in method');
          this.#endMethod(src, p++, marks);
          break;
        case 'before-target':
        case 'before-protocol':
          while (p < end && src[p] === SP) p++;
          if (p === end) return p;
          if (this.#state === 'before-protocol') {
            p = this.#wholeVersion(src, p, end);
          } else {
            marks.push(p);
            this.#state = this.#isConnect ? 'server' : 'target-start';
          }
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
          p = this.#server(src, p, end, marks);
          break;
        case 'path':
        case 'query':
        case 'fragment':
          p = this.#targetRest(src, p, end, marks);
          break;
        default:
          p = this.#version(b, p);
      }
    }
    return p;
  }

  #endMethod(src: Buffer, space: number, marks: number[]): void {
    const method = METHOD_NAMES.find(src, marks[0] ?? 0, space);
    if (method === undefined) throw new HttpError(400, 'Unknown method');
    this.#method = method;
    this.#isConnect = method === 'CONNECT';
    marks.push(space);
    this.#state = 'before-target';
  }

  #server(src: Buffer, from: number, end: number, marks: number[]): number {
    let p = from;
    while (p < end && SERVER_CHAR[src[p] ?? 0] === 1) p++;
    if (p === end) return p;
    const b = src[p];
    if (b === 0x2f) this.#state = 'path';
    else if (b === 0x3f) this.#state = 'query';
    else if (b === 0x40 && this.#state === 'server') this.#state = 'server-at';
    else if (b === SP) this.#endTarget(p, marks);
    else throw new HttpError(400, 'Invalid character in the target authority');
    return p + 1;
  }

  #targetRest(src: Buffer, from: number, end: number, marks: number[]): number {
    let p = from;
    const state = this.#state;
    if (state === 'path') while (p < end && URL_CHAR[src[p] ?? 0] === 1) p++;
    else if (state === 'query') while (p < end && (URL_CHAR[src[p] ?? 0] === 1 || src[p] === 0x3f)) p++;
    else while (p < end && (URL_CHAR[src[p] ?? 0] === 1 || src[p] === 0x3f || src[p] === 0x23)) p++;
    if (p === end) return p;
    const b = src[p];
    if (b === SP) this.#endTarget(p, marks);
    else if (b === 0x3f && state === 'path') this.#state = 'query';
    else if (b === 0x23) this.#state = 'fragment';
    // HTTP/0.9 (a target ended by CRLF) is not served; UTF-8 and control bytes are not URL bytes.
    else throw new HttpError(400, b === CR || b === LF ? 'Request line without an HTTP version' : 'Invalid character in the request target');
    return p + 1;
  }

  #endTarget(p: number, marks: number[]): void {
    marks.push(p);
    this.#state = 'before-protocol';
  }

  /**
   * `HTTP/1.1` or `HTTP/1.0` and CRLF lying whole at `src[p...]` (nearly every request) are read at
   * once, to 'done'; anything else is left to #version, a byte at a time, with its errors.
   */
  #wholeVersion(src: Buffer, p: number, end: number): number {
    this.#matched = 0;
    this.#state = 'protocol';
    if (end - p < VERSION_LINE_LENGTH) return p;
    for (let i = 0; i < HTTP_1_DOT.length; i++) if (src[p + i] !== HTTP_1_DOT[i]) return p;
    const minor = src[p + HTTP_1_DOT.length];
    if ((minor !== 0x30 && minor !== 0x31) || src[p + HTTP_1_DOT.length + 1] !== CR || src[p + HTTP_1_DOT.length + 2] !== LF) return p;
    this.#minor = minor === 0x31 ? 1 : 0;
    this.#state = 'done';
    return p + VERSION_LINE_LENGTH;
  }

  /** "HTTP/" DIGIT "." DIGIT CR LF, a byte at a time. */
  #version(b: number, p: number): number {
    switch (this.#state) {
      case 'protocol':
        if (b !== HTTP_SLASH[this.#matched]) throw new HttpError(400, 'Expected HTTP/');
        if (++this.#matched === HTTP_SLASH.length) this.#state = 'major';
        break;
      case 'major':
        if (b < 0x30 || b > 0x39) throw new HttpError(400, 'Invalid HTTP version');
        this.#matched = b - 0x30;
        this.#state = 'dot';
        break;
      case 'dot':
        if (b !== 0x2e) throw new HttpError(400, 'Invalid HTTP version');
        this.#state = 'minor';
        break;
      case 'minor':
        // llhttp rejects 1.2 and up (node:http: 400); another major version is 505 (RFC 9110 section 15.6.6).
        if (b < 0x30 || b > 0x39 || (this.#matched === 1 && b > 0x31)) throw new HttpError(400, 'Invalid HTTP version');
        if (this.#matched !== 1) throw new HttpError(505, `HTTP version ${this.#matched}.${b - 0x30} is not supported`);
        this.#minor = b === 0x31 ? 1 : 0;
        this.#state = 'line-cr';
        break;
      case 'line-cr':
        // A bare LF ends no line (RFC 9112 section 2.2 lets a server reject it: node:http does, at once).
        if (b !== CR) throw new HttpError(400, b === LF ? 'Bare LF in the request line' : 'Expected CRLF after the version');
        this.#state = 'line-lf';
        break;
      case 'line-lf':
        if (b !== LF) throw new HttpError(400, 'Bare CR in the request line');
        this.#state = 'done';
        break;
      default:
        throw new HttpError(400, `Unexpected request line state ${this.#state}`);
    }
    return p + 1;
  }
}
