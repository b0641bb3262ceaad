// An HTTP/1.1 server protocol: keep-alive, pipelined requests answered in order by one loop,
// Connection: close, HTTP/1.0 clients, Expect: 100-continue, HEAD, streamed responses that honour
// backpressure, deadlines for every phase, HTTP Upgrade (101, then the connection goes to another
// protocol), and a lingering close after the last answer. Requests are parsed by HttpRequestParser;
// what to answer is the Router's business.
//
//   reading:  a chunk is fed to the parser in slices while fewer than MAX_QUEUED_REQUESTS wait; the
//             rest is held (one chunk at most) and reading pauses, as it does while writing is paused
//   answering: one request at a time, in order; none while the transport's write buffer is over its
//             high-water mark (pauseWriting), so a peer that does not read stops being read
//   ending:   after a response that does not keep the connection (Connection: close, HTTP/1.0, an
//             error), nothing more is parsed or answered: the connection closes the lingering way
import type { Protocol, Transport } from '../../contract/index.js';
import { IdleTimeout, withIdleTimeout } from '../idle-timeout.js';
import { LingeringCloser, type LingeringClose } from '../lingering-close.js';
import type { Scheduler } from '../scheduler.js';
import { switchProtocol } from '../switching.js';
import { Deadline } from './deadline.js';
import { DEFAULT_HTTP_LIMITS, HttpError, type HttpLimits, type HttpRequest, HttpRequestParser, type ParserEvents } from './request-parser.js';
import { type FailedRequest, errorRequest, ruleBroken, wantsKeepAlive } from './request-rules.js';
import { HttpResponse, type HttpResponseOptions, STATUS_TEXT } from './response.js';
import type { Router } from './router.js';
import { httpDate } from './http-date.js';

/** Options of HttpServerProtocol and httpFactory(): parser limits, timeouts and the lingering close. */
export interface HttpServerOptions {
  /** Overrides of DEFAULT_HTTP_LIMITS; a request past one is answered 4xx and the connection closes. */
  readonly limits?: Partial<HttpLimits>;
  /** Seconds a client may take to send a request's head, from its first byte (slow-loris guard); 0 turns it off. */
  readonly headerTimeout?: number;
  /**
   * Seconds a client may take to send a whole request, body included, from its first byte
   * (node:http's requestTimeout, default 300); past it 408 and the connection closes. 0 turns it off.
   */
  readonly requestTimeout?: number;
  /**
   * Seconds a keep-alive connection may sit idle between requests (announced as `Keep-Alive:
   * timeout=N`), a connection upgraded to another protocol may stay silent, and a peer may leave
   * our writes unread; 0 turns them off.
   */
  readonly idleTimeout?: number;
  /**
   * The timer for every timeout (the reactor, or a ManualScheduler in tests). Without one, no
   * timeout runs, whatever their values, and connections close at once instead of lingering.
   */
  readonly scheduler?: Scheduler;
  /**
   * The lingering close of the last answer (shared by a server's connections for its cap); by
   * default one per connection with DEFAULT_LINGERING's bounds.
   */
  readonly lingering?: LingeringCloser;
}

/** node:http's requestTimeout default, in seconds. */
const DEFAULT_REQUEST_TIMEOUT = 300;
/** Requests parsed ahead of the response in progress (pipelining depth) before reading pauses. */
const MAX_QUEUED_REQUESTS = 64;
/** Bytes fed to the parser at a time, so one large chunk of tiny requests queues a bounded number. */
const PARSE_SLICE = 16 * 1024;

type DeadlineKind = 'head' | 'body' | 'idle' | 'send';

