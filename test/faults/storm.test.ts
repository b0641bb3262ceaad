// A connection storm: 2,000 connects and disconnects in a burst. The server's open-connection count
// returns to zero and no file descriptor leaks (counted in /proc/self/fd before and after).
import test from 'ava';
import { readdirSync } from 'node:fs';
import { connect } from 'node:net';
import { echoFactory } from '../../src/protocols/apps/echo.js';
import { serveForTest } from '../helpers/reactor-server.js';

const openFds = (): number => readdirSync('/proc/self/fd').length;

async function until(condition: () => boolean, what: string): Promise<void> {
  // Bounded by turns of the event loop, not by time: the reactor runs in this process.
  for (let turn = 0; turn < 200000; turn++) {
    if (condition()) return;
    await new Promise<void>((resolve) => setImmediate(resolve));
  }
  throw new Error(`never happened: ${what}`);
}

test('2,000 connects and disconnects in a burst leave no connection and no descriptor behind', async (t) => {
  const server = await serveForTest(() => echoFactory());
  t.teardown(() => server.stop());
  const before = openFds();
  const total = 2000;
  let closed = 0;
  let echoed = 0;
  const batch = 250;
  for (let start = 0; start < total; start += batch) {
    await Promise.all(
      Array.from({ length: batch }, (_, i) =>
        new Promise<void>((resolve) => {
          const socket = connect(server.port, '127.0.0.1');
          socket.on('error', () => {});
          socket.on('data', () => {
            echoed += 1;
            // Half of them reset, half close cleanly: both must be cleaned up.
            if ((start + i) % 2 === 0) socket.resetAndDestroy();
            else socket.end();
          });
          socket.on('close', () => {
            closed += 1;
            resolve();
          });
          socket.write('x');
        }),
      ),
    );
  }
  t.is(closed, total);
  t.is(echoed, total);
  await until(() => server.listening.connectionCount === 0, 'the server to close every connection');
  await until(() => openFds() <= before, `descriptors back to ${before} (now ${openFds()})`);
  t.is(server.listening.connectionCount, 0);
  t.true(openFds() <= before);
});
