// The hostile suite against `serve chat`: clients that never read while another talks as fast as
// the server takes it. Each slow client may hold at most its backlog (1 MiB, then it is dropped).
import test from 'ava';
import { checkSample, serverFor, writeFor } from './attack-helpers.js';
import { BOUNDS } from './bounds.js';
import { openMany, underAttack } from './harness.js';

test.serial('chat: 16 clients that never read while one talks for 8 s hold at most their backlog each', async (t) => {
  t.timeout(120_000);
  const server = await serverFor(t, { server: 'chat' });
  const line = `${'x'.repeat(1000)}\n`;
  let written = 0;
  const sample = await underAttack(server, async () => {
    const deaf = await openMany(server, 16);
    for (const socket of deaf) socket.pause();
    const [talker] = await openMany(server, 1);
    if (talker === undefined) return;
    talker.on('data', () => undefined);
    written = await writeFor(talker, 8000, () => line);
    for (const socket of [...deaf, talker]) socket.destroy();
  });
  t.log(`the talker sent ${(written / 1024 / 1024).toFixed(1)} MiB`);
  checkSample(t, server, sample, BOUNDS.deafChatClients);
});
