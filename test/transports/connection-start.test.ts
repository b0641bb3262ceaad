// Every new connection starts through one guarded path (issue 16 step 3): a factory or connectionMade
// that throws resets that connection, tells connectionFailed, leaves no descriptor and no reactor
// handler behind, and a listener goes on. The conformance suite checks the same per family; these
// check the endpoints one by one, descriptors included.
import test from 'ava';
import type { Reactor } from '../../src/reactor/reactor.js';
import type { ExecutionContext } from 'ava';
import { readdirSync } from 'node:fs';
import * as net from 'node:net';
import { once } from 'node:events';
import { join } from 'node:path';
import { Recorder, factoryOf } from '../../src/conformance/recorder.js';
import { runningReactor } from '../helpers/running-reactor.js';
import { connectTCP, connectUnix, listenTCP, listenUnix, serveConnection } from '../../src/transports/endpoints.js';
import type { Factory } from '../../src/contract/index.js';
import { tempDir } from '../helpers/sockets.js';

interface Failing extends Factory {
  readonly failures: Error[];
  readonly failed: Promise<Error>;
}

/** A factory whose buildProtocol throws `error`, recording what connectionFailed hears. */
function throwingFactory(error: Error): Failing {
  const failures: Error[] = [];
  let heard: (reason: Error) => void = () => {};
  const failed = new Promise<Error>((resolve) => (heard = resolve));
  return {
    failures,
    failed,
    buildProtocol() {
      throw error;
    },
    connectionFailed(reason) {
      failures.push(reason);
      heard(reason);
    },
  };
}

/** A reactor running until the test ends. */
function openDescriptors(): number {
  return readdirSync('/proc/self/fd').length;
}

/** Waits, bounded, until this process holds at most `count` descriptors (libuv closes handles a turn later). */
async function descriptorsBackTo(t: ExecutionContext, count: number): Promise<void> {
  for (let turn = 0; turn < 1000 && openDescriptors() > count; turn++) await new Promise((resolve) => setImmediate(resolve));
  t.true(openDescriptors() <= count, `descriptors: ${openDescriptors()} open, ${count} before the connection`);
}

function handlerCounts(reactor: Reactor): { readers: number; writers: number; errorWatchers: number } {
  return { readers: reactor.readers.size, writers: reactor.writers.size, errorWatchers: reactor.errorWatchers.size };
}

test('connectTCP with a throwing buildProtocol: connectionFailed, client reset, server sees the close, no handler left', async (t) => {
  const reactor = runningReactor(t);
  const server = new Recorder();
  const port = await listenTCP(reactor, 0, factoryOf(server));
  t.teardown(() => port.stopListening());
  const before = openDescriptors();
  const boom = new Error('buildProtocol failed');
  const client = throwingFactory(boom);
  const address = port.address;
  if (!Array.isArray(address)) throw new TypeError('a TCP port has a tuple address');
  connectTCP(reactor, '127.0.0.1', address[1], client);
  t.is(await client.failed, boom);
  t.deepEqual(client.failures, [boom]);
  const reason = await server.lost;
  t.log(`the server saw: ${String(reason)}`);
  t.deepEqual(handlerCounts(reactor), { readers: 1, writers: 0, errorWatchers: 0 }, 'only the listener is left');
  t.is(port.connectionCount, 0);
  await descriptorsBackTo(t, before);
});

test('connectUnix with a throwing buildProtocol: connectionFailed, the server sees the close, no handler left', async (t) => {
  const reactor = runningReactor(t);
  const server = new Recorder();
  const path = join(tempDir(t), 'guarded.sock');
  const port = await listenUnix(reactor, path, factoryOf(server));
  t.teardown(() => port.stopListening());
  const before = openDescriptors();
  const boom = new Error('buildProtocol failed');
  const client = throwingFactory(boom);
  connectUnix(reactor, path, client);
  t.is(await client.failed, boom);
  await server.lost;
  t.deepEqual(handlerCounts(reactor), { readers: 1, writers: 0, errorWatchers: 0 });
  await descriptorsBackTo(t, before);
});

test('A listener whose connectionMade throws resets that client, tells connectionFailed, and serves the next', async (t) => {
  const reactor = runningReactor(t);
  const boom = new Error('connectionMade failed');
  const failures: Error[] = [];
  let builds = 0;
  const port = await listenTCP(reactor, 0, {
    buildProtocol: () => {
      builds += 1;
      if (builds === 1) {
        return new Recorder({
          onMade: () => {
            throw boom;
          },
        });
      }
      return new Recorder({ onData: (data, transport) => transport.write(data) });
    },
    connectionFailed: (reason) => failures.push(reason),
  });
  t.teardown(() => port.stopListening());
  const address = port.address;
  if (!Array.isArray(address)) throw new TypeError('a TCP port has a tuple address');
  const dropped = new Recorder();
  connectTCP(reactor, '127.0.0.1', address[1], factoryOf(dropped));
  await dropped.lost;
  t.deepEqual(failures, [boom]);
  t.is(port.connectionCount, 0);
  const served = new Recorder({ onMade: (transport) => transport.write(Buffer.from('next')) });
  connectTCP(reactor, '127.0.0.1', address[1], factoryOf(served));
  await served.receivedAtLeast(4);
  t.is(served.data().toString(), 'next');
  served.transport?.close();
  await served.lost;
});

test('serveConnection with a throwing factory returns a closed transport and tells connectionFailed; the peer sees the close', async (t) => {
  const reactor = runningReactor(t);
  const server = net.createServer({ pauseOnConnect: true });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  t.teardown(() => server.close());
  const address = server.address();
  if (address === null || typeof address === 'string') throw new TypeError('a TCP server has an address object');
  const peer = net.connect(address.port, '127.0.0.1');
  t.teardown(() => peer.destroy());
  peer.on('error', () => {}); // the reset reaches the peer as ECONNRESET
  const closed = new Promise((resolve) => peer.once('close', resolve)); // once() would reject on the 'error'
  const [[accepted]] = (await Promise.all([once(server, 'connection'), once(peer, 'connect')])) as [[net.Socket], unknown];
  const boom = new Error('buildProtocol failed');
  const factory = throwingFactory(boom);
  const transport = serveConnection(reactor, accepted, factory);
  t.true(transport.isClosing);
  t.is(transport.selectable.fileno(), -1);
  t.deepEqual(factory.failures, [boom]);
  await closed;
  t.deepEqual(handlerCounts(reactor), { readers: 0, writers: 0, errorWatchers: 0 });
});
