// An incremental HTTP/1.1 request parser (RFC 9112), as strict as node:http's llhttp: request line,
// headers, and a body framed by Content-Length or chunked transfer coding. Fed any split of the
// stream, it emits whole requests, each byte looked at once (parser/request-machine.ts). Every limit
// is checked as soon as it is provable; a violation is an HttpError carrying the status the server
// answers with (400, 413, 431, 501, 505).
//
//   parsing --request asks to upgrade--> awaiting upgrade (what follows waits, unparsed, for the
//            server: takeBuffered() hands it to the new protocol, declineUpgrade() parses it as HTTP)
//   parsing --request ends the connection (Connection: close, HTTP/1.0)--> closed (what follows is dropped)
//   parsing --HttpError--> failed (everything after is ignored)
import { upgradeOffer } from './upgrade.js';
import { HttpError } from './parser/http-error.js';
import { DEFAULT_HTTP_LIMITS, type HttpLimits } from './parser/limits.js';
import { type MachineSink, type ParsedHead, RequestMachine } from './parser/request-machine.js';

export { HttpError } from './parser/http-error.js';
export { DEFAULT_HTTP_LIMITS, type HttpLimits } from './parser/limits.js';

/** One complete request, body included, as the parser emits it and a route handler receives it. */
export interface HttpRequest {
  /** The method token as sent (one of llhttp's methods: `GET`, `POST`, `M-SEARCH`...). */
  readonly method: string;
  /** The request-target as sent, not decoded: usually a path with its query (`/search?q=a%20b`). */
  readonly target: string;
  /** 0 for HTTP/1.0, 1 for HTTP/1.1. */
  readonly minorVersion: 0 | 1;
  /** Names lower-cased, values without leading or trailing whitespace, in arrival order, repeated names kept. */
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

/** A parsed request: header() is a method, not a closure per request. */
class ParsedRequest implements HttpRequest {
  readonly method: string;
  readonly target: string;
  readonly minorVersion: 0 | 1;
  readonly headers: readonly (readonly [name: string, value: string])[];
  readonly body: Buffer;
  readonly upgrade?: readonly string[];

  constructor(head: ParsedHead, body: Buffer, upgrade: readonly string[] | undefined) {
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
 * it stays failed and ignores further input. Holds at most maxHeaderBytes of head (or trailers) plus
 * the body of the request in progress (at most maxBodyBytes, in one buffer).
 */
export class HttpRequestParser {
  readonly #machine: RequestMachine;
  /** Bytes after a request that asks to upgrade, held unparsed until the server decides. */
  #waiting: Buffer[] = [];
  #waitingBytes = 0;
  #events: ParserEvents | undefined;
  #head: ParsedHead | undefined;
  /** ParserEvents.head's `header`: made once, it reads the head being reported (valid during that call). */
  readonly #currentHeader = (name: string): string | undefined => (this.#head === undefined ? undefined : headerOf(this.#head.headers, name));
  readonly #sink: MachineSink = {
    head: (head) => {
      this.#head = head;
      this.#events?.head?.(head.method, head.minorVersion, this.#currentHeader, head.bodyLength);
      this.#head = undefined;
    },
    message: (head, body) => {
      // Upgrade needs a Connection option and an Upgrade field: without them there is nothing to look for.
      const upgrade = head.asksUpgrade ? upgradeOffer(head.minorVersion, head.headers) : undefined;
      this.#events?.request(new ParsedRequest(head, body, upgrade));
      if (upgrade !== undefined) return 'upgrade';
      return head.keepAlive ? 'start' : 'closed';
    },
  };

  constructor(limits: HttpLimits = DEFAULT_HTTP_LIMITS) {
    this.#machine = new RequestMachine(limits);
  }

  /**
   * Bytes allocated for the request in progress (its head or trailers up to maxHeaderBytes, its body
   * buffer up to maxBodyBytes) and those waiting behind an upgrade request (bounded by the server).
   */
  get bufferedBytes(): number {
    return this.#machine.heldBytes + this.#waitingBytes;
  }

  /** True between requests: EOF here is a clean end, EOF elsewhere cuts a request short. */
  get isIdle(): boolean {
    const state = this.#machine.state;
    return state === 'start' || state === 'closed';
  }

  /** True after a request that asks to upgrade: what follows it waits, unparsed, for the server's choice. */
  get isAwaitingUpgrade(): boolean {
    return this.#machine.state === 'upgrade';
  }

  /**
   * True after a request that ends the connection (HTTP/1.1 with `Connection: close`, HTTP/1.0 without
   * `Connection: keep-alive`, as llhttp_should_keep_alive): the parser reads nothing more, so a request
   * pipelined behind it is never answered (the server answers, then closes).
   */
  get isClosed(): boolean {
    return this.#machine.state === 'closed';
  }

  /** Every byte the state machine has examined (tests check it stays linear in the input). */
  get scannedBytes(): number {
    return this.#machine.scannedBytes;
  }

  /**
   * Parses `chunk` after what came before, calling `events` for each head and request it completes.
   * Throws HttpError at the first violation (limits are checked before bytes are buffered); after a
   * request that asks to upgrade, holds what follows unparsed until takeBuffered() or declineUpgrade().
   */
  feed(chunk: Uint8Array, events: ParserEvents): void {
    const bytes = Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
    this.#parse(bytes, events);
  }

  /** The upgrade was accepted: removes and returns the bytes after the request (the new protocol's). */
  takeBuffered(): Buffer {
    const rest = this.#waiting.length === 1 && this.#waiting[0] !== undefined ? this.#waiting[0] : Buffer.concat(this.#waiting, this.#waitingBytes);
    this.#waiting = [];
    this.#waitingBytes = 0;
    this.#machine.restart();
    return rest;
  }

  /** The upgrade was not accepted (RFC 9110 7.8 lets a server ignore it): parses what follows as HTTP. */
  declineUpgrade(events: ParserEvents): void {
    if (!this.isAwaitingUpgrade) return;
    const waiting = this.#waiting;
    this.#waiting = [];
    this.#waitingBytes = 0;
    this.#machine.restart();
    for (const chunk of waiting) this.#parse(chunk, events);
  }

  #parse(bytes: Buffer, events: ParserEvents): void {
    const machine = this.#machine;
    if (machine.state === 'failed' || machine.state === 'closed') return;
    if (machine.state === 'upgrade') {
      this.#hold(bytes);
      return;
    }
    const outer = this.#events;
    this.#events = events;
    try {
      const stop = machine.execute(bytes, 0, this.#sink);
      if (stop < bytes.length && this.isAwaitingUpgrade) this.#hold(bytes.subarray(stop));
    } catch (error) {
      machine.fail();
      this.#waiting = [];
      this.#waitingBytes = 0;
      throw error;
    } finally {
      this.#events = outer;
    }
  }

  #hold(bytes: Buffer): void {
    // Copied: `bytes` is a view of a buffer the transport may reuse for its next read.
    this.#waiting.push(Buffer.from(bytes));
    this.#waitingBytes += bytes.length;
  }
}

function headerOf(headers: readonly (readonly [string, string])[], name: string): string | undefined {
  const wanted = name.toLowerCase();
  for (const [n, v] of headers) if (n === wanted) return v;
  return undefined;
}
