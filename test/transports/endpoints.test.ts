// Endpoints: what listen and connect do at the edges — a stale Unix path, a live one, a connect
// that times out (on the reactor's manual clock), a cancelled connect, the connection limit.
import test from 'ava';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import * as net from 'node:net';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Recorder, factoryOf } from '../../src/conformance/recorder.js';
import { ManualClock } from '../../src/reactor/clock.js';
import { SelectorReactor } from '../../src/reactor/selector-reactor.js';
import { AF_INET } from '../../src/transports/constants.js';
import { connectTCP, connectUnix, listenTCP, listenUnix } from '../../src/transports/endpoints.js';
import { Socket } from '../../src/transports/socket.js';

function tempDir(t: { teardown(fn: () => void): void }): string {
  const dir = mkdtempSync(join(tmpdir(), 'switchboard-endpoints-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

async function runUntil<T>(reactor: SelectorReactor, done: Promise<T>): Promise<T> {
  const running = reactor.run();
  try {
    return await done;
  } finally {
    reactor.stop();
    await running;
  }
}

test('listenUnix replaces a stale socket file once a connect to it is refused', async (t) => {
  const dir = tempDir(t);
  const path = join(dir, 'stale.sock');
  // A socket file nobody listens on, as a process that exited without unlinking leaves it (libuv
  // always unlinks, so python3 makes it).
  execFileSync('python3', ['-c', 'import socket,sys; socket.socket(socket.AF_UNIX).bind(sys.argv[1])', path]);
  t.true(statSync(path).isSocket());
  const reactor = new SelectorReactor();
  const port = await listenUnix(reactor, path, factoryOf(new Recorder()));
  t.teardown(() => port.stopListening());
  t.is(port.address, path);
});

test('listenUnix never takes the path of a live listener', async (t) => {
  const dir = tempDir(t);
  const path = join(dir, 'live.sock');
  const live = createServer();
  await new Promise<void>((resolve) => live.listen(path, resolve));
  t.teardown(() => live.close());
  await t.throwsAsync(listenUnix(new SelectorReactor(), path, factoryOf()), { code: 'EADDRINUSE' });
});

test('connectTCP gives up with TimeoutError when the attempt outlasts its timeout', async (t) => {
  const clock = new ManualClock();
  const reactor = new SelectorReactor({ clock });
  // A listener whose queue is full holds an in-process client pending, as Linux drops its SYN.
  const listener = new Socket(AF_INET);
  listener.bind(['127.0.0.1', 0]);
  listener.listen(0);
  t.teardown(() => listener.close());
  const address = listener.getsockname();
  const port = Array.isArray(address) ? address[1] : 0;
  const first = new Socket(AF_INET);
  t.teardown(() => first.close());
  await first.connectAsync(['127.0.0.1', port]);
  const factory = factoryOf(new Recorder());
  connectTCP(reactor, '127.0.0.1', port, factory, { timeout: 5 });
  await reactor.iterate(0);
  clock.advance(5);
  const reason = await runUntil(reactor, factory.failed);
  t.is(reason.name, 'TimeoutError');
});

test('stopConnecting reports the cancellation to the factory', async (t) => {
  const reactor = new SelectorReactor();
  const holder = new Socket(AF_INET);
  holder.bind(['127.0.0.1', 0]);
  t.teardown(() => holder.close());
  const address = holder.getsockname();
  const factory = factoryOf(new Recorder());
  const connector = connectTCP(reactor, '127.0.0.1', Array.isArray(address) ? address[1] : 0, factory);
  connector.stopConnecting();
  const reason = await runUntil(reactor, factory.failed);
  t.is((reason as Error & { code?: string }).code, 'ECANCELED');
});

test('connectUnix to a missing path reaches the factory as FileNotFoundError', async (t) => {
  const reactor = new SelectorReactor();
  const factory = factoryOf(new Recorder());
  connectUnix(reactor, join(tempDir(t), 'nobody.sock'), factory);
  t.is((await runUntil(reactor, factory.failed)).name, 'FileNotFoundError');
});

test('a listening port over maxConnections closes the extra connection at once', async (t) => {
  const reactor = new SelectorReactor();
  const served: Recorder[] = [];
  const port = await listenTCP(reactor, 0, { buildProtocol: () => { const r = new Recorder(); served.push(r); return r; } }, { maxConnections: 1 });
  t.teardown(() => port.stopListening());
  const portNumber = Array.isArray(port.address) ? port.address[1] : 0;
  const kept = new Recorder();
  const extra = new Recorder();
  connectTCP(reactor, '127.0.0.1', portNumber, factoryOf(kept));
  await runUntil(reactor, kept.made);
  connectTCP(reactor, '127.0.0.1', portNumber, factoryOf(extra));
  await runUntil(reactor, extra.lost);
  t.is(served.length, 1);
  t.is(port.connectionCount, 1);
  port.closeConnections();
  await runUntil(reactor, kept.lost);
  t.is(port.connectionCount, 0);
});

test('a factory that throws for one connection resets that connection and the listener serves the next', async (t) => {
  const reactor = new SelectorReactor();
  let builds = 0;
  const reported: unknown[] = [];
  const original = console.error;
  console.error = (...args: unknown[]) => reported.push(args);
  t.teardown(() => {
    console.error = original;
  });
  const echo = { connectionMade() {}, dataReceived() {}, connectionLost() {} };
  const port = await listenTCP(reactor, 0, {
    buildProtocol: () => {
      builds += 1;
      if (builds === 1) throw new TypeError('no protocol for this one');
      return echo;
    },
  });
  const clients: net.Socket[] = [];
  t.teardown(() => {
    for (const client of clients) client.destroy();
    port.closeConnections();
    port.stopListening();
  });
  const address = port.address;
  if (!Array.isArray(address)) throw new TypeError('expected a TCP address');
  const connectAndWaitForEnd = (): Promise<string> =>
    new Promise((resolve) => {
      const client = net.connect(Number(address[1]), '127.0.0.1');
      clients.push(client);
      client.on('error', (error: NodeJS.ErrnoException) => resolve(error.code ?? 'error'));
      client.on('end', () => resolve('end'));
      client.on('connect', () => resolve('connected'));
    });
  const first = new Promise<string>((resolve) => {
    const client = net.connect(Number(address[1]), '127.0.0.1');
    clients.push(client);
    client.on('error', (error: NodeJS.ErrnoException) => resolve(error.code ?? 'error'));
    client.on('close', () => resolve('closed'));
  });
  t.is(await runUntil(reactor, first), 'ECONNRESET');
  t.is(reported.filter((args) => String(args).includes('no protocol for this one')).length, 1, 'the failure was reported once');
  t.is(await runUntil(reactor, connectAndWaitForEnd()), 'connected');
  t.is(port.connectionCount, 1);
  t.is(builds, 2);
});
