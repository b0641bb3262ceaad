// One HTTP response on a connection: head, then a body by Content-Length, chunked coding (HTTP/1.1)
// or until close (HTTP/1.0), never a body for HEAD. Streams through a producer that is paused and
// resumed with the transport's write buffer, so a slow client is never buffered without bound.
import type { Protocol, Transport } from '../../contract/index.js';
import { httpDate } from './http-date.js';
import { type PreparedKey, PreparedResponses } from './prepared-responses.js';
import type { HttpRequest } from './request-parser.js';
import { offersUpgrade } from './upgrade.js';

/** The reason phrase of each status the server sends (RFC 9110); others are sent as `Unknown`. */
export const STATUS_TEXT: Readonly<Record<number, string>> = {
  100: 'Continue',
  101: 'Switching Protocols',
  200: 'OK',
  201: 'Created',
  204: 'No Content',
  400: 'Bad Request',
  404: 'Not Found',
  405: 'Method Not Allowed',
  408: 'Request Timeout',
  413: 'Content Too Large',
  426: 'Upgrade Required',
  431: 'Request Header Fields Too Large',
  500: 'Internal Server Error',
  501: 'Not Implemented',
  505: 'HTTP Version Not Supported',
};

const NO_HEADERS: Readonly<Record<string, string | number>> = Object.freeze({});
const NO_EXTRA: Readonly<Record<string, string>> = Object.freeze({});

/** The small answers send() repeats (hello world, 404...), shared by every connection of the process. */
const PREPARED = new PreparedResponses();

function hasNoKeys(headers: Readonly<Record<string, string>>): boolean {
  for (const _name in headers) return false;
  return true;
}

/** A field name: a token (RFC 9110 section 5.1). */
const FIELD_NAME = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
/** A field value: HTAB, visible ASCII, SP, obs-text; no CR, LF, NUL or other control (node:http's check). */
const FIELD_VALUE = /^[\t\x20-\x7e\x80-\xff]*$/;

/** Whether `value` may be sent as a header value as it is (RFC 9110 section 5.5): no CR, LF, NUL or other control byte. */
export function isValidHeaderValue(value: string): boolean {
  return FIELD_VALUE.test(value);
}

/** What setHeader() throws for a name that is not a token or a value with a control byte (response splitting). */
export class InvalidHeaderError extends TypeError {
  /** The class name, kept when the code is minified. */
  override name = 'InvalidHeaderError';
  /** Node-style code to `switch` on, as a literal type (node:http says ERR_INVALID_CHAR). */
  readonly code = 'ERR_INVALID_HTTP_HEADER' as const;
  /** The header name as given. */
  readonly header: string;

  constructor(header: string, what: 'name' | 'value') {
    super(`Invalid header ${what} for '${header.slice(0, 64)}': ${what === 'name' ? 'not a token' : 'it contains CR, LF, NUL or another control byte'}`);
    this.header = header;
  }
}

/** How the server builds each response besides the request: what the route cannot know. */
export interface HttpResponseOptions {
  /** From a server that can switch protocols: hands it the connection after a 101. */
  readonly onUpgrade?: (next: Protocol) => void;
  /** The server's idle timeout in seconds: sent as `Keep-Alive: timeout=N` on keep-alive responses. */
  readonly keepAliveSeconds?: number;
}

/** Pulls the next chunk of a streamed body; undefined when the body is complete. */
export type BodyProducer = () => Uint8Array | undefined;

/**
 * The answer to one request, given to its route handler (node:http's `ServerResponse`, smaller):
 * either send()/end() a whole body at once, or writeHead() then write()/produce() and end(). A body
 * without a Content-Length is sent chunked to an HTTP/1.1 client and ended by closing for HTTP/1.0;
 * a HEAD request gets the head only. Pipelined requests are answered in order, one at a time.
 */
export class HttpResponse {
  /** The request this answers. */
  readonly request: HttpRequest;
  /**
   * Whether the connection stays open for another request after this response; starts from the
   * request's Connection header and version. Set it false before the head is sent to close after
   * this response (`Connection: close` is then sent).
   */
  keepAlive: boolean;
  #transport: Transport;
  #onFinish: () => void;
  /** Name, value, and the name in lower case (for replacing and finding). */
  #headers: [name: string, value: string, lower: string][] = [];
  #headersSent = false;
  #isChunked = false;
  #isFinished = false;
  #isPaused = false;
  /** HEAD, or a status without content (1xx, 204, 304): the producer is never pulled. */
  #isBodyless: boolean;
  #producer: BodyProducer | undefined;
  readonly #options: HttpResponseOptions;

  /** `onFinish` is called once, when the response ended (the server then answers the next request). */
  constructor(transport: Transport, request: HttpRequest, keepAlive: boolean, onFinish: () => void, options: HttpResponseOptions = {}) {
    this.#transport = transport;
    this.request = request;
    this.keepAlive = keepAlive;
    this.#onFinish = onFinish;
    this.#options = options;
    this.#isBodyless = request.method === 'HEAD';
  }

