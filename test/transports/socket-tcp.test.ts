// TCP sockets over 127.0.0.1 and ::1: names, options, connect outcomes, binding by host name, closed
// sockets, listeners and shutdown, checked against SEMANTICS.md and Python's socket module.
import test from 'ava';
import type { ExecutionContext } from 'ava';
import * as net from 'node:net';
import { hostname } from 'node:os';
import { once } from 'node:events';
import { Socket } from '../../src/transports/socket.js';
import { getaddrinfo, gethostname, socket } from '../../src/transports/socket-module.js';
import {
  AF_INET,
  AF_INET6,
  AF_UNIX,
  type AddressFamily,
  DEFAULT_TCP_RCVBUF,
  DEFAULT_TCP_SNDBUF,
  IPPROTO_TCP,
  SHUT_RD,
  SHUT_RDWR,
  SHUT_WR,
  SOCK_STREAM,
  SOL_SOCKET,
  SO_ACCEPTCONN,
  SO_ERROR,
  SO_KEEPALIVE,
  SO_LINGER,
  SO_RCVBUF,
  SO_REUSEADDR,
  SO_SNDBUF,
  SO_TYPE,
  TCP_NODELAY,
} from '../../src/transports/constants.js';
import {
  BlockingIOError,
  BrokenPipeError,
  ConnectionRefusedError,
  ConnectionResetError,
  OSError,
  ValueError,
  errnoOf,
  gaierror,
} from '../../src/transports/errors.js';
import { select } from '../../src/reactor/select.js';
import { closing, familyOf, newSocket, requireIPv6, tcpConnection } from '../helpers/sockets.js';

const LOOPBACKS = [
  ['IPv4', '127.0.0.1'],
  ['IPv6', '::1'],
] as const;

/** Registers the test once per loopback family; the IPv6 one fails, saying why, where ::1 cannot be bound. */
function loopbackTest(title: string, run: (t: ExecutionContext, host: string, family: AddressFamily) => Promise<void> | void): void {
  for (const [name, host] of LOOPBACKS) {
    test(`${title} over ${name}`, async (t) => {
      if (host === '::1' && !requireIPv6(t)) return;
      await run(t, host, familyOf(host));
    });
  }
}

/** A bound socket that never listens: connecting to its address is refused (SEMANTICS.md section 3). */
function refusingAddress(t: ExecutionContext, host = '127.0.0.1'): readonly [string, number] {
  const bound = newSocket(t, familyOf(host));
  bound.bind([host, 0]);
  const name = bound.getsockname();
  if (!Array.isArray(name)) throw new TypeError('an IP socket has a tuple address');
  return [name[0], name[1]];
}

function isTuple(address: unknown): address is readonly (string | number)[] {
  return Array.isArray(address);
}

loopbackTest('TCP getsockname and getpeername give Python address shapes', async (t, host, family) => {
  const { listener, client, server } = await tcpConnection(t, family, host);
  const bound = listener.getsockname();
  if (!isTuple(bound)) throw new TypeError('expected a tuple');
  t.is(bound.length, family === AF_INET ? 2 : 4);
  t.is(bound[0], host);
  t.true(typeof bound[1] === 'number' && bound[1] > 0);
  if (family === AF_INET6) t.deepEqual(bound.slice(2), [0, 0]);
  t.deepEqual(client.getpeername(), bound);
  t.deepEqual(server.getsockname(), bound);
  const local = client.getsockname();
  if (!isTuple(local)) throw new TypeError('expected a tuple');
  t.is(local.length, bound.length);
  t.is(local[0], host);
  t.not(local[1], 0);
  t.deepEqual(server.getpeername(), local);
});

loopbackTest('TCP connection carries data both ways and half-closes with SHUT_WR', async (t, host, family) => {
  const { client, server } = await tcpConnection(t, family, host);
  t.is(client.send('hello'), 5);
  t.is((await server.recvAsync(100)).toString(), 'hello');
  t.is(server.send('world'), 5);
  t.is((await client.recvAsync(100)).toString(), 'world');
  client.shutdown(SHUT_WR);
  t.throws(() => client.send('x'), { instanceOf: BrokenPipeError, code: 'EPIPE' });
  t.is((await server.recvAsync(100)).length, 0);
  t.is(server.recv(100).length, 0);
  t.is(server.send('reply'), 5);
  t.is((await client.recvAsync(100)).toString(), 'reply');
  t.throws(() => client.recv(100), { instanceOf: BlockingIOError, code: 'EAGAIN' });
});

