// AF_UNIX stream sockets on paths in a temp dir: connect at once, errors at once, the backlog's
// EAGAIN, names, half-close and peer close (SEMANTICS.md sections 2, 8 and 9).
import test from 'ava';
import * as net from 'node:net';
import { once } from 'node:events';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  AF_UNIX,
  SHUT_RD,
  SHUT_WR,
  SOL_SOCKET,
  SO_ACCEPTCONN,
  SO_ERROR,
  SO_RCVBUF,
} from '../../src/transports/constants.js';
import {
  BlockingIOError,
  BrokenPipeError,
  ConnectionRefusedError,
  ConnectionResetError,
  FileNotFoundError,
  OSError,
  errnoOf,
} from '../../src/transports/errors.js';
import { DEFAULT_UNIX_BUFFER } from '../../src/transports/constants.js';
import { select } from '../../src/reactor/select.js';
import { closing, newSocket, tempDir, unixConnection } from '../helpers/sockets.js';

test('Unix connect to a listening path succeeds at once and names both ends as Linux does', async (t) => {
  const path = join(tempDir(t), 'l.sock');
  const listener = newSocket(t, AF_UNIX);
  listener.bind(path);
  t.is(listener.getsockname(), path);
  listener.listen(4);
  t.is(listener.getsockopt(SOL_SOCKET, SO_ACCEPTCONN), 1);
  const client = newSocket(t, AF_UNIX);
  t.is(client.connect(path), undefined);
  t.deepEqual(await select([client], [client], [client], 0), [[], [client], []]);
  t.deepEqual(await select([listener], [], [], null), [[listener], [], []]);
  const [server, peer] = listener.accept();
  closing(t, server);
  t.is(peer, '');
  t.throws(() => listener.accept(), { instanceOf: BlockingIOError, code: 'EAGAIN' });
  t.is(client.getpeername(), path);
  t.is(client.getsockname(), '');
  t.is(server.getsockname(), path);
  t.is(server.getpeername(), '');
  t.throws(() => client.connect(path), { instanceOf: OSError, code: 'EISCONN' });
  t.is(client.getsockopt(SOL_SOCKET, SO_RCVBUF), DEFAULT_UNIX_BUFFER);
});

test('Unix sockets carry data both ways', async (t) => {
  const { client, server } = await unixConnection(t);
  t.is(client.send('ping'), 4);
  t.is((await server.recvAsync(100)).toString(), 'ping');
  t.is(server.send('pong'), 4);
  t.is((await client.recvAsync(100)).toString(), 'pong');
  const big = Buffer.alloc(1 << 20, 7);
  const sending = client.sendall(big);
  let received = 0;
  for (let i = 0; i < 10_000 && received < big.length; i++) received += (await server.recvAsync(1 << 20)).length;
  await sending;
  t.is(received, big.length);
});

test('Unix bind to a path that exists is EADDRINUSE, and bind checks its argument', (t) => {
  const dir = tempDir(t);
  const path = join(dir, 'taken.sock');
  const first = newSocket(t, AF_UNIX);
  first.bind(path);
  const second = newSocket(t, AF_UNIX);
  t.throws(() => second.bind(path), { instanceOf: OSError, code: 'EADDRINUSE' });
  const file = join(dir, 'plain-file');
  writeFileSync(file, 'not a socket');
  t.throws(() => second.bind(file), { instanceOf: OSError, code: 'EADDRINUSE' });
  t.throws(() => second.bind(''), { instanceOf: OSError, code: 'EINVAL' });
  t.throws(() => second.bind(['127.0.0.1', 0]), { instanceOf: TypeError });
  t.throws(() => first.bind(join(dir, 'again.sock')), { instanceOf: OSError, code: 'EINVAL' });
  t.throws(() => second.bind(join(dir, 'no-such-dir', 'x.sock')), { instanceOf: FileNotFoundError, code: 'ENOENT' });
  t.is(second.getsockname(), '');
});

test('Unix connect to a missing path is ENOENT and to a bound, non-listening path ECONNREFUSED', async (t) => {
  const dir = tempDir(t);
  const client = newSocket(t, AF_UNIX);
  t.throws(() => client.connect(join(dir, 'missing.sock')), { instanceOf: FileNotFoundError, code: 'ENOENT' });
  t.is(client.connectEx(join(dir, 'missing.sock')), errnoOf('ENOENT'));
  const bound = newSocket(t, AF_UNIX);
  bound.bind(join(dir, 'bound.sock'));
  t.throws(() => client.connect(join(dir, 'bound.sock')), { instanceOf: ConnectionRefusedError, code: 'ECONNREFUSED' });
  t.is(client.connectEx(join(dir, 'bound.sock')), errnoOf('ECONNREFUSED'));
  t.deepEqual(await select([client], [client], [client], 0), [[client], [client], []]);
  t.is(client.getsockopt(SOL_SOCKET, SO_ERROR), 0);
});

