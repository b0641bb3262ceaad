// The awaitable forms of the blocking calls (sendall, recvAsync, acceptAsync, connectAsync): how
// settimeout/setblocking and an AbortSignal bound them (DESIGN.md section 1).
import test from 'ava';
import type { ExecutionContext } from 'ava';
import { setImmediate as nextTurn } from 'node:timers/promises';
import { socketpair } from '../../src/transports/socket-module.js';
import type { Socket } from '../../src/transports/socket.js';
import { SOL_SOCKET, SO_SNDBUF } from '../../src/transports/constants.js';
import { BlockingIOError, ConnectionResetError, OSError, TimeoutError, ValueError } from '../../src/transports/errors.js';
import { closing, newSocket, tcpConnection } from '../helpers/sockets.js';

function pair(t: ExecutionContext): [Socket, Socket] {
  const [a, b] = socketpair();
  return [closing(t, a), closing(t, b)];
}

function listening(t: ExecutionContext, backlog = 4): Socket {
  const listener = newSocket(t);
  listener.bind(['127.0.0.1', 0]);
  listener.listen(backlog);
  return listener;
}

test('settimeout(0) makes the awaitable calls fail at once with BlockingIOError', async (t) => {
  const [a, b] = pair(t);
  b.settimeout(0);
  t.is(b.gettimeout(), 0);
  await t.throwsAsync(b.recvAsync(10), { instanceOf: BlockingIOError, code: 'EAGAIN' });
  const listener = listening(t);
  listener.settimeout(0);
  await t.throwsAsync(listener.acceptAsync(), { instanceOf: BlockingIOError, code: 'EAGAIN' });
  a.settimeout(0);
  a.setsockopt(SOL_SOCKET, SO_SNDBUF, 2500); // 5000 as Linux doubles it
  await t.throwsAsync(a.sendall(Buffer.alloc(8000)), { instanceOf: BlockingIOError, code: 'EAGAIN' });
  // What fitted was accepted before the refusal, as Python's sendall on a non-blocking socket.
  t.is(b.recv(1 << 20).length, 5000);
  const client = newSocket(t);
  client.settimeout(0);
  await t.throwsAsync(client.connectAsync(listener.getsockname()), { instanceOf: BlockingIOError, code: 'EINPROGRESS' });
});

test('An awaitable call with timeout 0 still succeeds when the socket is ready', async (t) => {
  const [a, b] = pair(t);
  b.settimeout(0);
  a.send('ready');
  t.is((await b.recvAsync(10)).toString(), 'ready');
  await b.sendall('fits');
  t.is(a.recv(10).toString(), 'fits');
});

test('setblocking(false) is settimeout(0) and setblocking(true) waits forever again', async (t) => {
  const [a, b] = pair(t);
  b.setblocking(false);
  t.is(b.gettimeout(), 0);
  await t.throwsAsync(b.recvAsync(10), { instanceOf: BlockingIOError, code: 'EAGAIN' });
  b.setblocking(true);
  t.is(b.gettimeout(), null);
  const waiting = b.recvAsync(10);
  a.send('late');
  t.is((await waiting).toString(), 'late');
});

test('settimeout(t > 0) makes a call that waits too long fail with TimeoutError, no errno, as socket.timeout', async (t) => {
  const [a, b] = pair(t);
  b.settimeout(0.05);
  t.is(b.gettimeout(), 0.05);
  const error = await t.throwsAsync(b.recvAsync(10), { instanceOf: TimeoutError, code: 'ETIMEDOUT' });
  t.true(error instanceof OSError);
  t.is(error?.errno, null);
  t.is(error?.message, 'timed out');
  t.is(error?.syscall, 'recv');
  a.settimeout(0.05);
  a.setsockopt(SOL_SOCKET, SO_SNDBUF, 100); // Linux's floor: 4608
  await t.throwsAsync(a.sendall(Buffer.alloc(10_000)), { instanceOf: TimeoutError, code: 'ETIMEDOUT' });
  const listener = listening(t);
  listener.settimeout(0.05);
  await t.throwsAsync(listener.acceptAsync(), { instanceOf: TimeoutError, code: 'ETIMEDOUT' });
  // The socket is still usable after a timeout.
  a.setsockopt(SOL_SOCKET, SO_SNDBUF, 1 << 20);
  b.recv(1 << 20);
  a.send('after');
  t.is((await b.recvAsync(10)).toString(), 'after');
});