loopbackTest('A fresh TCP socket is readable and writable and every I/O call fails', async (t, _host, family) => {
  const s = newSocket(t, family);
  t.deepEqual(s.getsockname(), family === AF_INET ? ['0.0.0.0', 0] : ['::', 0, 0, 0]);
  t.deepEqual(await select([s], [s], [s], 0), [[s], [s], []]);
  t.throws(() => s.recv(10), { instanceOf: OSError, code: 'ENOTCONN' });
  t.throws(() => s.send('x'), { instanceOf: BrokenPipeError, code: 'EPIPE' });
  t.throws(() => s.getpeername(), { instanceOf: OSError, code: 'ENOTCONN' });
  t.throws(() => s.shutdown(SHUT_WR), { instanceOf: OSError, code: 'ENOTCONN' });
  t.throws(() => s.accept(), { instanceOf: OSError, code: 'EINVAL' });
  t.is(s.getsockopt(SOL_SOCKET, SO_ERROR), 0);
  t.is(s.getsockopt(SOL_SOCKET, SO_TYPE), SOCK_STREAM);
  t.is(s.getsockopt(SOL_SOCKET, SO_ACCEPTCONN), 0);
  t.is(s.family, family);
});

test('socket() refuses an unknown family or type', (t) => {
  t.throws(() => socket(99 as AddressFamily), { instanceOf: OSError, code: 'EAFNOSUPPORT' });
  t.throws(() => socket(AF_INET, 2), { instanceOf: OSError, code: 'EPROTONOSUPPORT' });
  const s = closing(t, socket());
  t.is(s.family, AF_INET);
  t.is(s.type, SOCK_STREAM);
});

test('TCP sockets report every option of DESIGN.md, SO_RCVBUF and SO_SNDBUF doubled as Linux does', async (t) => {
  const { client } = await tcpConnection(t);
  t.is(client.getsockopt(SOL_SOCKET, SO_RCVBUF), DEFAULT_TCP_RCVBUF);
  t.is(client.getsockopt(SOL_SOCKET, SO_SNDBUF), DEFAULT_TCP_SNDBUF);
  client.setsockopt(SOL_SOCKET, SO_RCVBUF, 65536);
  t.is(client.getsockopt(SOL_SOCKET, SO_RCVBUF), 131072);
  client.setsockopt(SOL_SOCKET, SO_SNDBUF, 32768);
  t.is(client.getsockopt(SOL_SOCKET, SO_SNDBUF), 65536);
  for (const option of [SO_REUSEADDR, SO_KEEPALIVE]) {
    t.is(client.getsockopt(SOL_SOCKET, option), 0);
    client.setsockopt(SOL_SOCKET, option, 1);
    t.is(client.getsockopt(SOL_SOCKET, option), 1);
    client.setsockopt(SOL_SOCKET, option, false);
    t.is(client.getsockopt(SOL_SOCKET, option), 0);
    client.setsockopt(SOL_SOCKET, option, true);
    t.is(client.getsockopt(SOL_SOCKET, option), 1);
  }
  t.is(client.getsockopt(IPPROTO_TCP, TCP_NODELAY), 0);
  client.setsockopt(IPPROTO_TCP, TCP_NODELAY, 1);
  t.is(client.getsockopt(IPPROTO_TCP, TCP_NODELAY), 1);
  client.setsockopt(IPPROTO_TCP, TCP_NODELAY, 0);
  t.is(client.getsockopt(IPPROTO_TCP, TCP_NODELAY), 0);
  t.is(client.getsockopt(SOL_SOCKET, SO_LINGER), 0);
  client.setsockopt(SOL_SOCKET, SO_LINGER, [1, 5]);
  t.is(client.getsockopt(SOL_SOCKET, SO_LINGER), 1);
  client.setsockopt(SOL_SOCKET, SO_LINGER, [0, 0]);
  t.is(client.getsockopt(SOL_SOCKET, SO_LINGER), 0);
  t.is(client.getsockopt(SOL_SOCKET, SO_TYPE), SOCK_STREAM);
  t.is(client.getsockopt(SOL_SOCKET, SO_ACCEPTCONN), 0);
  t.is(client.getsockopt(SOL_SOCKET, SO_ERROR), 0);
  // The connection still works with every option applied.
  client.setsockopt(IPPROTO_TCP, TCP_NODELAY, 1);
  t.is(client.send('ok'), 2);
});

test('TCP option values of the wrong type are refused', (t) => {
  const s = newSocket(t);
  t.throws(() => s.setsockopt(SOL_SOCKET, SO_SNDBUF, 1.5), { instanceOf: TypeError });
  // Python passes an int as 4 bytes, shorter than a struct linger: Linux answers EINVAL.
  t.throws(() => s.setsockopt(SOL_SOCKET, SO_LINGER, 1), { instanceOf: OSError, code: 'EINVAL' });
  // A struct linger is 8 bytes; Linux refuses a shorter one with EINVAL.
  t.throws(() => s.setsockopt(SOL_SOCKET, SO_LINGER, Buffer.from([1, 0, 0, 0])), { instanceOf: OSError, code: 'EINVAL' });
  t.is(s.getsockopt(SOL_SOCKET, SO_LINGER), 0);
});

