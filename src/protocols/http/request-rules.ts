// The server's rules on a parsed request, on top of the parser's: whether it may be answered
// (RFC 9112 3.2's Host, node:http's known methods) and whether the connection outlives it.
import { METHODS } from 'node:http';
import { HttpError, type HttpRequest } from './request-parser.js';

/** The methods node:http (llhttp) knows; every other is answered 400 and the connection closes, as there. */
const KNOWN_METHODS: ReadonlySet<string> = new Set(METHODS);

/** A request as the server queues it: a parser failure travels in the queue, answered in its turn. */
export interface FailedRequest extends HttpRequest {
  /** The parser's error: answered with its status, then the connection ends. */
  readonly failure?: HttpError;
}

/** The queue entry of a parser failure. */
export function errorRequest(error: HttpError): FailedRequest {
  return { method: 'GET', target: '/', minorVersion: 1, headers: [], body: Buffer.alloc(0), header: () => undefined, failure: error };
}

/** The server's own rules on a parsed request (RFC 9112 3.2: Host; node:http's known methods): the error to answer, if one is broken. */
export function ruleBroken(request: HttpRequest): HttpError | undefined {
  if (!KNOWN_METHODS.has(request.method)) return new HttpError(400, `Unknown method '${request.method.slice(0, 32)}'`);
  if (request.minorVersion === 1) {
    let hosts = 0;
    for (const [name] of request.headers) if (name === 'host') hosts += 1;
    if (hosts !== 1) return new HttpError(400, hosts === 0 ? 'An HTTP/1.1 request needs a Host header' : 'More than one Host header');
  }
  return undefined;
}

/** Whether the connection stays open after answering `request` (its Connection field and version). */
export function wantsKeepAlive(request: HttpRequest): boolean {
  const connection = request.header('connection');
  // No Connection field, the usual case: HTTP/1.1 keeps the connection, HTTP/1.0 closes it.
  if (connection === undefined) return request.minorVersion === 1;
  const tokens = connection.toLowerCase().split(',').map((t) => t.trim());
  if (tokens.includes('close')) return false;
  return request.minorVersion === 1 || tokens.includes('keep-alive');
}