/**
 * One HTTP/1.1 connection (see the top of this file for reading, answering and ending). HTTP
 * Upgrade (RFC 9110 7.8): the parser stops after a request that asks to upgrade, after its body if
 * it has one. Requests before it are answered first, in order. If its route calls
 * `response.switchProtocols(name, next)` (Router.upgrade), the server sends 101 and hands the
 * connection to `next` (under the idle timeout) with every byte after the request as leftover,
 * then hears nothing more. Otherwise the route answers as usual and the bytes after it are parsed
 * as HTTP. While it waits, at most `maxHeaderBytes` plus a chunk are held before reading pauses.
 * Server rules on top of the parser: an HTTP/1.1 request without exactly one Host, or with a method
 * node:http does not know, is answered 400 and ends the connection.
 */
export class HttpServerProtocol implements Protocol {
  readonly #router: Router;
  readonly #parser: HttpRequestParser;
  readonly #options: HttpServerOptions;
  readonly #maxWaitingBytes: number;
  readonly #events: ParserEvents;
  readonly #deadline: Deadline<DeadlineKind>;
  #transport: Transport | undefined;
  #queue: FailedRequest[] = [];
  /** The rest of a received chunk, not parsed yet because enough requests wait (reading is paused). */
  #unparsed: Uint8Array | undefined;
  #current: HttpResponse | undefined;
  /** A response said the connection ends: nothing more is parsed or answered. */
  #isEnding = false;
  /** The peer sent EOF: answer what it asked, then close. */
  #isPeerDone = false;
  #isWritingPaused = false;
  /** True while #next's loop runs: a response finished inside it is followed by the loop, not a nested call. */
  #isDispatching = false;
  /** A `100 Continue` owed to the request being received, sent once the requests before it are answered. */
  #isContinueOwed = false;
  /** When the request being received began (its first byte), for the request timeout. */
  #requestStart: number | undefined;
  /** The request being received has a complete head and a body still coming. */
  #isReadingBody = false;
  #lingering: LingeringClose | undefined;
  /** drain() was called: every response from now on says `Connection: close`. */
  #isDraining = false;
  /** A response was completed here: the connection is a keep-alive one between requests when idle. */
  #hasAnswered = false;
  /** What every response of the connection gets (made once, not per request). */
  readonly #responseOptions: HttpResponseOptions;

  constructor(router: Router, options: HttpServerOptions = {}) {
    this.#router = router;
    this.#options = options;
    const limits = { ...DEFAULT_HTTP_LIMITS, ...options.limits };
    this.#parser = new HttpRequestParser(limits);
    this.#maxWaitingBytes = limits.maxHeaderBytes;
    this.#deadline = new Deadline(options.scheduler, (kind) => this.#expire(kind));
    const idleTimeout = options.scheduler === undefined ? undefined : options.idleTimeout;
    this.#responseOptions = idleTimeout === undefined ? {} : { keepAliveSeconds: idleTimeout };
    this.#events = {
      head: (_method, minor, header, length) => {
        this.#isReadingBody = length !== 0;
        if (length !== 0) this.#deadline.set('body', this.#options.requestTimeout ?? DEFAULT_REQUEST_TIMEOUT, this.#requestStart);
        if (minor === 1 && length !== 0 && header('expect')?.toLowerCase() === '100-continue') {
          // node:http: the 100 goes out when this request is next, after the responses before it.
          this.#isContinueOwed = true;
          this.#sendOwedContinue();
        }
      },
      request: (request) => {
        this.#isContinueOwed = false;
        this.#isReadingBody = false;
        this.#requestStart = undefined;
        if (this.#deadline.kind === 'head' || this.#deadline.kind === 'body') this.#deadline.clear();
        this.#queue.push(request);
      },
    };
  }

  /** Bytes this connection holds for requests not yet answered (parser, unparsed rest, queued bodies). */
  get bufferedBytes(): number {
    return this.#parser.bufferedBytes + (this.#unparsed?.length ?? 0) + this.#queue.reduce((n, r) => n + r.body.length, 0);
  }

  connectionMade(transport: Transport): void {
    this.#transport = transport;
    this.#deadline.set('head', this.#options.headerTimeout, this.#deadline.now());
  }