test('An unknown option or level is ENOPROTOOPT for getsockopt and setsockopt', (t) => {
  const s = newSocket(t);
  const unix = newSocket(t, AF_UNIX);
  for (const [level, option] of [
    [SOL_SOCKET, 999],
    [IPPROTO_TCP, 99],
    [99, SO_RCVBUF],
  ] as const) {
    t.throws(() => s.getsockopt(level, option), { instanceOf: OSError, code: 'ENOPROTOOPT' });
    t.throws(() => s.setsockopt(level, option, 1), { instanceOf: OSError, code: 'ENOPROTOOPT' });
  }
  // TCP_NODELAY is a TCP option: AF_UNIX has no protocol level at all, and Linux says EOPNOTSUPP.
  t.throws(() => unix.getsockopt(IPPROTO_TCP, TCP_NODELAY), { instanceOf: OSError, code: 'EOPNOTSUPP' });
  t.throws(() => unix.setsockopt(IPPROTO_TCP, TCP_NODELAY, 1), { instanceOf: OSError, code: 'EOPNOTSUPP' });
});

test('An accepted TCP socket inherits the listener options', async (t) => {
  const listener = newSocket(t);
  listener.setsockopt(SOL_SOCKET, SO_RCVBUF, 50000);
  listener.setsockopt(SOL_SOCKET, SO_SNDBUF, 20000);
  listener.setsockopt(IPPROTO_TCP, TCP_NODELAY, 1);
  listener.setsockopt(SOL_SOCKET, SO_KEEPALIVE, 1);
  listener.bind(['127.0.0.1', 0]);
  listener.listen();
  t.is(listener.getsockopt(SOL_SOCKET, SO_ACCEPTCONN), 1);
  const client = newSocket(t);
  await client.connectAsync(listener.getsockname());
  const [server] = await listener.acceptAsync();
  closing(t, server);
  t.is(server.getsockopt(SOL_SOCKET, SO_RCVBUF), 100000);
  t.is(server.getsockopt(SOL_SOCKET, SO_SNDBUF), 40000);
  t.is(server.getsockopt(IPPROTO_TCP, TCP_NODELAY), 1);
  t.is(server.getsockopt(SOL_SOCKET, SO_KEEPALIVE), 1);
  t.is(server.getsockopt(SOL_SOCKET, SO_ACCEPTCONN), 0);
});

test('Every Socket method raises EBADF after close, connectEx returns it and close is idempotent', async (t) => {
  const s = new Socket(AF_INET);
  const fd = s.fileno();
  t.true(fd >= 0);
  s.close();
  s.close();
  t.is(s.fileno(), -1);
  const badf = { instanceOf: OSError, code: 'EBADF' };
  t.throws(() => s.bind(['127.0.0.1', 0]), badf);
  t.throws(() => s.listen(1), badf);
  t.throws(() => s.accept(), badf);
  t.throws(() => s.connect(['127.0.0.1', 1]), badf);
  t.throws(() => s.send('x'), badf);
  t.throws(() => s.recv(1), badf);
  t.throws(() => s.shutdown(SHUT_RDWR), badf);
  t.throws(() => s.getsockopt(SOL_SOCKET, SO_ERROR), badf);
  t.throws(() => s.setsockopt(SOL_SOCKET, SO_REUSEADDR, 1), badf);
  t.throws(() => s.getsockname(), badf);
  t.throws(() => s.getpeername(), badf);
  t.throws(() => s.setblocking(false), badf);
  t.throws(() => s.settimeout(1), badf);
  t.is(s.connectEx(['127.0.0.1', 1]), errnoOf('EBADF'));
  t.is(s.gettimeout(), null);
  await t.throwsAsync(s.sendall('x'), badf);
  await t.throwsAsync(s.recvAsync(1), badf);
  await t.throwsAsync(s.acceptAsync(), badf);
  await t.throwsAsync(s.connectAsync(['127.0.0.1', 1]), badf);
  await t.throwsAsync(s.makefile().read(1), badf);
  await t.throwsAsync(select([s], [], [], 0), { instanceOf: ValueError });
});

test('A TCP socket closed while connected gives its peer an ordinary EOF', async (t) => {
  const { client, server } = await tcpConnection(t);
  client.close();
  t.deepEqual(await select([server], [], [], null), [[server], [], []]);
  t.is(server.recv(10).length, 0);
  t.is(server.recv(10).length, 0);
});

