// Issue 13.8: a client refused for --max-connections must not hold a server descriptor until it
// closes. It gets the refusal and a FIN, then lingers at most 2 s (on the reactor's ManualClock
// here), 64 KiB of input, and at most 64 refused connections linger at once.
import test from 'ava';
import type { ExecutionContext } from 'ava';
import * as net from 'node:net';
import { type Factory, type ListeningPort, ManualClock, SelectorReactor, listenTCP } from '../../src/index.js';
import { REFUSAL_LIMITS, lingeringRefusals } from '../../src/transports/connection/refused-connection.js';
import { runUntilTeardown } from '../helpers/running-reactor.js';

const REFUSAL = '-ERR max number of clients reached\r\n';

interface Server {
  readonly port: number;
  readonly listening: ListeningPort;
  readonly clock: ManualClock;
  readonly reactor: SelectorReactor;
  /** Resolves after the reactor has run two more iterations (timers due now have run). */
  readonly settled: () => Promise<void>;
}

const holder: Factory = {
  buildProtocol: () => ({ connectionMade() {}, dataReceived() {}, connectionLost() {} }),
  refusal: () => Buffer.from(REFUSAL),
};

async function serveLimited(t: ExecutionContext): Promise<Server> {
  const clock = new ManualClock();
  const reactor = new SelectorReactor({ clock });
  const listening = await listenTCP(reactor, 0, holder, { maxConnections: 1 });
  runUntilTeardown(t, reactor, listening);
  const turn = (): Promise<void> => new Promise<void>((resolve) => reactor.callSoon(resolve));
  const port = Number(Array.isArray(listening.address) ? listening.address[1] : 0);
  return { port, listening, clock, reactor, settled: async () => {
    await turn();
    await turn();
  } };
}

interface Client {
  readonly socket: net.Socket;
  /** What the server sent, up to its FIN. */
  readonly answer: Promise<string>;
  /** Resolves when the server has closed the connection entirely (FIN read, then close). */
  readonly closed: Promise<void>;
  isClosed: boolean;
}

async function client(t: ExecutionContext, port: number): Promise<Client> {
  const socket = net.connect({ host: '127.0.0.1', port, allowHalfOpen: true });
  socket.on('error', () => undefined);
  t.teardown(() => socket.destroy());
  await new Promise<void>((resolve) => socket.once('connect', () => resolve()));
  let text = '';
  socket.on('data', (chunk: Buffer) => (text += chunk.toString()));
  const answer = new Promise<string>((resolve) => socket.once('end', () => resolve(text)));
  const state: Client = { socket, answer, closed: Promise.resolve(), isClosed: false };
  // An EPIPE or ECONNRESET on a write says the server's descriptor is gone ('close' follows later).
  socket.on('error', () => (state.isClosed = true));
  return Object.assign(state, {
    closed: new Promise<void>((resolve) => socket.once('close', () => {
      state.isClosed = true;
      resolve();
    })),
  });
}

/**
 * Resolves once the server's descriptor is gone: Node notices the RST its kernel sends only on a
 * later write (after EOF it no longer reads), so write a byte at a time until the socket closes.
 */
async function serverHasClosed(c: Client): Promise<void> {
  for (let i = 0; i < 10_000 && !c.isClosed; i++) {
    await new Promise<void>((resolve) => c.socket.write('x', () => resolve()));
  }
  await c.closed;
}

/** Resolves once `condition()` holds, looked at on each turn of the event loop. */
async function until(condition: () => boolean): Promise<void> {
  while (!condition()) await new Promise<void>((resolve) => setImmediate(resolve));
}

test.serial('a refused client that never closes is answered, sent a FIN, and let go after 2 s, not before', async (t) => {
  t.timeout(30_000);
  const server = await serveLimited(t);
  await client(t, server.port);
  await until(() => server.listening.connectionCount === 1);
  const polite = await client(t, server.port);
  t.is(await polite.answer, REFUSAL);
  // The server's end stays open (half-closed) only until the client's EOF.
  await until(() => lingeringRefusals(server.reactor) === 1);
  polite.socket.end();
  await until(() => lingeringRefusals(server.reactor) === 0);

  const stubborn = await client(t, server.port);
  t.is(await stubborn.answer, REFUSAL);
  await until(() => lingeringRefusals(server.reactor) === 1);
  server.clock.advance(REFUSAL_LIMITS.lingerSeconds - 0.5);
  await server.settled();
  t.is(lingeringRefusals(server.reactor), 1, 'still lingering before the deadline');
  server.clock.advance(0.5);
  await server.settled();
  t.is(lingeringRefusals(server.reactor), 0);
  // The server closed without the client's EOF: writes now are answered with an RST.
  await serverHasClosed(stubborn);
  t.true(stubborn.isClosed);
  t.is(server.listening.connectionCount, 1, 'the served connection is untouched');
});

test.serial('a refused client that keeps sending is cut off past 64 KiB', async (t) => {
  t.timeout(30_000);
  const server = await serveLimited(t);
  await client(t, server.port);
  await until(() => server.listening.connectionCount === 1);
  const flooder = await client(t, server.port);
  t.is(await flooder.answer, REFUSAL);
  const chunk = Buffer.alloc(16 * 1024, 0x61);
  for (let i = 0; i < 5 && !flooder.isClosed; i++) flooder.socket.write(chunk);
  await until(() => lingeringRefusals(server.reactor) === 0);
  await serverHasClosed(flooder);
  t.true(flooder.isClosed, 'closed by the server without its client closing');
});

test.serial('at most 64 refused connections linger at once: 200 silent refused clients', async (t) => {
  t.timeout(60_000);
  const server = await serveLimited(t);
  await client(t, server.port);
  await until(() => server.listening.connectionCount === 1);
  const refused: Client[] = [];
  let peak = 0;
  for (let i = 0; i < 200; i++) {
    refused.push(await client(t, server.port));
    peak = Math.max(peak, lingeringRefusals(server.reactor));
  }
  const answers = await Promise.all(refused.map((c) => c.answer));
  t.true(answers.every((answer) => answer === REFUSAL));
  t.true(peak <= REFUSAL_LIMITS.maxLingering, `peak ${peak}`);
  await until(() => lingeringRefusals(server.reactor) === REFUSAL_LIMITS.maxLingering);
  server.clock.advance(REFUSAL_LIMITS.lingerSeconds);
  await until(() => lingeringRefusals(server.reactor) === 0);
  // Every refused connection is closed on the server's side although no client closed its own.
  await Promise.all(refused.map((c) => serverHasClosed(c)));
  t.is(server.listening.connectionCount, 1);
});
