// An echo server under random faults (fixed seed): random chunk sizes, random pauses in reading,
// random resets of some clients. Every client that was not reset receives exactly what it sent.
import test from 'ava';
import { connect } from 'node:net';
import { echoFactory } from '../../src/protocols/apps/echo.js';
import { serveForTest } from '../helpers/reactor-server.js';

function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

interface Outcome {
  readonly reset: boolean;
  readonly sent: Buffer;
  readonly received: Buffer;
}

function client(port: number, random: () => number, index: number): Promise<Outcome> {
  const size = 1 + Math.floor(random() * 512 * 1024);
  const sent = Buffer.alloc(size);
  for (let i = 0; i < size; i++) sent[i] = (i * 13 + index) & 0xff;
  const willReset = random() < 0.2;
  const resetAfter = Math.floor(random() * size);
  const pauses = Array.from({ length: 8 }, () => random() < 0.5);
  const chunkSizes = Array.from({ length: 64 }, () => 1 + Math.floor(random() * 32 * 1024));
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    const chunks: Buffer[] = [];
    let received = 0;
    let reads = 0;
    socket.on('error', () => {});
    socket.on('data', (d: Buffer) => {
      chunks.push(d);
      received += d.length;
      reads += 1;
      if (willReset && received >= resetAfter) {
        socket.resetAndDestroy();
        return;
      }
      // Random pauses in reading: stop for a turn of the event loop, so TCP backs up.
      if (pauses[reads % pauses.length] === true) {
        socket.pause();
        setImmediate(() => socket.resume());
      }
    });
    socket.on('close', () => resolve({ reset: willReset, sent, received: Buffer.concat(chunks) }));
    socket.on('connect', () => {
      let offset = 0;
      let n = 0;
      const writeMore = (): void => {
        while (offset < size) {
          const len = Math.min(chunkSizes[n++ % chunkSizes.length] ?? 1024, size - offset);
          const more = socket.write(sent.subarray(offset, offset + len));
          offset += len;
          if (!more) {
            socket.once('drain', writeMore);
            return;
          }
        }
        socket.end();
      };
      writeMore();
    });
  });
}

test('echo under random faults: every client not reset gets exactly its bytes back, in order', async (t) => {
  const server = await serveForTest(() => echoFactory());
  t.teardown(() => server.stop());
  const random = mulberry32(20261201);
  const outcomes = await Promise.all(Array.from({ length: 40 }, (_, i) => client(server.port, random, i)));
  const intact = outcomes.filter((o) => !o.reset);
  t.true(intact.length >= 20, `${intact.length} clients ran without reset`);
  for (const o of intact) t.true(o.received.equals(o.sent), `a client got ${o.received.length} of ${o.sent.length} bytes`);
  t.true(outcomes.some((o) => o.reset), 'some clients were reset');
});