test('connectEx returns EINPROGRESS, then 0 once writable, then EISCONN', async (t) => {
  const listener = newSocket(t);
  listener.bind(['127.0.0.1', 0]);
  listener.listen(4);
  const client = newSocket(t);
  t.is(client.connectEx(listener.getsockname()), errnoOf('EINPROGRESS'));
  // A second call before the handshake ends: EALREADY, both ways.
  t.is(client.connectEx(listener.getsockname()), errnoOf('EALREADY'));
  t.throws(() => client.connect(listener.getsockname()), { instanceOf: BlockingIOError, code: 'EALREADY' });
  t.deepEqual(await select([], [client], [], null), [[], [client], []]);
  t.is(client.getsockopt(SOL_SOCKET, SO_ERROR), 0);
  t.is(client.connectEx(listener.getsockname()), 0);
  t.is(client.connectEx(listener.getsockname()), errnoOf('EISCONN'));
  t.throws(() => client.connect(['127.0.0.1', 9]), { instanceOf: OSError, code: 'EISCONN' });
  const [server, peer] = listener.accept();
  closing(t, server);
  t.deepEqual(peer, client.getsockname());
});

test('connectEx to a refused port reports ECONNREFUSED once, and the socket can connect again', async (t) => {
  const refused = refusingAddress(t);
  const client = newSocket(t);
  t.is(client.connectEx(refused), errnoOf('EINPROGRESS'));
  t.deepEqual(await select([client], [client], [], null), [[client], [client], []]);
  t.is(client.connectEx(refused), errnoOf('ECONNREFUSED'));
  t.is(client.getsockopt(SOL_SOCKET, SO_ERROR), 0);
  const listener = newSocket(t);
  listener.bind(['127.0.0.1', 0]);
  listener.listen(1);
  await client.connectAsync(listener.getsockname());
  t.deepEqual(client.getpeername(), listener.getsockname());
});

test('A refused TCP connect leaves ECONNREFUSED in SO_ERROR, then EOF and EPIPE', async (t) => {
  const client = newSocket(t);
  t.throws(() => client.connect(refusingAddress(t)), { instanceOf: BlockingIOError, code: 'EINPROGRESS' });
  t.deepEqual(await select([client], [client], [client], null), [[client], [client], [client]]);
  t.is(client.getsockopt(SOL_SOCKET, SO_ERROR), errnoOf('ECONNREFUSED'));
  t.is(client.getsockopt(SOL_SOCKET, SO_ERROR), 0);
  t.deepEqual(await select([client], [client], [client], 0), [[client], [client], []]);
  t.is(client.recv(10).length, 0);
  t.throws(() => client.send('x'), { instanceOf: BrokenPipeError, code: 'EPIPE' });
  t.throws(() => client.getpeername(), { instanceOf: OSError, code: 'ENOTCONN' });
  t.throws(() => client.shutdown(SHUT_RDWR), { instanceOf: OSError, code: 'ENOTCONN' });
});

test('A refused TCP connect is raised by the first recv when SO_ERROR was not read', async (t) => {
  const client = newSocket(t);
  t.is(client.connectEx(refusingAddress(t)), errnoOf('EINPROGRESS'));
  await select([client], [], [], null);
  t.throws(() => client.recv(10), { instanceOf: ConnectionRefusedError, code: 'ECONNREFUSED' });
  t.is(client.recv(10).length, 0);
  t.is(client.getsockopt(SOL_SOCKET, SO_ERROR), 0);
});

test('connectAsync to a refused port rejects with ConnectionRefusedError', async (t) => {
  const client = newSocket(t);
  await t.throwsAsync(client.connectAsync(refusingAddress(t)), { instanceOf: ConnectionRefusedError, code: 'ECONNREFUSED' });
  // The failed attempt is over: the socket is unconnected again.
  t.throws(() => client.getpeername(), { instanceOf: OSError, code: 'ENOTCONN' });
});

test('A connecting TCP socket is neither readable nor writable and its send would block', async (t) => {
  const listener = newSocket(t);
  listener.bind(['127.0.0.1', 0]);
  listener.listen(0);
  const first = newSocket(t);
  await first.connectAsync(listener.getsockname());
  // backlog 0 admits one connection; the second is held as Linux holds a client whose SYN was dropped.
  const held = newSocket(t);
  t.throws(() => held.connect(listener.getsockname()), { instanceOf: BlockingIOError, code: 'EINPROGRESS' });
  t.throws(() => held.send('x'), { instanceOf: BlockingIOError, code: 'EAGAIN' });
  t.throws(() => held.recv(1), { instanceOf: BlockingIOError, code: 'EAGAIN' });
  t.deepEqual(await select([held], [held], [held], 0.2), [[], [], []]);
  t.is(held.getsockopt(SOL_SOCKET, SO_ERROR), 0);
  t.throws(() => held.connect(listener.getsockname()), { instanceOf: BlockingIOError, code: 'EALREADY' });
});

