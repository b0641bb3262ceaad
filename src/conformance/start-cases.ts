// Guarded starts, for every socket family: a factory or a connectionMade that throws costs that one
// connection (reset, reported to connectionFailed, no handler left in the reactor), and a listener
// goes on accepting (issue 16 step 3).
import assert from 'node:assert/strict';
import type { Reactor } from '../reactor/reactor.js';
import type { Factory } from '../contract/index.js';
import type { ConformanceCase } from './case.js';
import { deferred } from './deferred.js';
import { Recorder, factoryOf } from './recorder.js';

/** A factory whose every buildProtocol throws `error`; `failed` resolves with what connectionFailed heard. */
function throwingFactory(error: Error): Factory & { failed: Promise<Error> } {
  const failed = deferred<Error>();
  return {
    failed: failed.promise,
    buildProtocol() {
      throw error;
    },
    connectionFailed: (reason) => failed.resolve(reason),
  };
}

/** A Recorder whose connectionMade throws `error` (after recording 'made'). */
function throwingRecorder(error: Error): Recorder {
  return new Recorder({
    onMade: () => {
      throw error;
    },
  });
}

function assertNoHandlers(reactor: Reactor): void {
  assert.deepEqual(
    { readers: reactor.readers.size, writers: reactor.writers.size, errorWatchers: reactor.errorWatchers.size },
    { readers: 0, writers: 0, errorWatchers: 0 },
    'the reactor keeps no handler of the failed connection',
  );
}

/** The cases of guarded connection starts, run per family. */
export const START_CASES: readonly ConformanceCase[] = [
  {
    name: 'a client factory that throws: connectionFailed hears it, the connection is reset, the server sees the close',
    perFamily: true,
    async run({ reactor, family, runUntil }) {
      const boom = new Error('buildProtocol failed');
      const server = new Recorder();
      const client = throwingFactory(boom);
      await family.connectPair(reactor, factoryOf(server), client);
      assert.equal(await runUntil(client.failed, 'connectionFailed'), boom);
      await runUntil(server.lost, 'the server to see the close');
      assertNoHandlers(reactor);
    },
  },
  {
    name: 'a server connectionMade that throws: connectionFailed hears it, the client sees the close, nothing is left',
    perFamily: true,
    async run({ reactor, family, runUntil }) {
      const boom = new Error('connectionMade failed');
      const serverFactory = factoryOf(throwingRecorder(boom));
      const client = new Recorder();
      await family.connectPair(reactor, serverFactory, factoryOf(client));
      assert.equal(await runUntil(serverFactory.failed, 'connectionFailed'), boom);
      await runUntil(client.lost, 'the client to see the close');
      assertNoHandlers(reactor);
    },
  },
  {
    name: 'a listener goes on after a factory and a connectionMade threw for earlier connections',
    perFamily: true,
    requires: ['listen'],
    async run({ reactor, family, runUntil, defer }) {
      const { listen, connect } = family;
      if (listen === undefined || connect === undefined) throw new Error(`${family.name} cannot listen`);
      const failures: Error[] = [];
      const builds = [
        () => {
          throw new Error('first: buildProtocol failed');
        },
        () => throwingRecorder(new Error('second: connectionMade failed')),
        () => new Recorder({ onData: (data, transport) => transport.write(data) }),
      ];
      const port = await listen(reactor, {
        buildProtocol: () => (builds.shift() ?? (() => new Recorder()))(),
        connectionFailed: (reason) => failures.push(reason),
      });
      defer(() => port.stopListening());
      for (const _ of [1, 2]) {
        const dropped = new Recorder();
        connect(reactor, port, factoryOf(dropped));
        await runUntil(dropped.lost, 'the dropped client to see the close');
      }
      assert.deepEqual(failures.map((error) => error.message), ['first: buildProtocol failed', 'second: connectionMade failed']);
      const served = new Recorder({ onMade: (transport) => transport.write(Buffer.from('still listening')) });
      connect(reactor, port, factoryOf(served));
      await runUntil(served.receivedAtLeast(15), 'the echo from the third connection');
      assert.equal(served.data().toString(), 'still listening');
      assert.equal(port.connectionCount, 1);
      served.transport?.close();
      await runUntil(served.lost, 'the close');
    },
  },
];
