// The kernel state the own scenarios pinned down (test/fixtures/kernel-own/): Python's recv(0), empty
// sends, shutdown bits that outlive ENOTCONN, a connection closed by both FINs, listeners stopped by
// SHUT_RD, the TCP bind table, and AF_UNIX names and connect order. Each test cites its scenario.
import test from 'ava';
import { join } from 'node:path';
import { AF_UNIX, SHUT_RD, SHUT_WR, SOL_SOCKET, SO_ACCEPTCONN, SO_ERROR, SO_REUSEADDR } from '../../src/transports/constants.js';
import {
  BlockingIOError,
  BrokenPipeError,
  ConnectionRefusedError,
  FileNotFoundError,
  OSError,
  ValueError,
  errnoOf,
} from '../../src/transports/errors.js';
import { Socket } from '../../src/transports/socket.js';
import { select } from '../../src/reactor/select.js';
import { closing, newSocket, tcpConnection, tempDir, unixConnection } from '../helpers/sockets.js';

/** The port of a bound TCP socket. */
function portOf(s: Socket): number {
  const address = s.getsockname();
  if (typeof address === 'string') throw new TypeError('not a TCP socket');
  return address[1];
}

/** A loopback port that was free a moment ago, for a test that must bind a port of its choosing. */
function freePort(): number {
  const probe = new Socket();
  probe.bind(['127.0.0.1', 0]);
  const port = portOf(probe);
  probe.close();
  return port;
}

test('recv(0) returns b"" in every state, even closed, and a negative size is still a ValueError', async (t) => {
  // recv-zero-bytes: CPython answers size 0 before any system call.
  const { listener, server } = await tcpConnection(t);
  const unconnected = newSocket(t);
  const unix = newSocket(t, AF_UNIX);
  for (const s of [server, listener, unconnected, unix]) t.is(s.recv(0).length, 0);
  unconnected.close();
  t.is(unconnected.recv(0).length, 0);
  t.throws(() => unconnected.recv(10), { instanceOf: OSError, code: 'EBADF' });
  t.throws(() => unconnected.recv(-1), { instanceOf: ValueError });
});

test('send of an empty payload returns 0 on a full socket, after the state checks', (t) => {
  // send-empty-payload [28], [16], [23].
  const [a, b] = Socket.pair();
  closing(t, a);
  closing(t, b);
  let sent = 0;
  try {
    for (;;) sent += a.send(Buffer.alloc(4096));
  } catch (error) {
    t.true(error instanceof BlockingIOError);
  }
  t.true(sent > 0);
  t.is(a.send(''), 0);
  t.throws(() => a.send('x'), { instanceOf: BlockingIOError, code: 'EAGAIN' });
  a.shutdown(SHUT_WR);
  t.throws(() => a.send(''), { instanceOf: BrokenPipeError, code: 'EPIPE' });
  t.throws(() => newSocket(t).send(''), { instanceOf: BrokenPipeError, code: 'EPIPE' });
});

test('TCP shutdown before connect raises ENOTCONN yet holds after connect; a later SHUT_WR sends the FIN', async (t) => {
  // tcp-shutdown-before-connect-sticks.
  const listener = newSocket(t);
  listener.bind(['127.0.0.1', 0]);
  listener.listen(5);
  const client = newSocket(t);
  t.throws(() => client.shutdown(SHUT_RD), { instanceOf: OSError, code: 'ENOTCONN' });
  t.is(client.recv(10).length, 0);
  t.throws(() => client.shutdown(SHUT_WR), { instanceOf: OSError, code: 'ENOTCONN' });
  await client.connectAsync(listener.getsockname());
  t.throws(() => client.send('x'), { instanceOf: BrokenPipeError, code: 'EPIPE' });
  const [server] = await listener.acceptAsync();
  closing(t, server);
  // No FIN went out with the early SHUT_WR, and data still reaches a socket that only shut down reading.
  t.deepEqual(await select([server], [], [], 0.1), [[], [], []]);
  server.send('y');
  t.deepEqual(await select([client], [], [], 5), [[client], [], []]);
  t.is(client.recv(10).toString(), 'y');
  t.is(client.recv(10).length, 0);
  client.shutdown(SHUT_WR);
  t.deepEqual(await select([server], [], [], 5), [[server], [], []]);
  t.is(server.recv(10).length, 0);
});