test('Unix connect to a file that is not a socket learns the refusal a turn later', async (t) => {
  const file = join(tempDir(t), 'plain-file');
  writeFileSync(file, 'not a socket');
  const client = newSocket(t, AF_UNIX);
  // Nobody in this process listens there, so node:net finds out in the background (docs/semantics.md).
  client.connect(file);
  t.deepEqual(await select([client], [], [], null), [[client], [], []]);
  t.throws(() => client.recv(10), { instanceOf: ConnectionRefusedError, code: 'ECONNREFUSED' });
  // Linux would have raised the refusal from connect() and left the socket unconnected, so it is
  // unconnected again once the refusal is known: recv and send fail as on a fresh socket
  // (unconnected-unix-socket-ops), and it can connect again instead of raising EISCONN.
  t.throws(() => client.recv(10), { instanceOf: OSError, code: 'EINVAL' });
  t.throws(() => client.send('x'), { instanceOf: OSError, code: 'ENOTCONN' });
  const path = join(tempDir(t), 'retry.sock');
  const listener = newSocket(t, AF_UNIX);
  listener.bind(path);
  listener.listen(1);
  client.connect(path);
  t.is(client.getpeername(), path);
});

test('Unix connect refused a turn later is reported once by SO_ERROR or the next connect', async (t) => {
  const file = join(tempDir(t), 'plain-file');
  writeFileSync(file, 'not a socket');
  const [first, second] = [newSocket(t, AF_UNIX), newSocket(t, AF_UNIX)];
  first.connect(file);
  second.connect(file);
  t.deepEqual(await select([first], [], [], null), [[first], [], []]);
  t.deepEqual(await select([second], [], [], null), [[second], [], []]);
  t.is(first.getsockopt(SOL_SOCKET, SO_ERROR), errnoOf('ECONNREFUSED'));
  t.is(first.getsockopt(SOL_SOCKET, SO_ERROR), 0);
  t.throws(() => second.connect(file), { instanceOf: ConnectionRefusedError, code: 'ECONNREFUSED' });
  t.is(second.getsockopt(SOL_SOCKET, SO_ERROR), 0);
});

test('Unix listener with a full backlog refuses connect with EAGAIN until one is accepted', async (t) => {
  const path = join(tempDir(t), 'backlog.sock');
  const listener = newSocket(t, AF_UNIX);
  listener.bind(path);
  listener.listen(1);
  const [c1, c2, c3] = [newSocket(t, AF_UNIX), newSocket(t, AF_UNIX), newSocket(t, AF_UNIX)];
  c1.connect(path);
  c2.connect(path);
  t.throws(() => c3.connect(path), { instanceOf: BlockingIOError, code: 'EAGAIN' });
  t.deepEqual(await select([c3], [c3], [c3], 0), [[c3], [c3], []]);
  t.throws(() => c3.getpeername(), { instanceOf: OSError, code: 'ENOTCONN' });
  const [s1] = await listener.acceptAsync();
  closing(t, s1);
  t.is(c3.connect(path), undefined);
  const [s2] = await listener.acceptAsync();
  const [s3] = await listener.acceptAsync();
  closing(t, s2);
  closing(t, s3);
  // Accepted in connect order: each accepted end talks to its own client.
  for (const [client, server, word] of [
    [c1, s1, 'one'],
    [c2, s2, 'two'],
    [c3, s3, 'three'],
  ] as const) {
    client.send(word);
    t.is((await server.recvAsync(10)).toString(), word);
  }
});

test('Unix half-close with SHUT_WR gives the peer EOF and keeps the other direction', async (t) => {
  const { client, server } = await unixConnection(t);
  client.shutdown(SHUT_WR);
  t.throws(() => client.send('x'), { instanceOf: BrokenPipeError, code: 'EPIPE' });
  t.is((await server.recvAsync(10)).length, 0);
  t.is(server.recv(10).length, 0);
  t.is(server.send('back'), 4);
  t.is((await client.recvAsync(10)).toString(), 'back');
});

test('Unix shutdown(SHUT_RD) makes the peer send fail with EPIPE', async (t) => {
  const { client, server } = await unixConnection(t);
  server.shutdown(SHUT_RD);
  t.is(server.recv(10).length, 0);
  t.throws(() => client.send('x'), { instanceOf: BrokenPipeError, code: 'EPIPE' });
  t.is(server.send('still'), 5);
  t.is((await client.recvAsync(10)).toString(), 'still');
});