test('listen() again updates the backlog of a listening socket', async (t) => {
  const listener = newSocket(t);
  listener.bind(['127.0.0.1', 0]);
  listener.listen(0);
  listener.listen(2);
  // Backlog 2 holds backlog + 1 = 3 connections: all three complete without anyone accepting.
  const clients = [newSocket(t), newSocket(t), newSocket(t)];
  for (const client of clients) await client.connectAsync(listener.getsockname());
  const fourth = newSocket(t);
  fourth.connectEx(listener.getsockname());
  t.deepEqual(await select([fourth], [fourth], [], 0.2), [[], [], []]);
  for (const client of clients) {
    const [server, peer] = listener.accept();
    closing(t, server);
    t.deepEqual(peer, client.getsockname());
  }
});

test('shutdown(SHUT_WR) on a listener changes nothing and SHUT_RD stops it, resetting the queue', async (t) => {
  const listener = newSocket(t);
  listener.bind(['127.0.0.1', 0]);
  listener.listen(4);
  const address = listener.getsockname();
  const queued = newSocket(t);
  await queued.connectAsync(address);
  t.deepEqual(await select([listener], [], [], null), [[listener], [], []]);
  listener.shutdown(SHUT_WR);
  t.is(listener.getsockopt(SOL_SOCKET, SO_ACCEPTCONN), 1);
  listener.shutdown(SHUT_RD);
  t.is(listener.getsockopt(SOL_SOCKET, SO_ACCEPTCONN), 0);
  t.throws(() => listener.accept(), { instanceOf: OSError, code: 'EINVAL' });
  // Linux resets the connection still waiting in the queue of a closed listener.
  t.deepEqual(await select([queued], [], [], null), [[queued], [], []]);
  t.throws(() => queued.recv(10), { instanceOf: ConnectionResetError, code: 'ECONNRESET' });
  const late = newSocket(t);
  await t.throwsAsync(late.connectAsync(address), { instanceOf: ConnectionRefusedError });
});

test('shutdown while connecting abandons the attempt and the socket can connect again', async (t) => {
  const listener = newSocket(t);
  listener.bind(['127.0.0.1', 0]);
  listener.listen(4);
  const client = newSocket(t);
  t.is(client.connectEx(listener.getsockname()), errnoOf('EINPROGRESS'));
  client.shutdown(SHUT_RDWR);
  t.deepEqual(await select([client], [client], [], 0), [[client], [client], []]);
  t.throws(() => client.getpeername(), { instanceOf: OSError, code: 'ENOTCONN' });
  t.throws(() => client.recv(1), { instanceOf: OSError, code: 'ENOTCONN' });
  await client.connectAsync(listener.getsockname());
  t.deepEqual(client.getpeername(), listener.getsockname());
  t.is(client.send('second try'), 10);
});

test('A TCP listener cannot send, receive, connect or be written to', async (t) => {
  const listener = newSocket(t);
  listener.bind(['127.0.0.1', 0]);
  listener.listen();
  t.throws(() => listener.send('x'), { instanceOf: BrokenPipeError, code: 'EPIPE' });
  t.throws(() => listener.recv(1), { instanceOf: OSError, code: 'ENOTCONN' });
  t.throws(() => listener.getpeername(), { instanceOf: OSError, code: 'ENOTCONN' });
  t.throws(() => listener.connect(['127.0.0.1', 9]), { instanceOf: OSError, code: 'EISCONN' });
  t.throws(() => listener.accept(), { instanceOf: BlockingIOError, code: 'EAGAIN' });
  t.throws(() => listener.bind(['127.0.0.1', 0]), { instanceOf: OSError, code: 'EINVAL' });
  t.deepEqual(await select([listener], [listener], [listener], 0), [[], [], []]);
});

test('listen on a connected socket and accept on a connected socket are EINVAL', async (t) => {
  const { client, server } = await tcpConnection(t);
  t.throws(() => client.listen(1), { instanceOf: OSError, code: 'EINVAL' });
  t.throws(() => server.accept(), { instanceOf: OSError, code: 'EINVAL' });
  t.throws(() => client.bind(['127.0.0.1', 0]), { instanceOf: OSError, code: 'EINVAL' });
});

test('listen without bind picks the any-address and a free port', (t) => {
  const listener = newSocket(t);
  listener.listen(1);
  const name = listener.getsockname();
  if (!isTuple(name)) throw new TypeError('expected a tuple');
  t.is(name[0], '0.0.0.0');
  t.not(name[1], 0);
});

test('bind to a port another socket listens on is EADDRINUSE, and the socket stays usable', (t) => {
  const listener = newSocket(t);
  listener.bind(['127.0.0.1', 0]);
  listener.listen(1);
  const other = newSocket(t);
  const error = t.throws(() => other.bind(listener.getsockname()), { instanceOf: OSError, code: 'EADDRINUSE' });
  t.is(error?.syscall, 'bind');
  // The failed bind left nothing bound behind: the socket can bind elsewhere and listen.
  t.deepEqual(other.getsockname(), ['0.0.0.0', 0]);
  other.bind(['127.0.0.1', 0]);
  other.listen(1);
  t.is(other.getsockopt(SOL_SOCKET, SO_ACCEPTCONN), 1);
});

