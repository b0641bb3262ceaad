// Crash-only is not an answer (issue 13): a protocol that throws (a bug in its dataReceived or
// connectionLost; a throwing connectionMade is startConnection's, tested in test/transports) costs
// its own connection, the error is reported once, and the listener and every other connection go
// on: over TCP, a Unix socket and TLS, with real clients.
import test from 'ava';
import type { ExecutionContext } from 'ava';
import * as net from 'node:net';
import * as tls from 'node:tls';
import { join } from 'node:path';
import { type Factory, type ListeningPort, type Protocol, type Transport, SelectorReactor, TLSContext, listenTCP, listenTLS, listenUnix } from '../../src/index.js';
import { tempDir } from '../helpers/sockets.js';
import { testCerts } from '../helpers/tls-certs.js';

type Family = 'tcp' | 'unix' | 'tls';
type Fault = 'dataReceived' | 'connectionLost';

class Planted extends Error {
  override name = 'Planted';
}

/** Echoes each chunk; a chunk saying "boom", or the connection numbered `failing`, hits the planted fault. */
function faultyEcho(fault: Fault, failing: number): Factory {
  let made = 0;
  return {
    buildProtocol(): Protocol {
      const number = made++;
      let transport: Transport | undefined;
      return {
        connectionMade(t) {
          transport = t;
        },
        dataReceived(data) {
          if (fault === 'dataReceived' && Buffer.from(data).includes('boom')) throw new Planted('dataReceived failed');
          transport?.write(data);
        },
        connectionLost() {
          if (fault === 'connectionLost' && number === failing) throw new Planted('connectionLost failed');
        },
      };
    },
  };
}

interface Served {
  readonly connect: () => net.Socket;
  readonly reports: { error: unknown; context: string }[];
}

async function serve(t: ExecutionContext, family: Family, factory: Factory): Promise<Served> {
  const reports: { error: unknown; context: string }[] = [];
  const reactor = new SelectorReactor({ onError: (error, context) => reports.push({ error, context }) });
  let port: ListeningPort;
  let connect: () => net.Socket;
  if (family === 'unix') {
    const path = join(tempDir(t), 's.sock');
    port = await listenUnix(reactor, path, factory);
    connect = () => net.connect({ path });
  } else if (family === 'tcp') {
    port = await listenTCP(reactor, 0, factory);
    const at = Number(Array.isArray(port.address) ? port.address[1] : 0);
    connect = () => net.connect({ host: '127.0.0.1', port: at });
  } else {
    const certs = testCerts();
    const context = new TLSContext('server', { cert: certs.server.cert, key: certs.server.key });
    port = await listenTLS(reactor, 0, factory, { context });
    const at = Number(Array.isArray(port.address) ? port.address[1] : 0);
    connect = () => tls.connect({ host: '127.0.0.1', port: at, ca: certs.ca, servername: 'localhost' });
  }
  const running = reactor.run();
  const clients: net.Socket[] = [];
  t.teardown(async () => {
    for (const client of clients) client.destroy();
    port.stopListening();
    port.closeConnections();
    reactor.stop();
    await running;
  });
  return {
    reports,
    connect: () => {
      const client = connect();
      client.on('error', () => undefined);
      clients.push(client);
      return client;
    },
  };
}

/** Sends `text` and resolves with what comes back once `text.length` bytes have. */
function echoOf(client: net.Socket, text: string): Promise<string> {
  return new Promise((resolve, reject) => {
    let got = '';
    const onData = (chunk: Buffer): void => {
      got += chunk.toString();
      if (got.length < text.length) return;
      client.off('data', onData);
      resolve(got);
    };
    client.on('data', onData);
    client.once('close', () => reject(new Error(`closed after ${JSON.stringify(got)}`)));
    client.write(text);
  });
}

/** Resolves once the server has ended the client's connection (EOF, reset or close). */
function ended(client: net.Socket): Promise<void> {
  return new Promise((resolve) => {
    if (client.destroyed) resolve();
    client.once('close', () => resolve());
    client.once('end', () => resolve());
    client.resume();
  });
}

/** Resolves once `reports` has at least `count` entries, checked on each turn of the event loop. */
async function reported(served: Served, count: number): Promise<void> {
  while (served.reports.length < count) await new Promise<void>((resolve) => setImmediate(resolve));
}

for (const family of ['tcp', 'unix', 'tls'] as const) {
  test.serial(`${family}: a dataReceived that throws closes its own connection, is reported once, and the others are served`, async (t) => {
    t.timeout(30_000, 'an ended connection or a report never came');
    const served = await serve(t, family, faultyEcho('dataReceived', -1));
    const bystander = served.connect();
    t.is(await echoOf(bystander, 'before'), 'before');
    const victim = served.connect();
    t.is(await echoOf(victim, 'hello'), 'hello');
    victim.write('boom');
    await ended(victim);
    await reported(served, 1);
    t.is(await echoOf(bystander, 'after'), 'after');
    t.is(await echoOf(served.connect(), 'newcomer'), 'newcomer');
    t.is(served.reports.length, 1, served.reports.map((r) => r.context).join('; '));
    t.true(served.reports[0]?.error instanceof Planted);
    t.regex(served.reports[0]?.context ?? '', /readReady\(\) threw; handed to its handlerFailed\(\) \(a connection closes/);
  });

  test.serial(`${family}: a connectionLost that throws is reported once and the listener goes on`, async (t) => {
    t.timeout(30_000, 'an ended connection or a report never came');
    const served = await serve(t, family, faultyEcho('connectionLost', 0));
    const victim = served.connect();
    t.is(await echoOf(victim, 'x'), 'x');
    victim.end();
    await reported(served, 1);
    t.is(await echoOf(served.connect(), 'next'), 'next');
    t.is(served.reports.length, 1);
    t.true(served.reports[0]?.error instanceof Planted);
  });
}

test.serial('a listener whose readReady throws is reported once (not again on stderr), closes what it accepted, and keeps listening', async (t) => {
  t.timeout(30_000, 'the accepted connection was never closed');
  const reports: string[] = [];
  const printed: string[] = [];
  const reactor = new SelectorReactor({ onError: (error, context) => reports.push(`${context}: ${String(error)}`) });
  // A buffer size tuneConnection refuses: every accept fails after the descriptor was taken.
  const port = await listenTCP(reactor, 0, faultyEcho('dataReceived', -1), { sendBufferBytes: Number.NaN });
  const printError = console.error;
  console.error = (...args: unknown[]) => printed.push(args.map(String).join(' '));
  const running = reactor.run();
  try {
    const client = net.connect({ host: '127.0.0.1', port: Number(Array.isArray(port.address) ? port.address[1] : 0) });
    client.on('error', () => undefined);
    await ended(client);
    t.deepEqual(reports, ['ListeningHandler.readReady() threw; handed to its handlerFailed() (a connection closes, a listener goes on): TypeError: setsockopt: buffer size must be an integer']);
    t.deepEqual(printed, [], 'the reactor reported it; the listener does not say it again');
    // Still listening: the next arrival is accepted (and fails the same way, reported once more).
    const next = net.connect({ host: '127.0.0.1', port: Number(Array.isArray(port.address) ? port.address[1] : 0) });
    next.on('error', () => undefined);
    await ended(next);
    t.is(reports.length, 2);
  } finally {
    console.error = printError;
    port.stopListening();
    reactor.stop();
    await running;
  }
});
