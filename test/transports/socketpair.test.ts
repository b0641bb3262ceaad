// socketpair(): the in-memory AF_UNIX pair, synchronous and deterministic (SEMANTICS.md section 8).
import test from 'ava';
import type { ExecutionContext } from 'ava';
import { socketpair } from '../../src/transports/socket-module.js';
import type { Socket } from '../../src/transports/socket.js';
import {
  AF_UNIX,
  SHUT_RD,
  SHUT_RDWR,
  SHUT_WR,
  SOCK_STREAM,
  SOL_SOCKET,
  SO_ACCEPTCONN,
  SO_ERROR,
  SO_KEEPALIVE,
  SO_LINGER,
  SO_SNDBUF,
  SO_TYPE,
} from '../../src/transports/constants.js';
import { BlockingIOError, BrokenPipeError, ConnectionResetError, OSError, ValueError } from '../../src/transports/errors.js';
import { select } from '../../src/reactor/select.js';
import { closing } from '../helpers/sockets.js';

function pair(t: ExecutionContext): [Socket, Socket] {
  const [a, b] = socketpair();
  return [closing(t, a), closing(t, b)];
}

test('socketpair delivers a send to the peer at once, with no event loop turn', async (t) => {
  const [a, b] = pair(t);
  t.deepEqual(await select([a, b], [a, b], [a, b], 0), [[], [a, b], []]);
  t.is(a.send('ping'), 4);
  t.is(a.readiness() & 1, 0);
  t.deepEqual(await select([a, b], [a, b], [a, b], 0), [[b], [a, b], []]);
  t.is(b.recv(2).toString(), 'pi');
  t.is(b.recv(100).toString(), 'ng');
  t.throws(() => b.recv(100), { instanceOf: BlockingIOError, code: 'EAGAIN' });
});

test('socketpair ends are connected, unnamed AF_UNIX stream sockets', (t) => {
  const [a, b] = pair(t);
  t.is(a.family, AF_UNIX);
  t.is(a.type, SOCK_STREAM);
  t.is(a.getsockname(), '');
  t.is(a.getpeername(), '');
  t.is(b.getpeername(), '');
  t.is(a.getsockopt(SOL_SOCKET, SO_TYPE), SOCK_STREAM);
  t.is(a.getsockopt(SOL_SOCKET, SO_ACCEPTCONN), 0);
  t.is(a.getsockopt(SOL_SOCKET, SO_ERROR), 0);
  t.not(a.fileno(), b.fileno());
  t.true(a.fileno() >= 0);
});

test('socketpair send takes only what fits in SO_SNDBUF while the peer does not read', async (t) => {
  const [a, b] = pair(t);
  a.setsockopt(SOL_SOCKET, SO_SNDBUF, 2500);
  t.is(a.getsockopt(SOL_SOCKET, SO_SNDBUF), 5000); // doubled, as Linux reports and counts it
  const data = Buffer.alloc(10000, 0x61);
  t.is(a.send(data), 5000);
  t.throws(() => a.send('x'), { instanceOf: BlockingIOError, code: 'EAGAIN' });
  t.deepEqual(await select([], [a], [], 0), [[], [], []]);
  // The peer reads 1000 bytes: exactly that much room comes back, and a waiting select sees it.
  const waiting = select([], [a], [], null);
  t.is(b.recv(1000).length, 1000);
  t.deepEqual(await waiting, [[], [a], []]);
  t.is(a.send(data), 1000);
  t.throws(() => a.send('x'), { instanceOf: BlockingIOError, code: 'EAGAIN' });
  // Everything accepted arrives, in order and unchanged.
  t.is(b.recv(1 << 20).length, 5000);
  t.throws(() => b.recv(1), { instanceOf: BlockingIOError, code: 'EAGAIN' });
});

test('socketpair send returns 0 for empty data and accepts strings and Uint8Arrays', (t) => {
  const [a, b] = pair(t);
  t.is(a.send(''), 0);
  t.is(a.send(new Uint8Array([1, 2, 3])), 3);
  t.is(a.send('é'), 2);
  t.deepEqual([...b.recv(10)], [1, 2, 3, 0xc3, 0xa9]);
});

test('socketpair recv hands out one chunk as a view of the copy send made, never the caller buffer', (t) => {
  const [a, b] = pair(t);
  const data = Buffer.alloc(10000);
  for (let i = 0; i < data.length; i++) data[i] = i % 251;
  t.is(a.send(data), data.length);
  data.fill(0);
  const first = b.recv(4000);
  const rest = b.recv(1 << 20);
  t.is(first.length, 4000);
  t.is(rest.length, 6000);
  // Both are views into one ArrayBuffer, the sender's copy, laid out back to back.
  t.is(first.buffer, rest.buffer);
  t.is(rest.byteOffset, first.byteOffset + 4000);
  t.not(first.buffer, data.buffer);
  t.true([...first, ...rest].every((byte, i) => byte === i % 251));
});

test('socketpair recv copies when one call spans two sends', (t) => {
  const [a, b] = pair(t);
  // Sizes past half of Node's Buffer pool (4 KiB on Node 20, 32 KiB from Node 24), so that the
  // copy gets an ArrayBuffer of its own, whose size shows it is a new one.
  const size = Buffer.poolSize;
  t.is(a.send(Buffer.alloc(size, 1)), size);
  t.is(a.send(Buffer.alloc(size, 2)), size);
  const both = b.recv(size * 1.5);
  t.is(both.length, size * 1.5);
  t.is(both.buffer.byteLength, size * 1.5);
  t.is(both[size - 1], 1);
  t.is(both[size], 2);
  t.is(b.recv(size).length, size / 2);
});