loopbackTest("bind resolves '' and 'localhost' without waiting", (t, _host, family) => {
  const any = newSocket(t, family);
  any.bind(['', 0]);
  const anyName = any.getsockname();
  if (!isTuple(anyName)) throw new TypeError('expected a tuple');
  t.is(anyName[0], family === AF_INET ? '0.0.0.0' : '::');
  const local = newSocket(t, family);
  local.bind(['localhost', 0]);
  const localName = local.getsockname();
  if (!isTuple(localName)) throw new TypeError('expected a tuple');
  t.is(localName[0], family === AF_INET ? '127.0.0.1' : '::1');
  t.not(localName[1], 0);
});

test('bind to a host name that needs a lookup throws a ValueError pointing to getaddrinfo', (t) => {
  const s = newSocket(t);
  const error = t.throws(() => s.bind(['www.python.org', 80]), { instanceOf: ValueError });
  t.regex(error?.message ?? '', /await getaddrinfo\('www\.python\.org', 80\)/);
  const name = gethostname();
  if (name !== 'localhost') {
    t.throws(() => s.bind([name, 0]), { instanceOf: ValueError, message: /getaddrinfo/ });
  }
  // Nothing was bound by the failed calls.
  t.deepEqual(s.getsockname(), ['0.0.0.0', 0]);
});

test('bind and connect check the address shape and family', (t) => {
  const v4 = newSocket(t);
  const v6 = newSocket(t, AF_INET6);
  t.throws(() => v4.bind('/tmp/path'), { instanceOf: TypeError });
  t.throws(() => v4.bind(['127.0.0.1', 70000]), { instanceOf: RangeError });
  t.throws(() => v4.bind(['127.0.0.1', -1]), { instanceOf: RangeError });
  t.throws(() => v4.bind([7 as unknown as string, 0]), { instanceOf: TypeError });
  t.throws(() => v4.bind(['::1', 0]), { instanceOf: ValueError });
  t.throws(() => v6.bind(['127.0.0.1', 0]), { instanceOf: ValueError });
  t.throws(() => v4.connect(['::1', 80]), { instanceOf: ValueError });
  // connectEx raises what is not a connection error.
  t.throws(() => v4.connectEx(['127.0.0.1', 1e6]), { instanceOf: RangeError });
  t.deepEqual(v4.getsockname(), ['0.0.0.0', 0]);
});

test("connect to the name 'localhost' reaches a loopback listener", async (t) => {
  const listener = newSocket(t);
  listener.bind(['127.0.0.1', 0]);
  listener.listen(1);
  const name = listener.getsockname();
  if (!isTuple(name)) throw new TypeError('expected a tuple');
  const client = newSocket(t);
  t.throws(() => client.connect(['localhost', Number(name[1])]), { instanceOf: BlockingIOError, code: 'EINPROGRESS' });
  await select([], [client], [], null);
  t.is(client.connectEx(['localhost', Number(name[1])]), 0);
  t.deepEqual(client.getpeername(), name);
});

test('connect to a host name resolves it in the background, as node:net does', async (t) => {
  const listener = newSocket(t);
  listener.bind(['0.0.0.0', 0]);
  listener.listen(1);
  const name = listener.getsockname();
  if (!isTuple(name)) throw new TypeError('expected a tuple');
  const port = Number(name[1]);
  const host = gethostname();
  const client = newSocket(t);
  const found = await getaddrinfo(host, port, AF_INET).catch((error: unknown) => error);
  if (found instanceof gaierror) {
    t.log(`this machine cannot resolve its own name '${host}' (${found.code}): checking the failure instead`);
    await t.throwsAsync(client.connectAsync([host, port]), { instanceOf: gaierror });
    return;
  }
  if (!Array.isArray(found) || found.length === 0) throw new TypeError('getaddrinfo resolves to a list');
  t.throws(() => client.connect([host, port]), { instanceOf: BlockingIOError, code: 'EINPROGRESS' });
  await client.connectAsync([host, port]);
  const peer = client.getpeername();
  if (!isTuple(peer)) throw new TypeError('expected a tuple');
  t.is(peer[1], port);
  t.true(found.some((info) => isTuple(info[4]) && info[4][0] === peer[0]));
});

