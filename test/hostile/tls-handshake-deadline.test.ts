// Issue 13.6: a TLS client that connects and never finishes its handshake is closed at the
// handshake deadline (default 120 s, node:tls's), on the reactor's ManualClock: no sleeping. The
// same for our client (connectTLS) facing a server that accepts and never answers its ClientHello.
import test from 'ava';
import type { ExecutionContext } from 'ava';
import * as net from 'node:net';
import * as tls from 'node:tls';
import { type Factory, type ListeningPort, ManualClock, type Protocol, SelectorReactor, TLSContext, TimeoutError, connectTLS, createDefaultContext, listenTLS } from '../../src/index.js';
import { testCerts } from '../helpers/tls-certs.js';
import { runUntilTeardown } from '../helpers/running-reactor.js';

interface Server {
  readonly port: number;
  readonly listening: ListeningPort;
  readonly clock: ManualClock;
  readonly lost: unknown[];
  /** Resolves after the reactor has run two more iterations (so every timer due now has run). */
  readonly settled: () => Promise<void>;
}

function echoFactory(lost: unknown[]): Factory {
  return {
    buildProtocol(): Protocol {
      let write: ((data: Uint8Array) => void) | undefined;
      return {
        connectionMade: (transport) => (write = (data) => transport.write(data)),
        dataReceived: (data) => write?.(data),
        connectionLost: (reason) => lost.push(reason),
      };
    },
  };
}

async function serveTLS(t: ExecutionContext, handshakeTimeout?: number): Promise<Server> {
  const certs = testCerts();
  const clock = new ManualClock();
  const reactor = new SelectorReactor({ clock });
  const context = new TLSContext('server', { cert: certs.server.cert, key: certs.server.key });
  const lost: unknown[] = [];
  const listening = await listenTLS(reactor, 0, echoFactory(lost), { context, ...(handshakeTimeout === undefined ? {} : { handshakeTimeout }) });
  runUntilTeardown(t, reactor, listening);
  const port = Number(Array.isArray(listening.address) ? listening.address[1] : 0);
  const turn = (): Promise<void> => new Promise<void>((resolve) => reactor.callSoon(resolve));
  return { port, listening, clock, lost, settled: async () => {
    await turn();
    await turn();
  } };
}

/** Resolves once `condition()` holds, looked at on each turn of the event loop. */
async function until(condition: () => boolean): Promise<void> {
  while (!condition()) await new Promise<void>((resolve) => setImmediate(resolve));
}

function silentClient(t: ExecutionContext, port: number): Promise<net.Socket> {
  return new Promise((resolve) => {
    const client = net.connect({ host: '127.0.0.1', port }, () => resolve(client));
    client.on('error', () => undefined);
    t.teardown(() => client.destroy());
  });
}

test.serial('a client that never sends ClientHello is closed at the default 120 s handshake deadline, not before', async (t) => {
  t.timeout(30_000);
  const server = await serveTLS(t);
  const client = await silentClient(t, server.port);
  let isClosed = false;
  client.once('close', () => (isClosed = true));
  client.resume();
  await until(() => server.listening.connectionCount === 1);
  server.clock.advance(119);
  // The connection is still open: a byte sent now reaches the server, which is still waiting.
  client.write(Buffer.from([0x16]));
  await server.settled();
  t.is(server.listening.connectionCount, 1);
  t.false(isClosed);
  server.clock.advance(1);
  await until(() => isClosed && server.listening.connectionCount === 0);
  await until(() => server.lost.length === 1);
  t.true(server.lost[0] instanceof TimeoutError, String(server.lost[0]));
});

test.serial('a handshake deadline set in the options holds, and a finished handshake is never cut by it', async (t) => {
  t.timeout(30_000);
  const server = await serveTLS(t, 5);
  const certs = testCerts();
  const good = tls.connect({ host: '127.0.0.1', port: server.port, ca: certs.ca, servername: 'localhost' });
  good.on('error', () => undefined);
  t.teardown(() => good.destroy());
  await new Promise<void>((resolve) => good.once('secureConnect', () => resolve()));
  const stalled = await silentClient(t, server.port);
  let isStalledClosed = false;
  stalled.once('close', () => (isStalledClosed = true));
  stalled.resume();
  await until(() => server.listening.connectionCount === 2);
  server.clock.advance(5);
  await until(() => isStalledClosed && server.listening.connectionCount === 1);
  server.clock.advance(3600);
  const echoed = new Promise<string>((resolve) => good.once('data', (chunk: Buffer) => resolve(chunk.toString())));
  good.write('still here');
  t.is(await echoed, 'still here');
});

test('handshakeTimeout must be a positive finite number of seconds', (t) => {
  const certs = testCerts();
  const context = new TLSContext('server', { cert: certs.server.cert, key: certs.server.key });
  for (const handshakeTimeout of [0, -1, Number.NaN, Number.POSITIVE_INFINITY]) {
    const error = t.throws(() => listenTLS(new SelectorReactor(), 0, echoFactory([]), { context, handshakeTimeout }));
    t.is(error?.name, 'ValueError');
    t.regex(error?.message ?? '', /handshakeTimeout/);
  }
});

/** A TCP server that accepts and reads, and never answers: a TLS server stuck before its ServerHello. */
async function mute(t: ExecutionContext): Promise<{ port: number; heard: () => number }> {
  let heard = 0;
  const sockets: net.Socket[] = [];
  const server = net.createServer((socket) => {
    sockets.push(socket);
    socket.on('data', (chunk: Buffer) => (heard += chunk.length));
    socket.on('error', () => undefined);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  t.teardown(() => {
    for (const socket of sockets) socket.destroy();
    server.close();
  });
  const address = server.address();
  return { port: typeof address === 'object' && address !== null ? address.port : 0, heard: () => heard };
}

for (const [title, handshakeTimeout, due] of [['the default 120 s', undefined, 120], ['handshakeTimeout: 7', 7, 7]] as const) {
  test.serial(`connectTLS ends a connection whose server never finishes the handshake at ${title}, not before`, async (t) => {
    t.timeout(30_000);
    const server = await mute(t);
    const clock = new ManualClock();
    const reactor = new SelectorReactor({ clock });
    const running = reactor.run();
    t.teardown(async () => {
      reactor.stop();
      await running;
    });
    const lost: unknown[] = [];
    const context = createDefaultContext({ ca: testCerts().ca });
    connectTLS(reactor, '127.0.0.1', server.port, echoFactory(lost), { context, serverHostname: 'localhost', ...(handshakeTimeout === undefined ? {} : { handshakeTimeout }) });
    // The ClientHello reached the server: the handshake has begun, and the clock starts from here.
    await until(() => server.heard() > 0);
    const turn = (): Promise<void> => new Promise<void>((resolve) => reactor.callSoon(resolve));
    clock.advance(due - 1);
    await turn();
    await turn();
    t.deepEqual(lost, [], 'still waiting one second before the deadline');
    clock.advance(1);
    await until(() => lost.length === 1);
    t.true(lost[0] instanceof TimeoutError, String(lost[0]));
  });
}

test('connectTLS refuses a handshakeTimeout that is not a positive finite number of seconds, before connecting', (t) => {
  const context = createDefaultContext({ ca: testCerts().ca });
  for (const handshakeTimeout of [0, -1, Number.NaN, Number.POSITIVE_INFINITY]) {
    const error = t.throws(() => connectTLS(new SelectorReactor(), '127.0.0.1', 1, echoFactory([]), { context, handshakeTimeout }));
    t.is(error?.name, 'ValueError');
    t.regex(error?.message ?? '', /handshakeTimeout/);
  }
});