test('socketpair recv(0) returns nothing and a bad size is a ValueError', (t) => {
  const [a, b] = pair(t);
  a.send('abc');
  t.is(b.recv(0).length, 0);
  t.throws(() => b.recv(-1), { instanceOf: ValueError });
  t.throws(() => b.recv(1.5), { instanceOf: ValueError });
  t.is(b.recv(10).toString(), 'abc');
});

test('socketpair shutdown(SHUT_WR) gives the peer EOF and keeps the other direction open', async (t) => {
  const [a, b] = pair(t);
  a.shutdown(SHUT_WR);
  t.deepEqual(await select([a, b], [a, b], [a, b], 0), [[b], [a, b], []]);
  t.is(b.recv(100).length, 0);
  t.is(b.recv(100).length, 0);
  t.throws(() => a.send('more'), { instanceOf: BrokenPipeError, code: 'EPIPE' });
  t.is(b.send('back'), 4);
  t.is(a.recv(100).toString(), 'back');
  // A second shutdown of the same direction changes nothing.
  a.shutdown(SHUT_WR);
  t.throws(() => a.recv(1), { instanceOf: BlockingIOError, code: 'EAGAIN' });
});

test('socketpair shutdown(SHUT_RD) reaches the peer, whose send then fails with EPIPE', async (t) => {
  const [a, b] = pair(t);
  a.shutdown(SHUT_RD);
  t.deepEqual(await select([a, b], [a, b], [a, b], 0), [[a], [a, b], []]);
  t.is(a.recv(100).length, 0);
  t.throws(() => b.send('x'), { instanceOf: BrokenPipeError, code: 'EPIPE' });
  t.is(a.send('y'), 1);
  t.is(b.recv(100).toString(), 'y');
});

test('socketpair shutdown(SHUT_RDWR) stops both directions and an unknown how is EINVAL', (t) => {
  const [a, b] = pair(t);
  t.throws(() => a.shutdown(7), { instanceOf: OSError, code: 'EINVAL' });
  a.shutdown(SHUT_RDWR);
  t.is(a.recv(10).length, 0);
  t.is(b.recv(10).length, 0);
  t.throws(() => a.send('x'), { instanceOf: BrokenPipeError, code: 'EPIPE' });
  t.throws(() => b.send('x'), { instanceOf: BrokenPipeError, code: 'EPIPE' });
});

test('socketpair close with unread data resets the peer with ConnectionResetError', async (t) => {
  const [a, b] = pair(t);
  a.send('unread');
  b.close();
  t.is(b.fileno(), -1);
  t.deepEqual(await select([a], [a], [], 0), [[a], [a], []]);
  t.throws(() => a.recv(100), { instanceOf: ConnectionResetError, code: 'ECONNRESET' });
  t.is(a.recv(100).length, 0);
  t.throws(() => a.send('x'), { instanceOf: BrokenPipeError, code: 'EPIPE' });
  t.is(a.getsockopt(SOL_SOCKET, SO_ERROR), 0);
});

test('socketpair close with unread data leaves the reset in SO_ERROR, read once', (t) => {
  const [a, b] = pair(t);
  a.send('unread');
  b.close();
  t.is(a.getsockopt(SOL_SOCKET, SO_ERROR), 104);
  t.is(a.getsockopt(SOL_SOCKET, SO_ERROR), 0);
  t.is(a.recv(100).length, 0);
});

test('socketpair close with nothing unread gives the peer EOF, and its first send already fails', async (t) => {
  const [a, b] = pair(t);
  b.send('read');
  t.is(a.recv(100).toString(), 'read');
  a.close();
  t.deepEqual(await select([b], [b], [b], 0), [[b], [b], []]);
  t.is(b.recv(100).length, 0);
  t.is(b.recv(100).length, 0);
  t.throws(() => b.send('x'), { instanceOf: BrokenPipeError, code: 'EPIPE' });
  t.is(b.getsockopt(SOL_SOCKET, SO_ERROR), 0);
  // Closing twice is allowed, as in Python.
  a.close();
  t.is(a.fileno(), -1);
});

test('socketpair close with SO_LINGER zero still gives the peer EOF, and options apply to the pair', (t) => {
  const [a, b] = pair(t);
  a.setsockopt(SOL_SOCKET, SO_KEEPALIVE, 1);
  t.is(a.getsockopt(SOL_SOCKET, SO_KEEPALIVE), 1);
  a.setsockopt(SOL_SOCKET, SO_LINGER, [1, 0]);
  t.is(a.getsockopt(SOL_SOCKET, SO_LINGER), 1);
  a.close();
  t.is(b.recv(10).length, 0);
  t.throws(() => b.send('x'), { instanceOf: BrokenPipeError, code: 'EPIPE' });
});

test('Socket tells each readiness listener once per change, until it unwatches', (t) => {
  const [a, b] = pair(t);
  let calls = 0;
  const listener = (): void => {
    calls += 1;
  };
  b.watch(listener);
  b.watch(listener);
  a.send('1');
  t.is(calls, 1);
  b.unwatch(listener);
  b.unwatch(listener);
  a.send('2');
  t.is(calls, 1);
  t.is(b.recv(10).toString(), '12');
});

test('A closed socketpair end reports no readiness and fileno -1', (t) => {
  const [a] = pair(t);
  a.close();
  t.is(a.readiness(), 0);
  t.is(a.fileno(), -1);
  t.throws(() => a.send('x'), { instanceOf: OSError, code: 'EBADF' });
});