test('connectAsync to a listener whose backlog is full times out with TimeoutError', async (t) => {
  const listener = listening(t, 0);
  const first = newSocket(t);
  await first.connectAsync(listener.getsockname());
  const held = newSocket(t);
  held.settimeout(0.1);
  await t.throwsAsync(held.connectAsync(listener.getsockname()), { instanceOf: TimeoutError, code: 'ETIMEDOUT' });
});

test('settimeout refuses a negative or non-finite value with ValueError', (t) => {
  const [a] = pair(t);
  for (const bad of [-1, Number.NaN, Number.POSITIVE_INFINITY]) {
    t.throws(() => a.settimeout(bad), { instanceOf: ValueError, message: 'Timeout value out of range' });
  }
  a.settimeout(2.5);
  t.is(a.gettimeout(), 2.5);
  a.settimeout(null);
  t.is(a.gettimeout(), null);
});

test('An AbortSignal aborts a waiting acceptAsync and recvAsync with its reason', async (t) => {
  const listener = listening(t);
  const reason = new Error('shutting down');
  const controller = new AbortController();
  const accepting = listener.acceptAsync({ signal: controller.signal });
  const [a, b] = pair(t);
  const receiving = b.recvAsync(10, { signal: controller.signal });
  await nextTurn();
  controller.abort(reason);
  await t.throwsAsync(accepting, { is: reason });
  await t.throwsAsync(receiving, { is: reason });
  // Nothing was consumed: the sockets work as before.
  a.send('kept');
  t.is(b.recv(10).toString(), 'kept');
  const client = newSocket(t);
  const accepted = listener.acceptAsync();
  await client.connectAsync(listener.getsockname());
  const [server] = await accepted;
  closing(t, server);
  t.deepEqual(server.getpeername(), client.getsockname());
});

test('An AbortSignal already aborted rejects a call that would wait, with an AbortError', async (t) => {
  const [, b] = pair(t);
  // Node's default reason is a DOMException, which is not an Error subclass: hence `any`.
  await t.throwsAsync(b.recvAsync(10, { signal: AbortSignal.abort() }), { any: true, name: 'AbortError' });
  const listener = listening(t);
  await t.throwsAsync(listener.acceptAsync({ signal: AbortSignal.abort() }), { any: true, name: 'AbortError' });
});

test('An AbortSignal aborts sendall and connectAsync too', async (t) => {
  const [a] = pair(t);
  a.setsockopt(SOL_SOCKET, SO_SNDBUF, 100); // Linux's floor: 4608
  await t.throwsAsync(a.sendall(Buffer.alloc(10_000), { signal: AbortSignal.abort() }), { any: true, name: 'AbortError' });
  const listener = listening(t, 0);
  const first = newSocket(t);
  await first.connectAsync(listener.getsockname());
  const held = newSocket(t);
  const controller = new AbortController();
  const connecting = held.connectAsync(listener.getsockname(), { signal: controller.signal });
  await nextTurn();
  controller.abort();
  await t.throwsAsync(connecting, { any: true, name: 'AbortError' });
});

test('sendall waits for room and resolves once every byte was accepted', async (t) => {
  const [a, b] = pair(t);
  a.setsockopt(SOL_SOCKET, SO_SNDBUF, 1024);
  const data = Buffer.alloc(100_000);
  for (let i = 0; i < data.length; i++) data[i] = (i * 7) % 256;
  let done = false;
  const sending = a.sendall(data).then(() => {
    done = true;
  });
  const parts: Buffer[] = [];
  let received = 0;
  for (let i = 0; i < 10_000 && received < data.length; i++) {
    const part = await b.recvAsync(700);
    parts.push(part);
    received += part.length;
  }
  await sending;
  t.true(done);
  t.deepEqual(Buffer.concat(parts), data);
});

test('recvAsync resolves with EOF, and rejects with a reset, as recv would', async (t) => {
  const [a, b] = pair(t);
  const eof = b.recvAsync(10);
  a.shutdown(1);
  t.is((await eof).length, 0);
  const [c, d] = pair(t);
  c.send('unread');
  const waiting = c.recvAsync(10);
  d.close();
  await t.throwsAsync(waiting, { instanceOf: ConnectionResetError, code: 'ECONNRESET' });
});

test('recvAsync rejects with EBADF when its socket is closed while it waits', async (t) => {
  const [, b] = pair(t);
  const waiting = b.recvAsync(10);
  b.close();
  await t.throwsAsync(waiting, { instanceOf: OSError, code: 'EBADF' });
});

test('connectAsync on a connected TCP socket rejects with EISCONN', async (t) => {
  const { client, listener } = await tcpConnection(t);
  await t.throwsAsync(client.connectAsync(listener.getsockname()), { instanceOf: OSError, code: 'EISCONN' });
});