test('A failed lookup in connect becomes a pending gaierror, which connectEx raises too', async (t) => {
  const client = newSocket(t);
  t.is(client.connectEx(['nowhere.invalid', 80]), errnoOf('EINPROGRESS'));
  t.deepEqual(await select([client], [client], [], null), [[client], [client], []]);
  const error = t.throws(() => client.connectEx(['nowhere.invalid', 80]), { instanceOf: gaierror });
  t.is(typeof error?.code, 'string');
  // The attempt is over: the socket is unconnected again.
  t.throws(() => client.getpeername(), { instanceOf: OSError, code: 'ENOTCONN' });
  const other = newSocket(t);
  other.connectEx(['nowhere.invalid', 80]);
  await select([other], [], [], null);
  t.throws(() => other.recv(10), { instanceOf: gaierror });
  t.is(other.recv(10).length, 0);
});

test("getaddrinfo('localhost', 80) gives Python's 5-tuples and a failing lookup rejects with gaierror", async (t) => {
  const infos = await getaddrinfo('localhost', 80);
  t.true(infos.length > 0);
  for (const [family, type, proto, canonname, sockaddr] of infos) {
    t.is(type, SOCK_STREAM);
    t.is(proto, IPPROTO_TCP);
    t.is(canonname, '');
    t.deepEqual(sockaddr, family === AF_INET6 ? ['::1', 80, 0, 0] : ['127.0.0.1', 80]);
  }
  t.deepEqual(await getaddrinfo('localhost', 80, AF_INET), [[AF_INET, SOCK_STREAM, IPPROTO_TCP, '', ['127.0.0.1', 80]]]);
  const v6 = await getaddrinfo('::1', 443, AF_INET6);
  t.deepEqual(v6, [[AF_INET6, SOCK_STREAM, IPPROTO_TCP, '', ['::1', 443, 0, 0]]]);
  const error = await t.throwsAsync(getaddrinfo('nowhere.invalid', 80), { instanceOf: gaierror });
  t.regex(error?.message ?? '', /nowhere\.invalid/);
  await t.throwsAsync(getaddrinfo('localhost', 80, AF_UNIX), { instanceOf: gaierror, code: 'EAI_FAMILY' });
});

test('gethostname is the machine host name', (t) => {
  t.is(gethostname(), hostname());
});

for (const [title, linger] of [
  ['[1, 0]', [1, 0] as const],
  ['a packed 8-byte struct linger', Buffer.from([1, 0, 0, 0, 0, 0, 0, 0])],
] as const) {
  test(`SO_LINGER set as ${title} makes close reset the peer`, async (t) => {
    const { client, server } = await tcpConnection(t);
    client.setsockopt(SOL_SOCKET, SO_LINGER, linger);
    t.is(client.getsockopt(SOL_SOCKET, SO_LINGER), 1);
    client.close();
    t.deepEqual(await select([server], [], [], null), [[server], [], []]);
    t.deepEqual(await select([server], [server], [], 0), [[server], [server], []]);
    t.throws(() => server.recv(10), { instanceOf: ConnectionResetError, code: 'ECONNRESET' });
    t.is(server.recv(10).length, 0);
    t.throws(() => server.send('x'), { instanceOf: BrokenPipeError, code: 'EPIPE' });
  });
}

test('A TCP peer that closes with unread data resets the connection', async (t) => {
  const { client, server } = await tcpConnection(t);
  client.send('never read');
  // Wait until the bytes are in the server's buffer, then close it unread.
  await select([server], [], [], null);
  server.close();
  t.deepEqual(await select([client], [], [], null), [[client], [], []]);
  t.throws(() => client.recv(10), { instanceOf: ConnectionResetError, code: 'ECONNRESET' });
  t.is(client.recv(10).length, 0);
  t.throws(() => client.send('x'), { instanceOf: BrokenPipeError, code: 'EPIPE' });
});

test('A switchboard TCP listener accepts a plain node:net client', async (t) => {
  const listener = newSocket(t);
  listener.bind(['127.0.0.1', 0]);
  listener.listen(2);
  const name = listener.getsockname();
  if (!isTuple(name)) throw new TypeError('expected a tuple');
  const peer = closing(t, net.connect({ host: '127.0.0.1', port: Number(name[1]) }));
  await once(peer, 'connect');
  const [server, address] = await listener.acceptAsync();
  closing(t, server);
  t.deepEqual(address, ['127.0.0.1', peer.localPort]);
  peer.write('from node');
  t.is((await server.recvAsync(100)).toString(), 'from node');
  await server.sendall('from switchboard');
  const [reply] = (await once(peer, 'data')) as [Buffer];
  t.is(reply.toString(), 'from switchboard');
  peer.end();
  t.is((await server.recvAsync(100)).length, 0);
});

