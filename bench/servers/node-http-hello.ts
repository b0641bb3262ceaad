// The node:http baseline: hello world on GET /, keep-alive, the same body as `switchboard serve http`.
import type { Socket } from 'node:net';
import { createServer } from 'node:http';
import { announceAndStopOnSignal, tracked } from './stop-on-signal.js';

const BODY = 'hello from switchboard\n';
const sockets = new Set<Socket>();
const server = createServer((_req, res) => {
  res.writeHead(200, { 'Content-Type': 'text/plain; charset=utf-8', 'Content-Length': Buffer.byteLength(BODY) });
  res.end(BODY);
});
server.on('connection', (socket: Socket) => tracked(sockets, socket));
server.listen(Number(process.argv[2] ?? 0), '127.0.0.1', () => announceAndStopOnSignal(server, sockets));