test('Unix peer close gives EOF and makes the first send fail with EPIPE', async (t) => {
  const { client, server } = await unixConnection(t);
  server.close();
  t.deepEqual(await select([client], [], [], null), [[client], [], []]);
  t.is(client.recv(10).length, 0);
  t.is(client.recv(10).length, 0);
  t.throws(() => client.send('x'), { instanceOf: BrokenPipeError, code: 'EPIPE' });
  t.is(client.getsockopt(SOL_SOCKET, SO_ERROR), 0);
});

test('Unix peer close with unread data resets the connection', async (t) => {
  const { client, server } = await unixConnection(t);
  client.send('unread');
  await select([server], [], [], null);
  server.close();
  t.deepEqual(await select([client], [], [], null), [[client], [], []]);
  t.throws(() => client.recv(10), { instanceOf: ConnectionResetError, code: 'ECONNRESET' });
  t.is(client.recv(10).length, 0);
  t.throws(() => client.send('x'), { instanceOf: BrokenPipeError, code: 'EPIPE' });
});

test('A fresh Unix socket is readable and writable; recv is EINVAL and send ENOTCONN', async (t) => {
  const s = newSocket(t, AF_UNIX);
  t.deepEqual(await select([s], [s], [s], 0), [[s], [s], []]);
  t.throws(() => s.recv(10), { instanceOf: OSError, code: 'EINVAL' });
  t.throws(() => s.send('x'), { instanceOf: OSError, code: 'ENOTCONN' });
  t.throws(() => s.getpeername(), { instanceOf: OSError, code: 'ENOTCONN' });
  t.is(s.getsockname(), '');
  t.is(s.shutdown(SHUT_WR), undefined);
  t.is(s.getsockopt(SOL_SOCKET, SO_ERROR), 0);
  t.throws(() => s.listen(1), { instanceOf: OSError, code: 'EINVAL' });
  t.throws(() => s.connect(['127.0.0.1', 80]), { instanceOf: TypeError });
});

test('A Unix listener cannot connect, and closing it frees the path and resets its queue', async (t) => {
  const path = join(tempDir(t), 'closing.sock');
  const listener = newSocket(t, AF_UNIX);
  listener.bind(path);
  listener.listen(2);
  t.throws(() => listener.connect(path), { instanceOf: OSError, code: 'EINVAL' });
  const queued = newSocket(t, AF_UNIX);
  queued.connect(path);
  await select([listener], [], [], null);
  listener.close();
  // As Linux's unix_release_sock: a connection never accepted is reset, not merely ended.
  t.deepEqual(await select([queued], [], [], null), [[queued], [], []]);
  t.throws(() => queued.recv(10), { instanceOf: ConnectionResetError, code: 'ECONNRESET' });
  t.is(queued.recv(10).length, 0);
  t.throws(() => queued.send('x'), { instanceOf: BrokenPipeError, code: 'EPIPE' });
  // libuv unlinks a closed listener's path (a divergence from Linux, which keeps the file and
  // refuses with ECONNREFUSED; DESIGN.md section 0): so ENOENT, and the path can be bound again.
  const late = newSocket(t, AF_UNIX);
  t.throws(() => late.connect(path), { instanceOf: FileNotFoundError, code: 'ENOENT' });
  const again = newSocket(t, AF_UNIX);
  again.bind(path);
  again.listen(1);
  t.is(late.connect(path), undefined);
});

test('A switchboard Unix listener accepts a plain node:net client', async (t) => {
  const path = join(tempDir(t), 'foreign-client.sock');
  const listener = newSocket(t, AF_UNIX);
  listener.bind(path);
  listener.listen(1);
  const peer = closing(t, net.connect(path));
  await once(peer, 'connect');
  const [server, address] = await listener.acceptAsync();
  closing(t, server);
  t.is(address, '');
  peer.write('hi');
  t.is((await server.recvAsync(10)).toString(), 'hi');
  peer.end();
  t.is((await server.recvAsync(10)).length, 0);
});

test('A switchboard Unix client talks to a plain node:net server', async (t) => {
  const path = join(tempDir(t), 'foreign-server.sock');
  const server = net.createServer((conn) => conn.on('data', (data: Buffer) => conn.write(data)));
  t.teardown(() => server.close());
  server.listen(path);
  await once(server, 'listening');
  const client = newSocket(t, AF_UNIX);
  t.is(client.connect(path), undefined);
  t.is(client.getpeername(), path);
  await client.sendall('echo me');
  t.is((await client.recvAsync(100)).toString(), 'echo me');
});
