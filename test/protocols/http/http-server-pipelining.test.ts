// Issue 13.1: pipelined requests are answered by a loop, never by a call chain that grows with the
// pipeline's depth (about 900 requests in one write used to overflow the stack and reset the connection).
import test from 'ava';
import { httpFactory } from '../../../src/protocols/apps/http-app.js';
import { serveForTest } from '../../helpers/reactor-server.js';
import { connected, readResponses } from './raw-client.js';

/** `count` GETs of /bytes/<i % 7> in one buffer: the answers' lengths show their order. */
function pipeline(count: number): Buffer {
  const parts: string[] = [];
  for (let i = 0; i < count; i++) parts.push(`GET /bytes/${i % 7} HTTP/1.1\r\nHost: x\r\n\r\n`);
  return Buffer.from(parts.join(''));
}

async function answersInOrder(port: number, count: number): Promise<boolean> {
  const socket = await connected(port);
  try {
    const reading = readResponses(socket, count);
    socket.write(pipeline(count));
    const responses = await reading;
    return responses.length === count && responses.every((r, i) => r.status === 200 && r.bodyLength === i % 7);
  } finally {
    socket.destroy();
  }
}

test('HTTP server answers 100,000 pipelined GETs sent in one write, in order', async (t) => {
  const running = await serveForTest((scheduler) => httpFactory({ scheduler }));
  t.teardown(() => running.stop());
  t.true(await answersInOrder(running.port, 100_000));
});

test('HTTP server answers eight connections of 10,000 pipelined GETs each and stays up', async (t) => {
  const running = await serveForTest((scheduler) => httpFactory({ scheduler }));
  t.teardown(() => running.stop());
  const results = await Promise.all(Array.from({ length: 8 }, () => answersInOrder(running.port, 10_000)));
  t.deepEqual(results, Array.from({ length: 8 }, () => true));
  t.true(await answersInOrder(running.port, 1));
});
