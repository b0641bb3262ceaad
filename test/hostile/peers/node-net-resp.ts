// node:net answering RESP commands the way a plain node program would: each complete multibulk
// command in a chunk is parsed and answered with its own socket.write (PING: +PONG, anything else:
// -ERR; inline commands too), the rest of a chunk kept for the next. The platform reference for pipelined commands
// (test/hostile/peers.ts): redis-server does not run on V8, this does. Prints 'listening on 127.0.0.1:<port>'.
import * as net from 'node:net';

const PONG = Buffer.from('+PONG\r\n');
const ERR = Buffer.from('-ERR unknown command\r\n');
const MAX_PENDING = 64 * 1024 * 1024;

/** Answers every complete command in `text` from `at`; returns where the first incomplete one starts. */
function answer(socket: net.Socket, text: string): number {
  let at = 0;
  for (;;) {
    if (at < text.length && text[at] !== '*') {
      // An inline command (what the suite's probe sends): one line.
      const end = text.indexOf('\r\n', at);
      if (end < 0) return at;
      socket.write(text.slice(at, end).trim().toUpperCase() === 'PING' ? PONG : ERR);
      at = end + 2;
      continue;
    }
    const head = /^\*(\d+)\r\n/.exec(text.slice(at, at + 24));
    if (head === null) return at;
    let cursor = at + head[0].length;
    const args: string[] = [];
    for (let i = 0; i < Number(head[1]); i++) {
      const end = text.indexOf('\r\n', cursor);
      if (end < 0 || text[cursor] !== '$') return at;
      const length = Number(text.slice(cursor + 1, end));
      if (text.length < end + 2 + length + 2) return at;
      args.push(text.slice(end + 2, end + 2 + length));
      cursor = end + 2 + length + 2;
    }
    socket.write(args[0]?.toUpperCase() === 'PING' ? PONG : ERR);
    at = cursor;
  }
}

const server = net.createServer((socket) => {
  socket.on('error', () => undefined);
  let pending = '';
  socket.on('data', (chunk: Buffer) => {
    const text = pending + chunk.toString('latin1');
    pending = text.slice(answer(socket, text));
    if (pending.length > MAX_PENDING) socket.destroy();
  });
});
server.listen(0, '127.0.0.1', () => {
  const address = server.address();
  if (typeof address === 'object' && address !== null) console.log(`listening on 127.0.0.1:${address.port}`);
});