  dataReceived(data: Uint8Array): void {
    if (this.#lingering !== undefined) {
      this.#lingering.dataReceived(data);
      return;
    }
    if (this.#transport === undefined || this.#isEnding) return;
    this.#unparsed = this.#unparsed === undefined ? data : Buffer.concat([this.#unparsed, data]);
    this.#parseSome();
    this.#next();
  }

  /** Feeds the parser slice by slice while few enough requests wait; the rest waits in #unparsed. */
  #parseSome(): void {
    while (this.#unparsed !== undefined && this.#queue.length < MAX_QUEUED_REQUESTS && !this.#isEnding) {
      const slice = this.#unparsed.length > PARSE_SLICE ? this.#unparsed.subarray(0, PARSE_SLICE) : this.#unparsed;
      this.#unparsed = slice === this.#unparsed ? undefined : this.#unparsed.subarray(PARSE_SLICE);
      if (this.#parser.isIdle && this.#requestStart === undefined) this.#requestStart = this.#deadline.now();
      this.#parse(() => this.#parser.feed(slice, this.#events));
    }
    if (this.#parser.isIdle || this.#parser.isAwaitingUpgrade) this.#requestStart = undefined;
  }

  #parse(step: () => void): void {
    try {
      step();
    } catch (error) {
      if (!(error instanceof HttpError)) throw error;
      this.#unparsed = undefined;
      this.#queue.push(errorRequest(error));
    }
  }

  eofReceived(): boolean {
    if (this.#lingering !== undefined) return this.#lingering.eofReceived();
    // The client is done sending: answer what it asked, then close.
    this.#isPeerDone = true;
    return !(this.#current === undefined && this.#queue.length === 0 && this.#unparsed === undefined);
  }

  pauseWriting(): void {
    this.#isWritingPaused = true;
    // The request being received is timed afresh once the peer reads again: we stopped reading it.
    this.#requestStart = undefined;
    this.#current?.pause();
    // The peer is not reading what we send: it gets idleTimeout to start again.
    if (this.#lingering === undefined) this.#deadline.set('send', this.#options.idleTimeout);
    this.#settleReading();
  }

  resumeWriting(): void {
    this.#isWritingPaused = false;
    if (this.#lingering !== undefined) return;
    if (this.#deadline.kind === 'send') this.#deadline.clear();
    this.#current?.resume();
    this.#next();
  }

  connectionLost(): void {
    this.#lingering?.connectionLost();
    this.#deadline.stop();
    this.#current?.abandon();
    this.#current = undefined;
    this.#queue = [];
    this.#unparsed = undefined;
    this.#transport = undefined;
  }

  /**
   * Graceful shutdown (`serve` on SIGTERM, a rolling restart): the response in flight completes (a
   * long body is not cut) and says `Connection: close` if its head is not sent yet, as does a
   * request still arriving; then the connection closes. An idle keep-alive connection closes now; a
   * new one that has not sent its first request yet gets it answered (its bytes may be on the way:
   * closing would reset them), within the header timeout. Returns false when this protocol no
   * longer holds the connection (it was handed on by an Upgrade).
   */
  drain(): boolean {
    const transport = this.#transport;
    if (transport === undefined) return false;
    this.#isDraining = true;
    const current = this.#current;
    if (current !== undefined && !current.headersSent) current.keepAlive = false;
    if (current === undefined && this.#queue.length === 0 && this.#parser.isIdle && this.#hasAnswered && !transport.isClosing) transport.close();
    return true;
  }

  #next(): void {
    // One loop answers every queued request (issue 13.1): a response that finishes synchronously
    // returns here through #finished instead of calling #next again, so the stack depth stays the
    // same however deep the pipeline (the call chain per request overflowed the stack at ~900).
    if (this.#isDispatching) return;
    this.#isDispatching = true;
    try {
      for (;;) {
        this.#dispatchQueued();
        // Answering made room: parse what waits, and answer what that completes.
        if (this.#unparsed === undefined || this.#queue.length >= MAX_QUEUED_REQUESTS || this.#isEnding) break;
        this.#parseSome();
        if (this.#queue.length === 0) break;
      }
    } finally {
      this.#isDispatching = false;
    }
    this.#afterAnswers();
  }

  #dispatchQueued(): void {
    // Read afresh each time: a route that switched protocols took the connection away.
    for (let transport = this.#transport; transport !== undefined && this.#current === undefined && !this.#isWritingPaused && !this.#isEnding && !transport.isClosing; transport = this.#transport) {
      const request = this.#queue.shift();
      if (request === undefined) break;
      const failure = request.failure ?? ruleBroken(request);
      const keepAlive = failure === undefined && wantsKeepAlive(request) && !this.#isDraining;
      const canSwitch = request.upgrade !== undefined && transport.setProtocol !== undefined;
      const options = canSwitch ? { ...this.#responseOptions, onUpgrade: (next: Protocol) => this.#switchTo(next) } : this.#responseOptions;
      const response = new HttpResponse(transport, request, keepAlive, () => this.#finished(response), options);
      this.#current = response;
      if (failure !== undefined) response.sendError(failure.status, failure.message);
      else this.#dispatch(request, response);
    }
  }

  /** After the loop: end the connection, owe nothing, or wait idle; then read or not. */
  #afterAnswers(): void {
    const transport = this.#transport;
    if (transport === undefined || this.#lingering !== undefined) return;
    const isAllAnswered = this.#current === undefined && this.#queue.length === 0;
    // The parser also stops after a request that ends the connection (CONNECT): all answered, close.
    // Draining, a keep-alive connection that answered and waits for nothing is closed too.
    const isDrained = this.#isDraining && this.#hasAnswered && this.#parser.isIdle && this.#unparsed === undefined;
    if (isAllAnswered && (this.#isEnding || this.#parser.isClosed || isDrained)) {
      this.#closeLingering(transport);
      return;
    }
    if (isAllAnswered && this.#unparsed === undefined && this.#isPeerDone) {
      transport.close();
      return;
    }
    this.#sendOwedContinue();
    this.#settleDeadline(isAllAnswered);
    this.#settleReading();
  }

  /**
   * Idle between requests; once a request has begun, its head must be complete within the header
   * timeout counted from its first byte (re-arming per byte would let a slow-loris client trickle
   * forever). Bytes after an upgrade request may be another protocol's: no HTTP timeout for them.
   * A peer that does not read ('send') keeps that deadline until it reads again.
   */
  #settleDeadline(isAllAnswered: boolean): void {
    const kind = this.#deadline.kind;
    if (kind === 'send' || this.#parser.isAwaitingUpgrade) return;
    if (this.#parser.isIdle && this.#unparsed === undefined) {
      if (isAllAnswered) this.#deadline.set('idle', this.#options.idleTimeout);
    } else if (this.#isReadingBody) {
      if (kind !== 'body') this.#deadline.set('body', this.#options.requestTimeout ?? DEFAULT_REQUEST_TIMEOUT, this.#requestStart);
    } else if (kind !== 'head') {
      this.#deadline.set('head', this.#options.headerTimeout, this.#requestStart);
    }
  }

  /** Reads while there is room: not ending, writes flowing, few requests waiting, nothing held back. */
  #settleReading(): void {
    const transport = this.#transport;
    if (transport === undefined || this.#lingering !== undefined || transport.isClosing) return;
    const isWaitingTooMuch = this.#parser.isAwaitingUpgrade && this.#parser.bufferedBytes > this.#maxWaitingBytes;
    const wantsReading = !this.#isEnding && !this.#isPeerDone && !this.#isWritingPaused && this.#queue.length < MAX_QUEUED_REQUESTS && this.#unparsed === undefined && !isWaitingTooMuch;
    if (wantsReading && !transport.isReading) transport.resumeReading();
    else if (!wantsReading && transport.isReading) transport.pauseReading();
  }

  #sendOwedContinue(): void {
    const transport = this.#transport;
    if (!this.#isContinueOwed || transport === undefined || this.#current !== undefined || this.#queue.length > 0 || this.#isEnding || transport.isClosing) return;
    this.#isContinueOwed = false;
    transport.write(Buffer.from('HTTP/1.1 100 Continue\r\n\r\n'));
  }

  #dispatch(request: HttpRequest, response: HttpResponse): void {
    try {
      this.#router.handle(request, response);
    } catch (error) {
      if (response.headersSent) {
        response.abandon();
        this.#transport?.abort();
      } else {
        response.sendError(500, error instanceof Error ? error.message : 'Internal error');
      }
    }
  }

  #finished(response: HttpResponse): void {
    if (this.#current !== response) return;
    this.#current = undefined;
    this.#hasAnswered = true;
    if (!response.keepAlive) {
      // The request (or our answer) ended the connection: what the client sent after it is not answered.
      this.#isEnding = true;
      this.#queue = [];
      this.#unparsed = undefined;
      this.#isContinueOwed = false;
    } else if (response.request.upgrade !== undefined && this.#parser.isAwaitingUpgrade) {
      // Answered without switching: the connection goes on as HTTP, with what followed the request.
      this.#parse(() => this.#parser.declineUpgrade(this.#events));
    }
    this.#next();
  }

  /** Ends the connection after its last answer: nginx's lingering close, so the answer is not lost to a reset. */
  #closeLingering(transport: Transport): void {
    this.#deadline.stop();
    if (this.#isPeerDone || transport.isClosing) {
      // Nothing more can arrive unread: a plain close loses nothing.
      if (!transport.isClosing) transport.close();
      return;
    }
    const closer = this.#options.lingering ?? new LingeringCloser(this.#options.scheduler);
    this.#lingering = closer.close(transport);
  }

  /** The route accepted an upgrade and sent 101: the connection, with the bytes after the request, goes to `next`. */
  #switchTo(next: Protocol): void {
    const transport = this.#transport;
    if (transport === undefined) return;
    this.#deadline.stop();
    // Bytes a paused transport still holds arrive (into the parser, behind the request) before the switch.
    if (!transport.isReading) transport.resumeReading();
    const rest = this.#unparsed;
    const leftover = this.#parser.takeBuffered();
    this.#transport = undefined;
    this.#current = undefined;
    this.#queue = [];
    this.#unparsed = undefined;
    const chunks = [leftover, ...(rest === undefined ? [] : [rest])].filter((chunk) => chunk.length > 0);
    // The upgraded connection keeps a deadline: the idle timeout, unless the transport is one already.
    const scheduler = this.#options.scheduler;
    const timed = scheduler === undefined || transport instanceof IdleTimeout ? next : withIdleTimeout(next, this.#options.idleTimeout, scheduler);
    switchProtocol(transport, timed, chunks);
  }

  #expire(kind: DeadlineKind): void {
    const transport = this.#transport;
    if (transport === undefined) return;
    if (kind === 'send') {
      // The peer has not read for idleTimeout: nothing we write can reach it.
      transport.abort();
      return;
    }
    if (kind === 'idle' || this.#current !== undefined) {
      transport.close();
      return;
    }
    // RFC 9110 408: the client took too long to send its request (head, or body: node:http's requestTimeout).
    this.#isEnding = true;
    this.#queue = [];
    this.#unparsed = undefined;
    transport.write(Buffer.from(`HTTP/1.1 408 ${STATUS_TEXT[408]}\r\nConnection: close\r\nContent-Length: 0\r\nDate: ${httpDate()}\r\n\r\n`));
    this.#closeLingering(transport);
  }
}
