// Connection limits: past a total or per-peer limit a new connection is answered in its protocol's
// way (HTTP 503, RESP as redis-server words it) and closed; open ones are untouched, and the port
// accepts again once the count drops.
import test from 'ava';
import { connect, type Socket as NetSocket } from 'node:net';
import { httpFactory } from '../../src/protocols/apps/http-app.js';
import { respFactory } from '../../src/protocols/resp/resp-server.js';
import { SelectorReactor } from '../../src/reactor/selector-reactor.js';
import { type ListenOptions, listenTCP } from '../../src/transports/endpoints.js';
import type { Factory } from '../../src/contract/index.js';
import { runUntilTeardown } from '../helpers/running-reactor.js';

async function listen(t: { teardown(fn: () => Promise<void>): void }, factory: Factory, options: ListenOptions): Promise<number> {
  const reactor = new SelectorReactor();
  const port = await listenTCP(reactor, 0, factory, options);
  runUntilTeardown(t, reactor, port);
  return Array.isArray(port.address) ? port.address[1] : 0;
}

/** Connects, sends `request`, resolves with everything received until the server closes. */
function exchange(port: number, request: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    let got = '';
    socket.on('error', reject);
    socket.on('data', (d: Buffer) => {
      got += d.toString();
    });
    socket.on('end', () => socket.end());
    socket.on('close', () => resolve(got));
    socket.write(request);
  });
}

function opened(port: number): Promise<NetSocket> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1', () => resolve(socket));
    socket.on('error', reject);
  });
}

async function held(port: number, request: string, until: string): Promise<NetSocket> {
  const socket = await opened(port);
  await new Promise<void>((resolve) => {
    let got = '';
    socket.on('data', (d: Buffer) => {
      got += d.toString();
      if (got.includes(until)) resolve();
    });
    socket.write(request);
  });
  return socket;
}

test('past maxConnections an HTTP client gets 503, and is served again once a slot frees', async (t) => {
  const port = await listen(t, httpFactory(), { maxConnections: 1 });
  const first = await held(port, 'GET / HTTP/1.1\r\nHost: a\r\n\r\n', 'hello from switchboard');
  t.regex(await exchange(port, 'GET / HTTP/1.1\r\nHost: b\r\n\r\n'), /^HTTP\/1\.1 503 Service Unavailable\r\n/);
  first.write('GET / HTTP/1.1\r\nHost: a\r\n\r\n');
  await new Promise<void>((resolve) => first.once('data', () => resolve()));
  first.destroy();
  await new Promise<void>((resolve) => first.once('close', () => resolve()));
  // The server sees the close a turn later: ask until it serves, bounded by attempts, not time.
  let answer = '';
  for (let i = 0; i < 100 && !answer.includes(' 200 '); i++) answer = await exchange(port, 'GET / HTTP/1.0\r\n\r\n');
  t.regex(answer, /^HTTP\/1\.0 200 OK/);
});

test('past maxConnections a RESP client hears redis-server\'s words', async (t) => {
  const port = await listen(t, respFactory(), { maxConnections: 1 });
  const first = await held(port, 'PING\r\n', '+PONG');
  t.teardown(async () => {
    first.destroy();
  });
  t.is(await exchange(port, 'PING\r\n'), '-ERR max number of clients reached\r\n');
});

test('maxConnectionsPerPeer limits one address while the total limit is not reached', async (t) => {
  const port = await listen(t, httpFactory(), { maxConnections: 100, maxConnectionsPerPeer: 2 });
  const a = await held(port, 'GET / HTTP/1.1\r\nHost: a\r\n\r\n', 'switchboard');
  const b = await held(port, 'GET / HTTP/1.1\r\nHost: a\r\n\r\n', 'switchboard');
  t.teardown(async () => {
    a.destroy();
    b.destroy();
  });
  t.regex(await exchange(port, 'GET / HTTP/1.1\r\nHost: a\r\n\r\n'), /^HTTP\/1\.1 503 /);
});
