// The raw node:net HTTP responder: one canned 200 per request head ("\r\n\r\n"), pipelining included.
// Not an HTTP server (no parsing, no bodies): the floor of what any HTTP handler on Node costs.
import { type Socket, createServer } from 'node:net';
import { announceAndStopOnSignal, tracked } from './stop-on-signal.js';

const BODY = 'hello from switchboard\n';
const RESPONSE = Buffer.from(`HTTP/1.1 200 OK\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: ${BODY.length}\r\n\r\n${BODY}`);
const END = [13, 10, 13, 10];
const sockets = new Set<Socket>();

/** Counts request heads ending in `chunk`; `matched` is how much of CRLFCRLF the previous chunk ended in. */
function countHeads(chunk: Uint8Array, matched: number): [heads: number, matched: number] {
  let heads = 0;
  for (const byte of chunk) {
    if (byte === END[matched]) matched++;
    else matched = byte === 13 ? 1 : 0;
    if (matched === END.length) {
      heads++;
      matched = 0;
    }
  }
  return [heads, matched];
}

const server = createServer({ noDelay: true }, (raw) => {
  const socket = tracked(sockets, raw);
  let matched = 0;
  socket.on('error', () => socket.destroy());
  socket.on('data', (chunk) => {
    const [heads, next] = countHeads(chunk, matched);
    matched = next;
    if (heads === 1) socket.write(RESPONSE);
    else if (heads > 1) socket.write(Buffer.concat(Array.from({ length: heads }, () => RESPONSE)));
  });
  socket.on('end', () => socket.end());
});
server.listen(Number(process.argv[2] ?? 0), '127.0.0.1', () => announceAndStopOnSignal(server, sockets));