  /** True once the status line and headers were written: setHeader() and writeHead() can no longer change them. */
  get headersSent(): boolean {
    return this.#headersSent;
  }

  /** True once the response was ended (or the connection went away): further writes are ignored. */
  get isFinished(): boolean {
    return this.#isFinished;
  }

  /**
   * Sets a header for the head not yet sent, replacing one of the same name (case-insensitive).
   * Throws InvalidHeaderError (a TypeError) if `name` is not a token or `value` holds CR, LF, NUL
   * or another control byte (response splitting); check a value from a request with
   * isValidHeaderValue() first.
   */
  setHeader(name: string, value: string | number): this {
    const text = String(value);
    if (!FIELD_NAME.test(name)) throw new InvalidHeaderError(name, 'name');
    if (!FIELD_VALUE.test(text)) throw new InvalidHeaderError(name, 'value');
    const lower = name.toLowerCase();
    const at = this.#headers.findIndex((header) => header[2] === lower);
    if (at >= 0) this.#headers.splice(at, 1);
    this.#headers.push([name, text, lower]);
    return this;
  }

  /** Sends the status line and headers (once). */
  writeHead(status: number, headers: Readonly<Record<string, string | number>> = {}): this {
    this.#transport.write(this.#head(status, headers));
    return this;
  }

