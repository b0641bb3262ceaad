// The hostile suite against `serve echo`: a 30-day idle timeout must not wake the process every
// millisecond, and clients refused by --max-connections must not hold server descriptors.
import test from 'ava';
import * as net from 'node:net';
import { BOUNDS } from './bounds.js';
import { attackFor, cpuSecondsOf, fdsOf, openMany, probe } from './harness.js';
import { serverFor, settledFds } from './attack-helpers.js';

test.serial('echo: one idle client under --idle-timeout 2592000 (30 days) costs no CPU', async (t) => {
  t.timeout(60_000);
  const server = await serverFor(t, { server: 'echo', flags: ['--idle-timeout', '2592000'] });
  const [idle] = await openMany(server, 1);
  t.truthy(idle);
  await probe(server);
  const before = cpuSecondsOf(server.pid);
  const started = performance.now();
  await attackFor(2000);
  const share = (cpuSecondsOf(server.pid) - before) / ((performance.now() - started) / 1000);
  t.log(`CPU share with one idle client: ${(share * 100).toFixed(1)} % of a core`);
  t.true(share <= BOUNDS.longTimer.cpuShare, `${(share * 100).toFixed(1)} % of a core`);
  t.true(server.alive());
  t.true((await probe(server)) <= 2000);
});

test.serial('echo: 1,000 clients refused by --max-connections 5 that never close do not hold server descriptors', async (t) => {
  t.timeout(120_000);
  const server = await serverFor(t, { server: 'echo', flags: ['--max-connections', '5'] });
  const base = fdsOf(server.pid);
  const served = await openMany(server, 5);
  await Promise.all(served.map((socket) => new Promise<void>((resolve) => {
    socket.once('data', () => resolve());
    socket.write('held\n');
  })));
  const refused: net.Socket[] = [];
  let peak = 0;
  for (let i = 0; i < 1000; i++) {
    // Clients that neither read nor close (Node's default answers the server's FIN with its own,
    // which would let the unfixed server go).
    const socket = net.connect({ host: '127.0.0.1', port: server.port, allowHalfOpen: true });
    socket.on('error', () => undefined);
    socket.pause();
    refused.push(socket);
    if (i % 50 === 49) {
      await new Promise<void>((resolve) => socket.once('connect', () => resolve()));
      peak = Math.max(peak, fdsOf(server.pid));
    }
  }
  for (let i = 0; i < 40; i++) {
    peak = Math.max(peak, fdsOf(server.pid));
    await attackFor(50);
  }
  const after = await settledFds(server, base, BOUNDS.refusals.fdsAfter);
  t.log(`descriptors: idle ${base}, peak ${peak} with 5 served and 1,000 refused, ${after} once refusals linger out`);
  t.true(server.alive());
  t.true(peak - base <= BOUNDS.refusals.peakFds, `peak ${peak - base} over idle`);
  t.true(after - base <= BOUNDS.refusals.fdsAfter, `${after - base} over idle while 1,000 refused clients are still connected`);
  for (const socket of [...served, ...refused]) socket.destroy();
});