test('TCP: once both sides shut down writing, shutdown and getpeername raise ENOTCONN', async (t) => {
  // tcp-both-shut-wr-then-closed.
  const { client, server } = await tcpConnection(t);
  client.shutdown(SHUT_WR);
  client.shutdown(SHUT_WR);
  t.deepEqual(await select([server], [], [], 5), [[server], [], []]);
  t.is(server.recv(10).length, 0);
  t.truthy(client.getpeername());
  server.shutdown(SHUT_WR);
  t.deepEqual(await select([client], [], [], 5), [[client], [], []]);
  t.is(client.recv(10).length, 0);
  for (const s of [client, server]) {
    t.throws(() => s.shutdown(SHUT_WR), { instanceOf: OSError, code: 'ENOTCONN' });
    t.throws(() => s.getpeername(), { instanceOf: OSError, code: 'ENOTCONN' });
    t.throws(() => s.send('x'), { instanceOf: BrokenPipeError, code: 'EPIPE' });
    t.is(s.recv(10).length, 0);
    t.is(s.getsockopt(SOL_SOCKET, SO_ERROR), 0);
  }
  t.deepEqual(await select([client, server], [client, server], [client, server], 0), [[client, server], [client, server], []]);
});

test('a TCP listener stopped by SHUT_RD listens again: on a new port after port 0, on its own port otherwise', async (t) => {
  // tcp-listener-shut-rd [24]-[31].
  const auto = newSocket(t);
  auto.bind(['127.0.0.1', 0]);
  auto.listen(5);
  const oldPort = portOf(auto);
  auto.shutdown(SHUT_RD);
  t.is(auto.getsockopt(SOL_SOCKET, SO_ACCEPTCONN), 0);
  auto.listen(5);
  t.is(auto.getsockopt(SOL_SOCKET, SO_ACCEPTCONN), 1);
  const address = auto.getsockname();
  t.is(address[0], '127.0.0.1');
  t.not(address[1], oldPort);
  const client = newSocket(t);
  const accepting = auto.acceptAsync();
  await client.connectAsync(address);
  const [accepted] = await accepting;
  closing(t, accepted);
  t.deepEqual(client.getpeername(), address);

  const port = freePort();
  const fixed = newSocket(t);
  fixed.bind(['127.0.0.1', port]);
  fixed.listen(5);
  fixed.shutdown(SHUT_RD);
  // Linux keeps a port the program bound: it stays reserved while the socket does not listen.
  t.throws(() => newSocket(t).bind(['127.0.0.1', port]), { instanceOf: OSError, code: 'EADDRINUSE' });
  fixed.listen(5);
  t.deepEqual(fixed.getsockname(), ['127.0.0.1', port]);
});

test('TCP bind table: an address is shared only when both set SO_REUSEADDR and neither listens', (t) => {
  // tcp-bind-address-in-use.
  const bound = newSocket(t);
  bound.bind(['127.0.0.1', 0]);
  const port = portOf(bound);
  const second = newSocket(t);
  t.throws(() => second.bind(['127.0.0.1', port]), { instanceOf: OSError, code: 'EADDRINUSE' });
  t.deepEqual(second.getsockname(), ['0.0.0.0', 0]);
  // The wildcard covers every address of the port.
  t.throws(() => newSocket(t).bind(['0.0.0.0', port]), { instanceOf: OSError, code: 'EADDRINUSE' });

  const [p, q] = [newSocket(t), newSocket(t)];
  p.setsockopt(SOL_SOCKET, SO_REUSEADDR, 1);
  q.setsockopt(SOL_SOCKET, SO_REUSEADDR, 1);
  p.bind(['127.0.0.1', 0]);
  q.bind(p.getsockname());
  t.deepEqual(q.getsockname(), p.getsockname());
  p.listen(5);
  // Now P listens: Q may not listen on the address too, and nobody else may bind it.
  t.throws(() => q.listen(5), { instanceOf: OSError, code: 'EADDRINUSE' });
  const r = newSocket(t);
  r.setsockopt(SOL_SOCKET, SO_REUSEADDR, 1);
  t.throws(() => r.bind(p.getsockname()), { instanceOf: OSError, code: 'EADDRINUSE' });

  // Closing releases the address.
  bound.close();
  const again = newSocket(t);
  again.bind(['127.0.0.1', port]);
  t.deepEqual(again.getsockname(), ['127.0.0.1', port]);
});

test('a TCP client bound to a port keeps it after a refused connect, and can connect again from it', async (t) => {
  // Linux releases only ports it chose itself (SOCK_BINDPORT_LOCK); the refusal: connect-ex-refused-retry.
  const refusing = newSocket(t);
  refusing.bind(['127.0.0.1', 0]);
  const port = freePort();
  const fixed = newSocket(t);
  fixed.bind(['127.0.0.1', port]);
  t.is(fixed.connectEx(refusing.getsockname()), errnoOf('EINPROGRESS'));
  await select([], [fixed], [], 5);
  t.is(fixed.connectEx(refusing.getsockname()), errnoOf('ECONNREFUSED'));
  t.deepEqual(fixed.getsockname(), ['127.0.0.1', port]);
  t.throws(() => newSocket(t).bind(['127.0.0.1', port]), { instanceOf: OSError, code: 'EADDRINUSE' });
  const listener = newSocket(t);
  listener.bind(['127.0.0.1', 0]);
  listener.listen(5);
  const accepting = listener.acceptAsync();
  await fixed.connectAsync(listener.getsockname());
  const [accepted, peer] = await accepting;
  closing(t, accepted);
  t.deepEqual(peer, ['127.0.0.1', port]);
});

