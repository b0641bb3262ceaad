// examples/05-delimited.ts: delimited messages, the leftover after a delimiter kept for the next
// message, and the naive reader that loses it.
import test from 'ava';
import type { ExecutionContext } from 'ava';
import { setImmediate as nextTurn } from 'node:timers/promises';
import { type Socket, ValueError, socketpair } from '../../src/index.js';
import { CHUNK_SIZE, DelimitedReader, RuntimeError, main, recvMessageNaively, sendMessage } from '../../examples/05-delimited.js';

function pair(t: ExecutionContext): [Socket, Socket] {
  const [a, b] = socketpair();
  t.teardown(() => (a.close(), b.close()));
  return [a, b];
}

test('main: DelimitedReader gets all three messages sent back to back; the naive reader loses one', async (t) => {
  const lines: string[] = [];
  const { careful, naive } = await main([], (line) => lines.push(line));
  t.deepEqual(careful, ['one', 'two', 'three']);
  t.deepEqual(naive, ['one', 'ee']);
  t.is(lines.length, 2);
});

test('DelimitedReader puts aside the start of the next message, and returns it next time', async (t) => {
  const [a, b] = pair(t);
  const reader = new DelimitedReader(b);
  a.send('first\nsecond\nthi');
  t.is((await reader.recvMessage())?.toString(), 'first');
  t.is(reader.pending.toString(), 'second\nthi'); // received with the first, held onto
  t.is((await reader.recvMessage())?.toString(), 'second');
  const third = reader.recvMessage();
  a.send('rd\n');
  t.is((await third)?.toString(), 'third');
  t.is(reader.pending.length, 0);
  a.shutdown(1);
  t.is(await reader.recvMessage(), null);
});

test('DelimitedReader reads messages however the bytes are split, and ones longer than a chunk', async (t) => {
  const [a, b] = pair(t);
  const reader = new DelimitedReader(b);
  const long = 'x'.repeat(CHUNK_SIZE * 2 + 17);
  const messages = ['a', '', 'bc', long, 'end'];
  const bytes = Buffer.from(messages.map((m) => `${m}\n`).join(''));
  const sending = (async () => {
    // one byte per turn for the short ones, then the rest in one go
    for (const byte of bytes.subarray(0, 6)) {
      a.send(Uint8Array.of(byte));
      await nextTurn();
    }
    await a.sendall(bytes.subarray(6));
  })();
  const got: string[] = [];
  for (let i = 0; i < messages.length; i++) got.push((await reader.recvMessage())?.toString() ?? 'EOF');
  await sending;
  t.deepEqual(got, messages);
});

test('sendMessage appends the delimiter and refuses a message containing it', async (t) => {
  const [a, b] = pair(t);
  await sendMessage(a, 'hi');
  await sendMessage(a, Uint8Array.of(0, 1));
  t.deepEqual(b.recv(100), Buffer.from([0x68, 0x69, 0x0a, 0x00, 0x01, 0x0a]));
  await t.throwsAsync(sendMessage(a, 'two\nlines'), { instanceOf: ValueError });
});

test('An EOF inside a message is "socket connection broken"; one between messages is null', async (t) => {
  const [a, b] = pair(t);
  const reader = new DelimitedReader(b);
  a.send('whole\npart');
  a.close();
  t.is((await reader.recvMessage())?.toString(), 'whole');
  await t.throwsAsync(reader.recvMessage(), { instanceOf: RuntimeError, message: 'socket connection broken' });
  const [c, d] = pair(t);
  c.close();
  await t.throwsAsync(recvMessageNaively(d), { instanceOf: RuntimeError });
});

test('A message with no delimiter within the limit is refused with RangeError', async (t) => {
  const [a, b] = pair(t);
  a.send('y'.repeat(100));
  await t.throwsAsync(new DelimitedReader(b, 50).recvMessage(), { instanceOf: RangeError, message: 'Message exceeds 50 bytes' });
  const [c, d] = pair(t);
  c.send('z'.repeat(100));
  await t.throwsAsync(recvMessageNaively(d, 50), { instanceOf: RangeError });
});
