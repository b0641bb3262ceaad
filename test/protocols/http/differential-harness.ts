// The harness of the node:http differential test: the same raw bytes sent to a node:http server and to
// switchboard's HttpServer (both in this process, on loopback, with the same two routes), and what
// each answered reduced to an outcome: the final statuses in order, and whether the connection stayed
// open for another request (a probe request sent after the answers, answered or not).
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { connect } from 'node:net';
import type { AddressInfo } from 'node:net';
import { HttpError, HttpRequestParser } from '../../../src/protocols/http/request-parser.js';
import { Router } from '../../../src/protocols/http/router.js';

export const HELLO = 'hello from switchboard';
const PROBE = Buffer.from('GET /probe HTTP/1.1\r\nHost: probe\r\n\r\n');
/** A guard, not a sleep: a server that neither answers nor closes in this time is recorded as silent. */
const SILENCE_MS = 5000;

/** GET / says hello, POST /echo echoes the body; another method on them is 405, another path 404. */
export function sameRoutes(): Router {
  return new Router()
    .get('/', (_req, res) => res.send(200, HELLO, 'text/plain; charset=utf-8'))
    .post('/echo', (req, res) => res.send(200, req.body.toString('latin1'), 'application/octet-stream'));
}

/** The same routes on node:http. */
export function nodeServer(): Promise<{ server: Server; port: number }> {
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const path = (req.url ?? '').split('?')[0];
    const allowed = path === '/' ? ['GET', 'HEAD'] : path === '/echo' ? ['POST'] : [];
    // Content-Length always, as switchboard sends it (without it node:http closes HTTP/1.0 connections).
    const send = (status: number, body: Buffer | string, headers: Record<string, string> = {}): void => {
      res.writeHead(status, { ...headers, 'Content-Length': String(Buffer.byteLength(body)) }).end(body);
    };
    if (allowed.length === 0) {
      send(404, 'Not Found\n');
      return;
    }
    if (!allowed.includes(req.method ?? '')) {
      send(405, 'Method Not Allowed\n', { Allow: allowed.join(', ') });
      return;
    }
    const chunks: Buffer[] = [];
    req.on('data', (d: Buffer) => chunks.push(d));
    req.on('end', () => send(200, path === '/' ? HELLO : Buffer.concat(chunks)));
  });
  // address() is an AddressInfo for a TCP listener (a string only for a pipe).
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve({ server, port: (server.address() as AddressInfo).port })));
}

/** What our parser makes of the bytes: it plans the conversation, and explains listed differences. */
export interface Analysis {
  /** The requests it parsed, in order. */
  readonly requests: readonly { readonly method: string; readonly minorVersion: 0 | 1; readonly hasHost: boolean; readonly asksUpgrade: boolean }[];
  readonly error?: HttpError;
  /** The error came after a request's head was complete (in its body). */
  readonly isErrorInBody: boolean;
  /** A request ended the connection (Connection: close, HTTP/1.0, CONNECT) and bytes followed. */
  readonly isClosed: boolean;
  /** The bytes end inside a request. */
  readonly isUnfinished: boolean;
}

export function analyze(raw: Buffer): Analysis {
  const parser = new HttpRequestParser();
  const requests: Analysis['requests'][number][] = [];
  let heads = 0;
  try {
    parser.feed(raw, { head: () => heads++, request: (r) => requests.push({ method: r.method, minorVersion: r.minorVersion, hasHost: r.header('host') !== undefined, asksUpgrade: r.upgrade !== undefined }) });
  } catch (error) {
    if (!(error instanceof HttpError)) throw error;
    return { requests, error, isErrorInBody: heads > requests.length, isClosed: false, isUnfinished: false };
  }
  return { requests, isErrorInBody: false, isClosed: parser.isClosed, isUnfinished: !parser.isIdle || requests.length === 0 };
}

/** Splits a response stream into responses, calling `onStatus` per complete one (1xx included). */
class ResponseReader {
  #buffer = Buffer.alloc(0);
  #finals = 0;
  readonly #methods: readonly string[];
  readonly #onStatus: (status: number) => void;

  /** `methods`: the method of each request answered in order (a response to HEAD has no body). */
  constructor(methods: readonly string[], onStatus: (status: number) => void) {
    this.#methods = methods;
    this.#onStatus = onStatus;
  }

