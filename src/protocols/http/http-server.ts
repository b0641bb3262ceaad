// An HTTP/1.1 server protocol: keep-alive, pipelined requests answered in order, Connection: close,
// HTTP/1.0 clients, Expect: 100-continue, HEAD, streamed responses that honour backpressure, and
// HTTP Upgrade (101, then the connection goes to another protocol). Requests are parsed by
// HttpRequestParser; what to answer is the Router's business.
import type { Protocol, Transport } from '../../contract/index.js';
import type { Cancellable, Scheduler } from '../scheduler.js';
import { switchProtocol } from '../switching.js';
import { DEFAULT_HTTP_LIMITS, HttpError, type HttpLimits, type HttpRequest, HttpRequestParser, type ParserEvents } from './request-parser.js';
import { HttpResponse, STATUS_TEXT } from './response.js';
import type { Router } from './router.js';

/** Options of HttpServerProtocol and httpFactory(): parser limits and the two timeouts. */
export interface HttpServerOptions {
  /** Overrides of DEFAULT_HTTP_LIMITS; a request past one is answered 4xx and the connection closes. */
  readonly limits?: Partial<HttpLimits>;
  /** Seconds a client may take to send a request's head (slow-loris guard); 0 turns it off. */
  readonly headerTimeout?: number;
  /** Seconds a keep-alive connection may sit idle between requests; 0 turns it off. */
  readonly idleTimeout?: number;
  /**
   * The timer for headerTimeout and idleTimeout (the reactor, or a ManualScheduler in tests). Without
   * one, neither timeout runs, whatever their values.
   */
  readonly scheduler?: Scheduler;
}

/** Requests parsed ahead of the response in progress, before reading pauses (pipelining depth). */
const MAX_QUEUED_REQUESTS = 64;

/**
 * One HTTP/1.1 connection. HTTP Upgrade (RFC 9110 7.8): the parser stops after a request that asks
 * to upgrade (HTTP/1.1, `Connection: upgrade`, an `Upgrade` header), after its body if it has one,
 * since a client cannot switch in the middle of a message (node:http instead hands the body bytes
 * to its 'upgrade' listener). Requests before it are answered first, in order. If its route calls
 * `response.switchProtocols(name, next)` (Router.upgrade), the server sends 101 and hands the
 * connection to `next` with every byte after the request as leftover, then hears nothing more (its
 * timers stop). Otherwise the route answers as usual and the bytes after it are parsed as HTTP.
 * While it waits, at most `maxHeaderBytes` plus a chunk are held before reading pauses.
 */
export class HttpServerProtocol implements Protocol {
  readonly #router: Router;
  readonly #parser: HttpRequestParser;
  readonly #options: HttpServerOptions;
  readonly #maxWaitingBytes: number;
  readonly #events: ParserEvents;
  #transport: Transport | undefined;
  #queue: FailedRequest[] = [];
  #current: HttpResponse | undefined;
  #isClosingAfterResponse = false;
  /** The one pending timer, and when it is due. */
  #timer: Cancellable | undefined;
  #timerDue = 0;
  /** The timeout running, if any, and when it expires (see #armTimer). */
  #timerKind: 'header' | 'idle' | undefined;
  #deadline = 0;
  #isReadingBody = false;

