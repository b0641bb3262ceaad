// The chat demo as a person meets it (issue 19): /who and /help are commands answered to the asker,
// listed on join, never sent to the room; generated guest names skip names taken with /nick.
import test from 'ava';
import { CHAT_COMMANDS, chatFactory } from '../../src/protocols/apps/chat.js';
import { LineClient } from '../helpers/line-client.js';
import { serveForTest } from '../helpers/reactor-server.js';

async function room(t: { teardown(fn: () => void | Promise<void>): void }) {
  const server = await serveForTest(() => chatFactory());
  t.teardown(() => server.stop());
  return async (): Promise<LineClient> => {
    const client = new LineClient(server.port);
    t.teardown(() => client.close());
    await client.waitFor(/^\* welcome, /);
    return client;
  };
}

test('chat: the greeting on join lists the commands; /help and /who answer the asker only', async (t) => {
  const join = await room(t);
  const alice = await join();
  const bob = await join();
  t.is(alice.lines[0], '* welcome, guest1; commands: /nick NAME, /who, /help');
  bob.send('/help\n');
  for (const help of CHAT_COMMANDS) t.is(await bob.waitFor(`* ${help}`), `* ${help}`);
  bob.send('/who\n');
  t.is(await bob.waitFor(/^\* here: /), '* here: guest1, guest2');
  // A line after the commands reaches alice; the commands before it did not.
  bob.send('after the commands\n');
  await alice.waitFor('guest2: after the commands');
  t.deepEqual(alice.lines.filter((l) => l.startsWith('guest2:')), ['guest2: after the commands']);
});

test('chat: a generated guest name skips a name someone took with /nick', async (t) => {
  const join = await room(t);
  const first = await join();
  const second = await join();
  first.send('/nick guest3\n');
  await first.waitFor('* you are guest3');
  second.send('/nick guest4\n');
  await second.waitFor('* you are guest4');
  const third = await join();
  t.is(third.lines[0], '* welcome, guest5; commands: /nick NAME, /who, /help');
  third.send('/who\n');
  t.is(await third.waitFor(/^\* here: /), '* here: guest3, guest4, guest5');
});
