// A throttled echo server on a real loopback socket: what the client sends comes back complete and
// in order, however the windows cut it. No timing is asserted (the manual-clock tests do that).
import test from 'ava';
import { connect } from 'node:net';
import { echoFactory } from '../../src/protocols/apps/echo.js';
import { throttled } from '../../src/protocols/throttle.js';
import { serveForTest } from '../helpers/reactor-server.js';

test('a throttled echo server over TCP returns every byte a client sent, then half-closes', async (t) => {
  // 20,000 bytes per 50 ms window each way: the payload spans several windows in both directions.
  const server = await serveForTest((scheduler) =>
    throttled(echoFactory(), { readBytesPerSecond: 400_000, writeBytesPerSecond: 400_000, windowSeconds: 0.05, scheduler }),
  );
  t.teardown(() => server.stop());
  const payload = Buffer.from(Array.from({ length: 150_000 }, (_, i) => (i * 31) % 256));
  const echoed = await new Promise<Buffer>((resolve, reject) => {
    const client = connect(server.port, '127.0.0.1');
    t.teardown(() => client.destroy());
    const chunks: Buffer[] = [];
    client.on('data', (d: Buffer) => chunks.push(d));
    client.on('end', () => resolve(Buffer.concat(chunks)));
    client.on('error', reject);
    client.end(payload);
  });
  t.is(echoed.length, payload.length);
  t.true(echoed.equals(payload));
});
