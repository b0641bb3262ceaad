// Guarded starts over TLS (issue 16 step 3): listenTLS and connectTLS start connections through the
// same guarded path as TCP, so a throwing factory or connectionMade costs that connection alone.
import test from 'ava';
import type { Reactor } from '../../../src/reactor/reactor.js';
import type { ExecutionContext } from 'ava';
import { Recorder, factoryOf } from '../../../src/conformance/recorder.js';
import { runningReactor } from '../../helpers/running-reactor.js';
import type { Factory } from '../../../src/contract/index.js';
import { connectTLS, listenTLS } from '../../../src/transports/tls/endpoints-tls.js';
import { TLSContext, createDefaultContext } from '../../../src/transports/tls/tls-context.js';
import { testCerts } from '../../helpers/tls-certs.js';

async function serveTLS(t: ExecutionContext, reactor: Reactor, factory: Factory): Promise<number> {
  const certs = testCerts();
  const context = new TLSContext('server', { cert: certs.server.cert, key: certs.server.key });
  const port = await listenTLS(reactor, 0, factory, { context });
  t.teardown(() => port.stopListening());
  const address = port.address;
  if (!Array.isArray(address)) throw new TypeError('a TCP port has a tuple address');
  return address[1];
}

function clientContext(): TLSContext {
  return createDefaultContext({ cafile: testCerts().caFile });
}

test('connectTLS with a throwing buildProtocol: connectionFailed hears it, the server sees the close, no handler left', async (t) => {
  const reactor = runningReactor(t);
  const server = new Recorder();
  const port = await serveTLS(t, reactor, factoryOf(server));
  const boom = new Error('buildProtocol failed');
  const failures: Error[] = [];
  let heard: () => void = () => {};
  const failed = new Promise<void>((resolve) => (heard = resolve));
  connectTLS(reactor, 'localhost', port, { buildProtocol: () => { throw boom; }, connectionFailed: (reason) => { failures.push(reason); heard(); } }, { context: clientContext() });
  await failed;
  t.deepEqual(failures, [boom]);
  await server.lost;
  t.deepEqual([reactor.readers.size, reactor.writers.size, reactor.errorWatchers.size], [1, 0, 0], 'only the listener is left');
});

test('listenTLS whose connectionMade throws: connectionFailed hears it, the client sees the close', async (t) => {
  const reactor = runningReactor(t);
  const boom = new Error('connectionMade failed');
  const failures: Error[] = [];
  const port = await serveTLS(t, reactor, {
    buildProtocol: () => new Recorder({ onMade: () => { throw boom; } }),
    connectionFailed: (reason) => failures.push(reason),
  });
  const client = new Recorder();
  connectTLS(reactor, 'localhost', port, factoryOf(client), { context: clientContext() });
  const reason = await client.lost;
  t.log(`the client saw: ${String(reason)}`);
  t.deepEqual(failures, [boom]);
  t.deepEqual([reactor.readers.size, reactor.writers.size, reactor.errorWatchers.size], [1, 0, 0], 'only the listener is left');
});
