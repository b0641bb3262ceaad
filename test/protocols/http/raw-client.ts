// Raw node:net clients for the HTTP server tests: byte-exact requests, and the responses read back
// by their framing (Content-Length), so a test can check order and count without a real parser.
import { connect, type Socket } from 'node:net';

/** Sends `parts` on one connection; resolves with everything the server sent until it closed. */
export function rawExchange(port: number, ...parts: (string | Buffer)[]): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    const chunks: Buffer[] = [];
    socket.on('data', (d: Buffer) => chunks.push(d));
    socket.on('error', reject);
    socket.on('close', () => resolve(Buffer.concat(chunks).toString('latin1')));
    socket.on('connect', () => {
      for (const part of parts) socket.write(part);
    });
  });
}

/** A connected socket, once connected. */
export function connected(port: number): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('error', reject);
    socket.once('connect', () => resolve(socket));
  });
}

/** One response read from a stream: status, headers (names lower-cased) and the body's length. */
export interface ResponseSummary {
  readonly status: number;
  readonly headers: ReadonlyMap<string, string>;
  readonly bodyLength: number;
}

/**
 * Reads responses framed by Content-Length (every response of the demo server has one) until
 * `count` were read; resolves with them in order, or rejects if the connection ends first.
 * `isHead(i)` says which answers are to HEAD requests (their Content-Length comes with no body).
 */
export function readResponses(socket: Socket, count: number, isHead: (index: number) => boolean = () => false): Promise<ResponseSummary[]> {
  return new Promise((resolve, reject) => {
    const responses: ResponseSummary[] = [];
    let pending: Buffer = Buffer.alloc(0);
    const onData = (data: Buffer): void => {
      pending = pending.length === 0 ? data : Buffer.concat([pending, data]);
      for (;;) {
        const end = pending.indexOf('\r\n\r\n');
        if (end < 0) return;
        const lines = pending.toString('latin1', 0, end).split('\r\n');
        const headers = new Map<string, string>();
        for (const line of lines.slice(1)) {
          const colon = line.indexOf(':');
          headers.set(line.slice(0, colon).toLowerCase(), line.slice(colon + 1).trim());
        }
        const length = Number(headers.get('content-length') ?? '0');
        const status = Number((lines[0] ?? '').split(' ')[1]);
        const bodyless = status < 200 || isHead(responses.length);
        if (!bodyless && pending.length < end + 4 + length) return;
        pending = pending.subarray(end + 4 + (bodyless ? 0 : length));
        responses.push({ status, headers, bodyLength: bodyless ? 0 : length });
        if (responses.length === count) {
          socket.off('data', onData);
          resolve(responses);
          return;
        }
      }
    };
    socket.on('data', onData);
    socket.once('error', reject);
    socket.once('close', () => reject(new Error(`Connection closed after ${responses.length} of ${count} responses`)));
  });
}