  #setHeaders(headers: Readonly<Record<string, string | number>>): void {
    for (const name in headers) {
      const value = headers[name];
      if (value !== undefined) this.setHeader(name, value);
    }
  }

  /** The head as bytes, marking it sent. */
  #head(status: number, headers: Readonly<Record<string, string | number>>): Buffer {
    return Buffer.from(this.#headText(status, headers), 'latin1');
  }

  /** The head as text (one byte per char), marking it sent; callers write it, alone or with a body. */
  #headText(status: number, headers: Readonly<Record<string, string | number>>): string {
    if (this.#headersSent) throw new Error('The response head was already sent');
    this.#setHeaders(headers);
    const bodyless = status === 204 || status === 304 || status < 200;
    if (bodyless) this.#isBodyless = true;
    if (!this.#headers.some((header) => header[2] === 'content-length') && !bodyless) {
      if (this.request.minorVersion === 1) {
        this.#isChunked = true;
        this.#headers.push(['Transfer-Encoding', 'chunked', 'transfer-encoding']);
      } else {
        // HTTP/1.0 without a length: the body ends when we close.
        this.keepAlive = false;
      }
    }
    if (!this.keepAlive) this.#headers.push(['Connection', 'close', 'connection']);
    else if (this.request.minorVersion === 0) this.#headers.push(['Connection', 'keep-alive', 'connection']);
    // Tells keep-alive clients (node's Agent, undici) when we close an idle connection, so they stop
    // reusing it first instead of racing our close with their next request.
    const keepAliveSeconds = this.#options.keepAliveSeconds;
    if (this.keepAlive && keepAliveSeconds !== undefined && keepAliveSeconds > 0) this.#headers.push(['Keep-Alive', `timeout=${Math.floor(keepAliveSeconds)}`, 'keep-alive']);
    if (!this.#headers.some((header) => header[2] === 'date')) this.#headers.push(['Date', httpDate(), 'date']);
    let text = `HTTP/1.${this.request.minorVersion} ${status} ${STATUS_TEXT[status] ?? 'Unknown'}\r\n`;
    for (const [name, value] of this.#headers) text += `${name}: ${value}\r\n`;
    this.#headersSent = true;
    return `${text}\r\n`;
  }

  /**
   * Head and body in one write: one segment on the wire, so Nagle never holds the body back. One
   * Buffer for both, the head written into it as text (no Buffer of its own, no concat).
   */
  #complete(status: number, headers: Readonly<Record<string, string | number>>, body: Uint8Array | string): Buffer {
    this.#setHeaders(headers);
    const length = typeof body === 'string' ? Buffer.byteLength(body) : body.length;
    this.setHeader('Content-Length', length);
    const head = this.#headText(status, NO_HEADERS);
    const withBody = !this.#isBodyless && length > 0;
    const out = Buffer.allocUnsafe(head.length + (withBody ? length : 0));
    out.write(head, 0, 'latin1');
    if (withBody && typeof body === 'string') out.write(body, head.length, 'utf8');
    else if (withBody && typeof body !== 'string') out.set(body, head.length);
    this.#finish(out);
    return out;
  }

  /** Writes the whole response's bytes and ends it. */
  #finish(out: Buffer): void {
    this.#transport.write(out);
    this.#isFinished = true;
    this.#producer = undefined;
    this.#onFinish();
  }

  /** Writes part of the body; false when the client is behind (wait for the producer to be pulled). */
  write(chunk: Uint8Array | string): boolean {
    if (!this.#headersSent) this.writeHead(200);
    if (this.#isBodyless || this.#isFinished) return !this.#isPaused;
    const bytes = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
    if (bytes.length === 0) return !this.#isPaused;
    if (this.#isChunked) this.#transport.write(Buffer.from(`${bytes.length.toString(16)}\r\n`));
    this.#transport.write(bytes);
    if (this.#isChunked) this.#transport.write(Buffer.from('\r\n'));
    return !this.#isPaused;
  }

  /** Ends the response, with a last piece of body if given. */
  end(body?: Uint8Array | string): void {
    if (this.#isFinished) return;
    if (!this.#headersSent) {
      this.#complete(200, {}, body ?? '');
      return;
    }
    if (body !== undefined) this.write(body);
    if (this.#isChunked && !this.#isBodyless) this.#transport.write(Buffer.from('0\r\n\r\n'));
    this.#isFinished = true;
    this.#producer = undefined;
    this.#onFinish();
  }

  /** A complete response with a plain-text body. */
  send(status: number, body: string, contentType = 'text/plain; charset=utf-8', extra: Readonly<Record<string, string>> = NO_EXTRA): void {
    // No header set by the route: the bytes depend only on the key and the Date, and may be kept.
    const key = this.#headers.length === 0 && !this.#headersSent && hasNoKeys(extra) ? this.#preparedKey(status, contentType, body) : undefined;
    const date = key === undefined ? undefined : httpDate();
    const prepared = key === undefined || date === undefined ? undefined : PREPARED.find(key, date);
    if (prepared !== undefined) {
      this.#headersSent = true;
      this.#finish(prepared);
      return;
    }
    this.setHeader('Content-Type', contentType);
    const out = this.#complete(status, extra, body);
    if (key !== undefined && date !== undefined) PREPARED.keep(key, date, out);
  }

  #preparedKey(status: number, contentType: string, body: string): PreparedKey {
    const { minorVersion } = this.request;
    return { status, contentType, body, minorVersion, keepAlive: this.keepAlive, keepAliveSeconds: this.#options.keepAliveSeconds, isHead: this.#isBodyless };
  }

  /** An error response; the connection closes after it. */
  sendError(status: number, message: string): void {
    this.keepAlive = false;
    this.send(status, `${message}\n`);
  }

  /**
   * Accepts the request's Upgrade (RFC 9110 7.8): sends `101 Switching Protocols` with `Upgrade:
   * name`, `Connection: Upgrade` and any headers set, then the connection belongs to `next`: it gets
   * connectionMade, then the bytes that followed this request (its body, framed by Content-Length
   * or chunked, stays this request's), then the rest of the stream. This response is finished; the
   * server answers nothing more on the connection. Throws an Error if the request did not offer
   * `name`, the head was already sent, or the server cannot hand the connection over.
   */
  switchProtocols(name: string, next: Protocol): void {
    const onUpgrade = this.#options.onUpgrade;
    if (!offersUpgrade(this.request, name)) throw new Error(`Cannot switch protocols: the request did not offer '${name}'`);
    if (onUpgrade === undefined) throw new Error('Cannot switch protocols: this server cannot hand the connection over');
    if (this.#headersSent) throw new Error('The response head was already sent');
    this.setHeader('Upgrade', name).setHeader('Connection', 'Upgrade');
    // No Date: RFC 9110 6.6.1 makes it optional on 1xx, and the 101 stays as short as the README shows it.
    let head = `HTTP/1.1 101 ${STATUS_TEXT[101] ?? ''}\r\n`;
    for (const [name, value] of this.#headers) head += `${name}: ${value}\r\n`;
    this.#transport.write(Buffer.from(`${head}\r\n`, 'latin1'));
    this.#headersSent = true;
    this.#isFinished = true;
    this.#producer = undefined;
    onUpgrade(next);
  }

  /**
   * Streams the body from `producer`, pulling while the client keeps up, then ends. A response
   * without a body (HEAD, 204, 304) ends at once and never pulls it: nothing is made to be dropped.
   */
  produce(producer: BodyProducer): void {
    if (!this.#headersSent) this.writeHead(200);
    if (this.#isBodyless) {
      this.end();
      return;
    }
    this.#producer = producer;
    this.#pull();
  }

  /** Stops pulling the producer: called by the server when the transport's write buffer is over its high-water mark. */
  pause(): void {
    this.#isPaused = true;
  }

  /** Pulls the producer again: called by the server when the write buffer drained to its low-water mark. */
  resume(): void {
    this.#isPaused = false;
    this.#pull();
  }

  /** The connection went away: stop producing. */
  abandon(): void {
    this.#producer = undefined;
    this.#isFinished = true;
  }

  #pull(): void {
    while (this.#producer !== undefined && !this.#isPaused && !this.#isFinished && !this.#transport.isClosing) {
      const chunk = this.#producer();
      if (chunk === undefined) {
        this.end();
        return;
      }
      this.write(chunk);
    }
  }
}
