// The raw node:net echo baseline: `pipe` is socket.pipe(socket); `data` is on('data') -> write
// with pause/resume on backpressure. Usage: node node-net-echo.js pipe|data [port|unix-path]
// (a non-numeric second argument listens on that Unix socket path and prints `listening on unix:<path>:0`).
import { type Socket, createServer } from 'node:net';
import { announceAndStopOnSignal, tracked } from './stop-on-signal.js';

const style = process.argv[2];
if (style !== 'pipe' && style !== 'data') {
  process.stderr.write('usage: node-net-echo.js pipe|data [port]\n');
  process.exit(2);
}
const sockets = new Set<Socket>();
const server = createServer({ noDelay: true }, (raw) => {
  const socket = tracked(sockets, raw);
  socket.on('error', () => socket.destroy());
  if (style === 'pipe') {
    socket.pipe(socket);
    return;
  }
  socket.on('data', (chunk) => {
    if (!socket.write(chunk)) socket.pause();
  });
  socket.on('drain', () => socket.resume());
  socket.on('end', () => socket.end());
});
const where = process.argv[3] ?? '0';
if (/^\d+$/.test(where)) server.listen(Number(where), '127.0.0.1', () => announceAndStopOnSignal(server, sockets));
else server.listen(where, () => announceAndStopOnSignal(server, sockets));
