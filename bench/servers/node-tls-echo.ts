// The node:tls echo baseline for bench/tls.ts: tls.createServer, on('data') -> write with
// pause/resume on backpressure (as node-net-echo.ts's `data`). Usage: node node-tls-echo.js CERT KEY [port]
import { readFileSync } from 'node:fs';
import type { Socket } from 'node:net';
import { createServer } from 'node:tls';
import { announceAndStopOnSignal, tracked } from './stop-on-signal.js';

const [certFile, keyFile, port = '0'] = process.argv.slice(2);
if (certFile === undefined || keyFile === undefined) {
  process.stderr.write('usage: node-tls-echo.js CERT KEY [port]\n');
  process.exit(2);
}
const sockets = new Set<Socket>();
const server = createServer({ cert: readFileSync(certFile), key: readFileSync(keyFile), noDelay: true }, (raw) => {
  const socket = tracked(sockets, raw);
  socket.on('error', () => socket.destroy());
  socket.on('data', (chunk: Buffer) => {
    if (!socket.write(chunk)) socket.pause();
  });
  socket.on('drain', () => socket.resume());
  socket.on('end', () => socket.end());
});
server.listen(Number(port), '127.0.0.1', () => announceAndStopOnSignal(server, sockets));