test('a bound Unix client keeps its name after connect; the accepted end and accept see it', async (t) => {
  // unix-bound-client-connect.
  const dir = tempDir(t);
  const listener = newSocket(t, AF_UNIX);
  listener.bind(join(dir, 'l.sock'));
  listener.listen(5);
  const client = newSocket(t, AF_UNIX);
  client.bind(join(dir, 'c.sock'));
  client.connect(join(dir, 'l.sock'));
  t.is(client.getsockname(), join(dir, 'c.sock'));
  const [server, peer] = await listener.acceptAsync();
  closing(t, server);
  t.is(peer, join(dir, 'c.sock'));
  t.is(server.getpeername(), join(dir, 'c.sock'));
  t.throws(() => newSocket(t, AF_UNIX).connect(join(dir, 'c.sock')), { instanceOf: ConnectionRefusedError });
  // close() releases the bound path, so it can be bound again.
  client.close();
  newSocket(t, AF_UNIX).bind(join(dir, 'c.sock'));
});

test('a Unix listener after SHUT_RD refuses new connects, keeps its queue and is readable', async (t) => {
  // unix-listener-shut-rd.
  const { listener, path } = await unixConnection(t);
  const queued = newSocket(t, AF_UNIX);
  queued.connect(path);
  t.deepEqual(await select([listener], [], [], 5), [[listener], [], []]);
  listener.shutdown(SHUT_RD);
  t.is(listener.getsockopt(SOL_SOCKET, SO_ACCEPTCONN), 1);
  t.throws(() => newSocket(t, AF_UNIX).connect(path), { instanceOf: ConnectionRefusedError, code: 'ECONNREFUSED' });
  const [server] = listener.accept();
  closing(t, server);
  t.deepEqual(await select([listener], [listener], [listener], 0), [[listener], [], []]);
  t.throws(() => listener.accept(), { instanceOf: BlockingIOError, code: 'EAGAIN' });
  // A blocking accept would fail with EINVAL (unix_accept) rather than wait forever.
  listener.settimeout(null);
  await t.throwsAsync(listener.acceptAsync(), { instanceOf: OSError, code: 'EINVAL' });
});

test('a connected Unix socket looks the target up first: ENOENT, ECONNREFUSED, then EISCONN', async (t) => {
  // unix-connect-again.
  const { client, path } = await unixConnection(t);
  const dir = tempDir(t);
  const idle = newSocket(t, AF_UNIX);
  idle.bind(join(dir, 'idle.sock'));
  t.throws(() => client.connect(join(dir, 'missing.sock')), { instanceOf: FileNotFoundError, code: 'ENOENT' });
  t.is(client.connectEx(join(dir, 'missing.sock')), errnoOf('ENOENT'));
  t.throws(() => client.connect(join(dir, 'idle.sock')), { instanceOf: ConnectionRefusedError, code: 'ECONNREFUSED' });
  t.throws(() => client.connect(path), { instanceOf: OSError, code: 'EISCONN' });
});

test('Unix shutdown before connect holds for the socket; the accepted end cannot send to it', async (t) => {
  // unix-shutdown-before-connect-sticks, unix-client-closed-before-accept.
  const path = join(tempDir(t), 'l.sock');
  const listener = newSocket(t, AF_UNIX);
  listener.bind(path);
  listener.listen(5);
  const client = newSocket(t, AF_UNIX);
  client.shutdown(SHUT_RD);
  client.shutdown(SHUT_WR);
  client.connect(path);
  t.throws(() => client.send('x'), { instanceOf: BrokenPipeError, code: 'EPIPE' });
  t.is(client.recv(10).length, 0);
  const [server] = await listener.acceptAsync();
  closing(t, server);
  t.deepEqual(await select([server], [], [], 0.1), [[], [], []]);
  t.throws(() => server.send('y'), { instanceOf: BrokenPipeError, code: 'EPIPE' });

  const gone = newSocket(t, AF_UNIX);
  gone.connect(path);
  gone.send('bye');
  gone.close();
  const [late] = await listener.acceptAsync();
  closing(t, late);
  t.throws(() => late.send('late'), { instanceOf: BrokenPipeError, code: 'EPIPE' });
});