test('A switchboard TCP client talks to a plain node:net server', async (t) => {
  const server = net.createServer({ allowHalfOpen: true }, (conn) => {
    conn.on('data', (data: Buffer) => conn.write(data.toString().toUpperCase()));
    conn.on('end', () => conn.end());
  });
  t.teardown(() => server.close());
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const address = server.address();
  if (address === null || typeof address === 'string') throw new TypeError('a TCP server has a port');
  const client = newSocket(t);
  await client.connectAsync(['127.0.0.1', address.port]);
  await client.sendall('shout');
  t.is((await client.recvAsync(100)).toString(), 'SHOUT');
  client.shutdown(SHUT_WR);
  t.is((await client.recvAsync(100)).length, 0);
});

test('An AF_INET6 listener on :: accepts an IPv4 client and names it by its mapped address', async (t) => {
  if (!requireIPv6(t)) return;
  const listener = newSocket(t, AF_INET6);
  listener.bind(['::', 0]);
  listener.listen(1);
  const name = listener.getsockname();
  if (!isTuple(name)) throw new TypeError('expected a tuple');
  const client = newSocket(t, AF_INET);
  await client.connectAsync(['127.0.0.1', Number(name[1])]);
  const [server, peer] = await listener.acceptAsync();
  closing(t, server);
  const local = client.getsockname();
  if (!isTuple(local)) throw new TypeError('expected a tuple');
  // As Linux with bindv6only=0: both ends of the accepted socket are IPv4-mapped IPv6 addresses.
  t.deepEqual(peer, ['::ffff:127.0.0.1', local[1], 0, 0]);
  t.deepEqual(server.getpeername(), peer);
  t.deepEqual(server.getsockname(), ['::ffff:127.0.0.1', name[1], 0, 0]);
  t.deepEqual(client.getpeername(), ['127.0.0.1', name[1]]);
  client.send('v4 to v6');
  t.is((await server.recvAsync(100)).toString(), 'v4 to v6');
});

test('connect after a refusal already read from SO_ERROR is ECONNABORTED, then a new attempt starts', async (t) => {
  const refused = refusingAddress(t);
  const client = newSocket(t);
  t.throws(() => client.connect(refused), { instanceOf: BlockingIOError, code: 'EINPROGRESS' });
  await select([client], [], [], null);
  t.is(client.getsockopt(SOL_SOCKET, SO_ERROR), errnoOf('ECONNREFUSED'));
  // As Linux's inet_stream_connect: the attempt ended and its error was taken, so ECONNABORTED.
  t.throws(() => client.connect(refused), { code: 'ECONNABORTED', instanceOf: OSError });
  t.throws(() => client.connect(refused), { instanceOf: BlockingIOError, code: 'EINPROGRESS' });
  await select([client], [], [], null);
  t.throws(() => client.connect(refused), { instanceOf: ConnectionRefusedError, code: 'ECONNREFUSED' });
});

test('A client held behind a full backlog is refused when the listener closes', async (t) => {
  const listener = new Socket(AF_INET);
  t.teardown(() => listener.close());
  listener.bind(['127.0.0.1', 0]);
  listener.listen(0);
  const first = newSocket(t);
  await first.connectAsync(listener.getsockname());
  const held = newSocket(t);
  const connecting = held.connectAsync(listener.getsockname());
  t.deepEqual(await select([held], [held], [], 0.1), [[], [], []]);
  listener.close();
  await t.throwsAsync(connecting, { instanceOf: ConnectionRefusedError, code: 'ECONNREFUSED' });
  // The connection that made it into the queue is reset instead.
  await select([first], [], [], null);
  t.throws(() => first.recv(10), { instanceOf: ConnectionResetError, code: 'ECONNRESET' });
});

test('A failed lookup for an AF_INET6 socket is a gaierror too', async (t) => {
  const client = newSocket(t, AF_INET6);
  await t.throwsAsync(client.connectAsync(['nowhere.invalid', 80]), { instanceOf: gaierror });
  t.throws(() => client.getpeername(), { instanceOf: OSError, code: 'ENOTCONN' });
});

test('Clients from another process past the backlog are accepted in order as room appears', async (t) => {
  const listener = newSocket(t);
  listener.bind(['127.0.0.1', 0]);
  listener.listen(0);
  const name = listener.getsockname();
  if (!isTuple(name)) throw new TypeError('expected a tuple');
  const peers: net.Socket[] = [];
  for (let i = 0; i < 3; i++) {
    // node:net completes the handshake itself, so these connect even past the backlog.
    const peer = closing(t, net.connect({ host: '127.0.0.1', port: Number(name[1]) }));
    await once(peer, 'connect');
    peers.push(peer);
  }
  for (const peer of peers) {
    const [server, address] = await listener.acceptAsync();
    closing(t, server);
    t.deepEqual(address, ['127.0.0.1', peer.localPort]);
  }
  listener.settimeout(0);
  await t.throwsAsync(listener.acceptAsync(), { instanceOf: BlockingIOError, code: 'EAGAIN' });
});
