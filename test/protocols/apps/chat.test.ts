// The chat server over real loopback sockets, with raw node:net clients (as nc would be).
import test from 'ava';
import { chatFactory } from '../../../src/protocols/apps/chat.js';
import { LineClient } from '../../helpers/line-client.js';
import { serveForTest } from '../../helpers/reactor-server.js';
import { connectRecording } from '../../../src/testing/index.js';

async function chat(t: { teardown(fn: () => void | Promise<void>): void }, options: Parameters<typeof chatFactory>[0] = {}) {
  const factory = chatFactory(options);
  const server = await serveForTest(() => factory);
  t.teardown(() => server.stop());
  const join = async (): Promise<LineClient> => {
    const before = factory.room.members.size;
    const client = new LineClient(server.port);
    t.teardown(() => client.close());
    // Joined once the room counts it: wait on the room, not on time.
    while (factory.room.members.size === before) await new Promise<void>((resolve) => setImmediate(resolve));
    return client;
  };
  return { factory, join };
}

test('chat: a line goes to every other client, not back to the sender, as NAME: line', async (t) => {
  const { join } = await chat(t);
  const alice = await join();
  const bob = await join();
  const carol = await join();
  alice.send('/nick alice\n');
  t.is(await alice.waitFor(/^\* you are/), '* you are alice');
  alice.send('hello, room\r\n');
  t.is(await bob.waitFor(/^alice:/), 'alice: hello, room');
  t.is(await carol.waitFor(/^alice:/), 'alice: hello, room');
  bob.send('and back\n');
  t.is(await alice.waitFor(/^guest\d+: and back$/), alice.lines.find((l) => l.endsWith(': and back')) ?? '');
  t.false(alice.lines.some((l) => l === 'alice: hello, room'));
});

test('chat: guests are numbered, and others see joins, renames and leaves', async (t) => {
  const { join } = await chat(t);
  const first = await join();
  const second = await join();
  t.regex(await first.waitFor(/joined$/), /^\* guest\d+ joined$/);
  second.send('/nick zed\n');
  t.regex(await first.waitFor(/is now zed$/), /^\* guest\d+ is now zed$/);
  second.close();
  t.is(await first.waitFor(/left$/), '* zed left');
});

test('chat: a taken or malformed nickname is refused', async (t) => {
  const { join } = await chat(t);
  const a = await join();
  const b = await join();
  a.send('/nick same\n');
  await a.waitFor('* you are same');
  b.send('/nick same\n');
  t.is(await b.waitFor(/taken/), '* same is taken');
  b.send('/nick bad name!\n');
  t.regex(await b.waitFor(/a name is/), /^\* a name is/);
});

test('chat: a line over the limit gets "* line too long" and that connection is closed', async (t) => {
  const { join } = await chat(t, { maxLineBytes: 64 });
  const talker = await join();
  const listener = await join();
  talker.send(`${'x'.repeat(200)}\n`);
  t.is(await talker.waitFor(/too long/), '* line too long');
  await talker.whenClosed();
  t.regex(await listener.waitFor(/left$/), /^\* guest\d+ left$/);
  t.false(listener.lines.some((l) => l.includes('xxxx')));
});

test('chat: a broadcast line is one Buffer shared by every recipient, not a copy each', (t) => {
  const factory = chatFactory();
  const members = [0, 1, 2, 3].map(() => connectRecording(factory.buildProtocol(['127.0.0.1', 1])));
  for (const member of members) member.written.length = 0;
  const [speaker, ...others] = members;
  speaker?.receive(Buffer.from('hello, room\n'));
  const sent = others.map((member) => member.written[0]);
  t.is(Buffer.from(sent[0] ?? '').toString(), 'guest1: hello, room\n');
  for (const line of sent) t.is(line, sent[0], 'the same object, queued for each');
  t.is(speaker?.written.length, 0);
});
