// Connections through the reactor's transports, for every socket family: data both ways, refusal,
// half-close, close and abort, flow control in both directions, and many connections at once.
import assert from 'node:assert/strict';
import { TransportClosedError } from '../contract/index.js';
import type { ConformanceCase } from './case.js';
import { Recorder, factoryOf } from './recorder.js';

const MiB = 1024 * 1024;

function pattern(size: number, seed = 0): Buffer {
  const out = Buffer.allocUnsafe(size);
  for (let i = 0; i < size; i++) out[i] = (i * 31 + seed) & 0xff;
  return out;
}

/** The cases that connect through the reactor's transports, run per family. */
export const CONNECTION_CASES: readonly ConformanceCase[] = [
  {
    name: 'data written by each side arrives at the other, then a clean close',
    perFamily: true,
    async run({ reactor, family, runUntil }) {
      const server = new Recorder({ onData: (data, t) => t.write(data) });
      const client = new Recorder({ onMade: (t) => t.write(Buffer.from('hello, switchboard')) });
      await family.connectPair(reactor, factoryOf(server), factoryOf(client));
      await runUntil(client.receivedAtLeast(18), 'the echo');
      assert.equal(client.data().toString(), 'hello, switchboard');
      client.transport?.close();
      const reason = await runUntil(server.lost, 'the server to see the close');
      assert.equal(reason, undefined);
      assert.equal(await runUntil(client.lost, 'the client to close'), undefined);
    },
  },
  {
    name: 'a refused connection reaches the factory as ConnectionRefusedError',
    perFamily: true,
    requires: ['listen'],
    async run({ reactor, family, runUntil, defer }) {
      const target = family.refusingTarget?.();
      if (target === undefined) throw new Error(`${family.name} has no refusing target`);
      defer(() => target.release());
      const factory = factoryOf(new Recorder());
      target.connect(reactor, factory);
      const reason = await runUntil(factory.failed, 'the refusal');
      assert.equal(reason.name, 'ConnectionRefusedError');
    },
  },
  {
    name: 'half-close both ways: each side reads EOF and can still write until it closes',
    perFamily: true,
    async run({ reactor, family, runUntil }) {
      const server = new Recorder({
        keepOpenOnEOF: true,
        onEOF: (t) => {
          t.write(Buffer.from('reply after your EOF'));
          t.writeEOF();
        },
      });
      const client = new Recorder({
        keepOpenOnEOF: true,
        onMade: (t) => {
          t.write(Buffer.from('request'));
          t.writeEOF();
        },
      });
      await family.connectPair(reactor, factoryOf(server), factoryOf(client));
      await runUntil(client.eof, "the server's EOF");
      assert.equal(server.data().toString(), 'request');
      assert.equal(client.data().toString(), 'reply after your EOF');
      await runUntil(Promise.all([client.lost, server.lost]), 'both to close');
      assert.deepEqual(client.events, ['made', 'eof', 'lost']);
      assert.deepEqual([client.lostReason, server.lostReason], [undefined, undefined]);
    },
  },
  {
    name: 'close() with 4 MiB still queued delivers every byte before the EOF',
    perFamily: true,
    async run({ reactor, family, runUntil }) {
      const payload = pattern(4 * MiB, 7);
      const server = new Recorder({
        onMade: (t) => {
          t.write(payload);
          t.close();
        },
      });
      const client = new Recorder();
      await family.connectPair(reactor, factoryOf(server), factoryOf(client));
      await runUntil(client.lost, 'the close');
      assert.equal(client.received, payload.length);
      assert.ok(client.data().equals(payload), 'the bytes arrive intact and in order');
      assert.deepEqual(client.events, ['made', 'eof', 'lost']);
    },
  },
  {
    name: 'abort() closes at once: this side hears ConnectionAbortedError, the peer an error',
    perFamily: true,
    async run({ reactor, family, runUntil }) {
      const server = new Recorder({ onData: (_d, t) => t.abort() });
      const client = new Recorder({ onMade: (t) => t.write(Buffer.from('x')) });
      await family.connectPair(reactor, factoryOf(server), factoryOf(client));
      const serverReason = await runUntil(server.lost, 'the abort');
      assert.equal(serverReason?.name, 'ConnectionAbortedError');
      const clientReason = await runUntil(client.lost, 'the peer to see it');
      assert.ok(clientReason === undefined || clientReason instanceof Error);
    },
  },
  {
    name: 'write after close throws TransportClosedError and nothing crashes',
    perFamily: true,
    async run({ reactor, family, runUntil }) {
      let thrown: unknown;
      const server = new Recorder({
        onMade: (t) => {
          t.close();
          try {
            t.write(Buffer.from('late'));
          } catch (error) {
            thrown = error;
          }
        },
      });
      const client = new Recorder();
      await family.connectPair(reactor, factoryOf(server), factoryOf(client));
      await runUntil(Promise.all([server.lost, client.lost]), 'both to close');
      assert.ok(thrown instanceof TransportClosedError, `write threw ${String(thrown)}`);
      assert.equal(client.received, 0);
    },
  },
  {
    name: 'pauseReading holds back a fast sender until resumeReading, and nothing is lost',
    perFamily: true,
    async run({ reactor, family, runUntil }) {
      const payload = pattern(8 * MiB, 3);
      const server = new Recorder({ onMade: (t) => t.pauseReading() });
      const client = new Recorder({ onMade: (t) => t.write(payload) });
      await family.connectPair(reactor, factoryOf(server), factoryOf(client));
      await runUntil(Promise.all([server.made, client.happened('pause')]), 'the sender to be told to pause');
      assert.equal(server.received, 0, 'a paused reader receives nothing');
      assert.ok((client.transport?.getWriteBufferSize() ?? 0) > 0, 'the data waits at the sender');
      server.transport?.resumeReading();
      await runUntil(server.receivedAtLeast(payload.length), 'everything to arrive');
      assert.ok(server.data().equals(payload));
      await runUntil(client.happened('resume'), 'the sender to be told to resume');
      client.transport?.close();
      await runUntil(server.lost, 'the close');
    },
  },
  {
    name: 'pauseWriting and resumeWriting alternate under a slow reader, starting with pause',
    perFamily: true,
    async run({ reactor, family, runUntil }) {
      const chunk = pattern(256 * 1024, 1);
      const total = 32;
      let written = 0;
      let server: Recorder | undefined;
      const writeMore = (recorder: Recorder): void => {
        const t = recorder.transport;
        while (t !== undefined && written < total && !t.isClosing) {
          t.write(chunk);
          written += 1;
          if (recorder.events.at(-1) === 'pause') return;
        }
        if (written === total) t?.close();
      };
      const client = new Recorder({ onMade: (_t, r) => writeMore(r) });
      server = new Recorder({
        onData: (_d, t, r) => {
          // Read slowly: take one chunk, then pause for one reactor turn.
          t.pauseReading();
          setImmediate(() => {
            if (!r.transport?.isClosing) t.resumeReading();
          });
        },
      });
      const resume = client.resumeWriting.bind(client);
      client.resumeWriting = () => {
        resume();
        writeMore(client);
      };
      await family.connectPair(reactor, factoryOf(server), factoryOf(client));
      await runUntil(server.lost, 'all chunks to arrive');
      assert.equal(server.received, chunk.length * total);
      const flow = client.events.filter((e) => e === 'pause' || e === 'resume');
      assert.ok(flow.length >= 2, `expected pause/resume under a slow reader, got ${flow.join(',')}`);
      flow.forEach((e, i) => assert.equal(e, i % 2 === 0 ? 'pause' : 'resume', `flow control out of order: ${flow.join(',')}`));
    },
  },
  {
    name: '1,000 echo clients at once are all served',
    perFamily: true,
    requires: ['listen'],
    async run({ reactor, family, runUntil, defer }) {
      if (family.listen === undefined || family.connect === undefined) throw new Error('no listen');
      const served: Recorder[] = [];
      const port = await family.listen(reactor, {
        buildProtocol: () => {
          const echo = new Recorder({ onData: (data, t) => t.write(data) });
          served.push(echo);
          return echo;
        },
      });
      defer(() => port.stopListening());
      const clients: Recorder[] = [];
      for (let i = 0; i < 1000; i++) {
        const message = Buffer.from(`client ${i} says hello`);
        const client = new Recorder({
          onMade: (t) => t.write(message),
          onData: (_d, t, r) => {
            if (r.received >= message.length) t.close();
          },
        });
        clients.push(client);
        family.connect(reactor, port, factoryOf(client));
      }
      await runUntil(Promise.all(clients.map((c) => c.lost)), 'every client to finish');
      clients.forEach((c, i) => assert.equal(c.data().toString(), `client ${i} says hello`));
      await runUntil(Promise.all(served.map((s) => s.lost)), 'the server to close its side');
      assert.equal(served.length, 1000);
      assert.equal(port.connectionCount, 0);
    },
  },
];