  constructor(router: Router, options: HttpServerOptions = {}) {
    this.#router = router;
    this.#options = options;
    const limits = { ...DEFAULT_HTTP_LIMITS, ...options.limits };
    this.#parser = new HttpRequestParser(limits);
    this.#maxWaitingBytes = limits.maxHeaderBytes;
    this.#events = {
      head: (_method, minor, header, length) => {
        this.#cancelTimer();
        this.#isReadingBody = length !== 0;
        if (minor === 1 && length !== 0 && header('expect')?.toLowerCase() === '100-continue' && this.#current === undefined) {
          this.#transport?.write(Buffer.from('HTTP/1.1 100 Continue\r\n\r\n'));
        }
      },
      request: (request) => {
        this.#isReadingBody = false;
        this.#queue.push(request);
      },
    };
  }

  /** Bytes this connection holds for requests not yet answered (parser plus queued bodies). */
  get bufferedBytes(): number {
    return this.#parser.bufferedBytes + this.#queue.reduce((n, r) => n + r.body.length, 0);
  }

  connectionMade(transport: Transport): void {
    this.#transport = transport;
    this.#armTimer(this.#options.headerTimeout, 'header');
  }

  dataReceived(data: Uint8Array): void {
    const transport = this.#transport;
    if (transport === undefined || this.#isClosingAfterResponse) return;
    this.#parse(() => this.#parser.feed(data, this.#events));
    // A request has begun: its head must be complete within the header timeout, counted from its
    // first byte (re-arming per byte would let a slow-loris client trickle forever). Bytes after an
    // upgrade request may be another protocol's: no HTTP timeout applies to them.
    const isWaiting = this.#parser.isAwaitingUpgrade;
    if (!this.#parser.isIdle && this.#timerKind !== 'header' && !this.#isReadingBody && !isWaiting) this.#armTimer(this.#options.headerTimeout, 'header');
    if (this.#queue.length >= MAX_QUEUED_REQUESTS || (isWaiting && this.#parser.bufferedBytes > this.#maxWaitingBytes)) transport.pauseReading();
    this.#next();
  }

  #parse(step: () => void): void {
    try {
      step();
    } catch (error) {
      if (!(error instanceof HttpError)) throw error;
      this.#queue.push(errorRequest(error));
    }
  }

  eofReceived(): boolean {
    // The client is done sending: answer what it asked, then close.
    this.#isClosingAfterResponse = true;
    if (this.#current === undefined && this.#queue.length === 0) return false;
    return true;
  }

  pauseWriting(): void {
    this.#current?.pause();
  }

  resumeWriting(): void {
    this.#current?.resume();
  }

  connectionLost(): void {
    this.#cancelTimer();
    this.#stopTimer();
    this.#current?.abandon();
    this.#current = undefined;
    this.#queue = [];
    this.#transport = undefined;
  }

  #next(): void {
    // Read afresh each time: a route that switched protocols took the connection away.
    for (let transport = this.#transport; transport !== undefined && this.#current === undefined && !transport.isClosing; transport = this.#transport) {
      const request = this.#queue.shift();
      if (request === undefined) break;
      if (this.#queue.length < MAX_QUEUED_REQUESTS / 2 && !transport.isReading && !this.#isClosingAfterResponse) transport.resumeReading();
      const failure = request.failure;
      const keepAlive = failure === undefined && wantsKeepAlive(request);
      const canSwitch = request.upgrade !== undefined && transport.setProtocol !== undefined;
      const response = new HttpResponse(transport, request, keepAlive, () => this.#finished(response), canSwitch ? (next) => this.#switchTo(next) : undefined);
      this.#current = response;
      if (failure !== undefined) {
        response.sendError(failure.status, failure.message);
        this.#isClosingAfterResponse = true;
      } else {
        this.#dispatch(request, response);
      }
    }
    const transport = this.#transport;
    if (transport !== undefined && this.#current === undefined && this.#queue.length === 0) {
      if (this.#isClosingAfterResponse) transport.close();
      else if (this.#parser.isIdle) this.#armTimer(this.#options.idleTimeout, 'idle');
    }
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
    if (!response.keepAlive) this.#isClosingAfterResponse = true;
    if (response.request.upgrade !== undefined && this.#parser.isAwaitingUpgrade) {
      // Answered without switching: the connection goes on as HTTP, with what followed the request.
      this.#parse(() => this.#parser.declineUpgrade(this.#events));
      const transport = this.#transport;
      if (transport !== undefined && !transport.isReading && this.#queue.length < MAX_QUEUED_REQUESTS && !this.#isClosingAfterResponse) transport.resumeReading();
    }
    this.#next();
  }

  /** The route accepted an upgrade and sent 101: the connection, with the bytes after the request, goes to `next`. */
  #switchTo(next: Protocol): void {
    const transport = this.#transport;
    if (transport === undefined) return;
    this.#cancelTimer();
    this.#stopTimer();
    // Bytes a paused transport still holds arrive (into the parser, behind the request) before the switch.
    if (!transport.isReading) transport.resumeReading();
    const leftover = this.#parser.takeBuffered();
    this.#transport = undefined;
    this.#current = undefined;
    this.#queue = [];
    switchProtocol(transport, next, leftover.length > 0 ? [leftover] : []);
  }

  /**
   * Starts the header or idle timeout, ending the one running. With a scheduler that tells the time
   * (seconds()), only a deadline is noted: the one pending timer, when it fires, re-arms itself for
   * what is left, so a keep-alive request costs no timer operation (a callLater and a cancel per
   * request were a third of the server's time). Without seconds(), a timer per arm.
   */
  #armTimer(seconds: number | undefined, kind: 'header' | 'idle'): void {
    this.#timerKind = undefined;
    const scheduler = this.#options.scheduler;
    if (scheduler === undefined || seconds === undefined || seconds <= 0) return;
    const now = scheduler.seconds?.();
    this.#timerKind = kind;
    // Without a clock the deadline is always passed: the timer that fires expires the timeout.
    this.#deadline = now === undefined ? Number.NEGATIVE_INFINITY : now + seconds;
    // A pending timer due no later than the new deadline will find it and re-arm for the rest.
    if (now !== undefined && this.#timer !== undefined && this.#timerDue <= this.#deadline) return;
    this.#stopTimer();
    this.#schedule(scheduler, seconds, this.#deadline);
  }

  #schedule(scheduler: Scheduler, after: number, due: number): void {
    this.#timerDue = due;
    this.#timer = scheduler.callLater(after, () => {
      this.#timer = undefined;
      const kind = this.#timerKind;
      if (kind === undefined) return;
      const now = scheduler.seconds?.();
      if (now !== undefined && now < this.#deadline) {
        this.#schedule(scheduler, this.#deadline - now, this.#deadline);
        return;
      }
      this.#timerKind = undefined;
      this.#expire(kind);
    });
  }

  #expire(kind: 'header' | 'idle'): void {
    const transport = this.#transport;
    if (transport === undefined) return;
    if (kind === 'header' && this.#current === undefined) {
      // RFC 9110 408: the client took too long to send its request.
      transport.write(Buffer.from(`HTTP/1.1 408 ${STATUS_TEXT[408]}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`));
    }
    transport.close();
  }

  /** Ends the running timeout: lazily (the pending timer finds no deadline) when the scheduler tells the time. */
  #cancelTimer(): void {
    this.#timerKind = undefined;
    if (this.#options.scheduler?.seconds === undefined) this.#stopTimer();
  }

  #stopTimer(): void {
    if (this.#timer?.active() === true) this.#timer.cancel();
    this.#timer = undefined;
  }
}

interface FailedRequest extends HttpRequest {
  readonly failure?: HttpError;
}

function errorRequest(error: HttpError): FailedRequest {
  return { method: 'GET', target: '/', minorVersion: 1, headers: [], body: Buffer.alloc(0), header: () => undefined, failure: error };
}

function wantsKeepAlive(request: HttpRequest): boolean {
  const connection = request.header('connection');
  // No Connection field, the usual case: HTTP/1.1 keeps the connection, HTTP/1.0 closes it.
  if (connection === undefined) return request.minorVersion === 1;
  const tokens = connection.toLowerCase().split(',').map((t) => t.trim());
  if (tokens.includes('close')) return false;
  return request.minorVersion === 1 || tokens.includes('keep-alive');
}
