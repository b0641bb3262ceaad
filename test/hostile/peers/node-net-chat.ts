// node:net serving what `switchboard serve chat` serves, as plainly as node allows: lines in (at
// most 4096 bytes), `NAME: line` out to every other client, joins announced, and a client whose
// unsent output (socket.writableLength) passes 1 MiB dropped as too slow. The platform reference
// for the chat attack's RSS bound (test/hostile/bounds.ts). Prints 'listening on 127.0.0.1:<port>'.
import * as net from 'node:net';

const MAX_LINE = 4096;
const MAX_BACKLOG = 1024 * 1024;
const members = new Set<net.Socket>();
const names = new WeakMap<net.Socket, string>();
let guests = 0;

function say(member: net.Socket, line: Buffer): void {
  member.write(line);
  if (member.writableLength > MAX_BACKLOG) member.destroy();
}

function broadcast(text: string, from: net.Socket): void {
  // One Buffer for every recipient, as a careful node program would do.
  const line = Buffer.from(`${text}\n`);
  for (const member of members) if (member !== from) say(member, line);
}

const server = net.createServer((socket) => {
  const name = `guest${(guests += 1)}`;
  names.set(socket, name);
  socket.on('error', () => undefined);
  broadcast(`* ${name} joined`, socket);
  members.add(socket);
  say(socket, Buffer.from(`* welcome, ${name}\n`));
  let pending = '';
  socket.on('data', (chunk: Buffer) => {
    const lines = (pending + chunk.toString()).split('\n');
    pending = lines.pop() ?? '';
    if (pending.length > MAX_LINE) socket.destroy();
    for (const line of lines) broadcast(`${name}: ${line}`, socket);
  });
  socket.on('close', () => {
    members.delete(socket);
    broadcast(`* ${name} left`, socket);
  });
});
server.listen(0, '127.0.0.1', () => {
  const address = server.address();
  if (typeof address === 'object' && address !== null) console.log(`listening on 127.0.0.1:${address.port}`);
});