  push(data: Buffer): void {
    this.#buffer = Buffer.concat([this.#buffer, data]);
    for (let length = this.#next(); length > 0; length = this.#next()) this.#buffer = this.#buffer.subarray(length);
  }

  /** The length of the first complete response, after reporting it; 0 if it is not complete yet. */
  #next(): number {
    const headEnd = this.#buffer.indexOf('\r\n\r\n');
    if (headEnd < 0) return 0;
    const head = this.#buffer.toString('latin1', 0, headEnd);
    const status = Number(/^HTTP\/1\.[01] (\d{3})/.exec(head)?.[1] ?? 0);
    let end = headEnd + 4;
    if (/\r\ntransfer-encoding: *chunked/i.test(head)) {
      const last = this.#buffer.indexOf('\r\n0\r\n\r\n', end - 2);
      if (last < 0) return 0;
      end = last + 7;
    } else if (status >= 200 && status !== 204 && status !== 304 && this.#methods[this.#finals] !== 'HEAD') {
      end += Number(/\r\ncontent-length: *(\d+)/i.exec(head)?.[1] ?? 0);
    }
    if (this.#buffer.length < end) return 0;
    if (status >= 200) this.#finals++;
    this.#onStatus(status);
    return end;
  }
}

/**
 * What a server did with the bytes: final statuses in order, then how the connection ended: `open`
 * (it answered a probe request sent after the answers), `closed`, `eof` (the bytes end inside a
 * request, so the client ended its side after them) or `silent` (neither an answer nor a close).
 */
export function converse(port: number, raw: Buffer, analysis: Analysis): Promise<string> {
  const expected = analysis.error === undefined && !analysis.isClosed && !analysis.isUnfinished ? analysis.requests.length : -1;
  const methods = [...analysis.requests.map((r) => r.method), 'GET'];
  return new Promise((resolve) => {
    const statuses: number[] = [];
    let isProbeAnswered = false;
    let isProbing = false;
    const socket = connect(port, '127.0.0.1');
    const guard = setTimeout(() => finish('silent'), SILENCE_MS);
    const reader = new ResponseReader(methods, (status) => {
      if (status < 200) return;
      if (isProbing) {
        isProbeAnswered = true;
        socket.end();
        return;
      }
      statuses.push(status);
      // Every request answered: is the connection still open for another?
      if (statuses.length === expected) {
        isProbing = true;
        socket.end(PROBE);
      }
    });
    function finish(end: string): void {
      clearTimeout(guard);
      socket.destroy();
      resolve(`${statuses.join(',')}|${end}`);
    }
    socket.on('data', (data: Buffer) => reader.push(data));
    socket.on('error', () => undefined);
    socket.on('close', () => finish(analysis.isUnfinished ? 'eof' : isProbeAnswered ? 'open' : 'closed'));
    socket.on('connect', () => {
      socket.write(raw);
      if (analysis.isUnfinished) socket.end();
    });
  });
}

/** A seeded generator (mulberry32): the same mutations on every run. */
export function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let x = Math.imul(a ^ (a >>> 15), 1 | a);
    x = (x + Math.imul(x ^ (x >>> 7), 61 | x)) ^ x;
    return ((x ^ (x >>> 14)) >>> 0) / 4294967296;
  };
}

/** Bytes a mutation puts in: the ones framing and smuggling turn on, then any byte. */
const INTERESTING = [0x0d, 0x0a, 0x20, 0x09, 0x00, 0x0b, 0x0c, 0xa0, 0x3a, 0x3b, 0x2c, 0x22, 0x30, 0x7f, 0xff];

/** One to three byte edits (replace, insert, delete) of `base` at random places. */
export function mutate(base: Buffer, random: () => number): Buffer {
  let bytes = Buffer.from(base);
  const edits = 1 + Math.floor(random() * 3);
  for (let i = 0; i < edits; i++) {
    const at = Math.floor(random() * bytes.length);
    const byte = random() < 0.7 ? (INTERESTING[Math.floor(random() * INTERESTING.length)] ?? 0) : Math.floor(random() * 256);
    const kind = random();
    if (kind < 0.5) bytes[at] = byte;
    else if (kind < 0.8) bytes = Buffer.concat([bytes.subarray(0, at), Buffer.from([byte]), bytes.subarray(at)]);
    else bytes = Buffer.concat([bytes.subarray(0, at), bytes.subarray(at + 1)]);
  }
  return bytes;
}

/** Runs `work` over `items` with at most `width` at a time. */
export async function inParallel<T, R>(items: readonly T[], width: number, work: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array<R>(items.length);
  let next = 0;
  const lanes = Array.from({ length: width }, async () => {
    for (let i = next++; i < items.length; i = next++) {
      const item = items[i];
      if (item !== undefined) results[i] = await work(item);
    }
  });
  await Promise.all(lanes);
  return results;
}
