// examples/04-type-and-length-prefixed.ts: messages that say their type or length, read with two
// recv loops however the bytes are split, and the one-recv trap that misreads them.
import test from 'ava';
import type { ExecutionContext } from 'ava';
import { setImmediate as nextTurn } from 'node:timers/promises';
import { SOL_SOCKET, SO_SNDBUF, type Socket, ValueError, socket, socketpair } from '../../src/index.js';
import {
  RuntimeError,
  encodeBinaryPrefixed,
  encodeDecimalPrefixed,
  main,
  recvBinaryPrefixed,
  recvDecimalPrefixed,
  recvDecimalPrefixedNaively,
  recvTyped,
  sendDecimalPrefixed,
  sendTyped,
} from '../../examples/04-type-and-length-prefixed.js';

function pair(t: ExecutionContext): [Socket, Socket] {
  const [a, b] = socketpair();
  t.teardown(() => (a.close(), b.close()));
  return [a, b];
}

/** Sends one byte per event-loop turn: recv on the other side sees the message in many pieces. */
async function trickle(sock: Socket, bytes: Uint8Array): Promise<void> {
  for (const byte of bytes) {
    sock.send(Uint8Array.of(byte));
    await nextTurn();
  }
}

test('main reads typed, decimal-prefixed and binary-prefixed messages sent back to back over TCP', async (t) => {
  const lines: string[] = [];
  t.deepEqual(await main([], (line) => lines.push(line)), [
    'typed I "user0042"',
    'typed P ""',
    'typed D "2024-06-01"',
    'decimal "a message with its length as 5 digits"',
    'binary "a message with a 4-byte length"',
    'then EOF',
  ]);
  t.is(lines.length, 6);
});

test('recvTyped reads the type with one recv and the rest in a loop, even one byte at a time', async (t) => {
  const [a, b] = pair(t);
  const sending = trickle(a, Buffer.from('Iabcd1234PD1999-12-31'));
  t.deepEqual(await recvTyped(b), { type: 'I', body: 'abcd1234' });
  t.deepEqual(await recvTyped(b), { type: 'P', body: '' });
  t.deepEqual(await recvTyped(b), { type: 'D', body: '1999-12-31' });
  await sending;
  a.close();
  t.is(await recvTyped(b), null);
});

test('sendTyped and recvTyped refuse unknown types and wrong lengths with ValueError', async (t) => {
  const [a, b] = pair(t);
  await t.throwsAsync(sendTyped(a, { type: 'X', body: '' }), { instanceOf: ValueError });
  await t.throwsAsync(sendTyped(a, { type: 'I', body: 'short' }), { instanceOf: ValueError });
  a.send('X');
  await t.throwsAsync(recvTyped(b), { instanceOf: ValueError, message: 'Unknown message type "X"' });
});

test('recvDecimalPrefixed gets the 5 characters of the length even when they come in pieces', async (t) => {
  const [a, b] = pair(t);
  const messages = ['hello', '', 'x'.repeat(300)].map((m) => Buffer.from(m));
  const sending = trickle(a, Buffer.concat(messages.map(encodeDecimalPrefixed)));
  for (const m of messages) t.deepEqual(await recvDecimalPrefixed(b), m);
  await sending;
  a.shutdown(1);
  t.is(await recvDecimalPrefixed(b), null);
});

test('The one-recv trap: a length prefix split across recvs is misread, and the stream is lost after it', async (t) => {
  const [a, b] = pair(t);
  a.send('000');
  const naive = recvDecimalPrefixedNaively(b); // its first recv takes the 3 characters that are there
  a.send('05hello');
  a.send(encodeDecimalPrefixed(Buffer.from('next')));
  t.deepEqual(await naive, Buffer.alloc(0)); // read "000" as the length 0
  // What is left starts mid-message: "05hel" is no length.
  await t.throwsAsync(recvDecimalPrefixed(b), { instanceOf: ValueError, message: 'Bad length prefix "05hel"' });
});

test('sendDecimalPrefixed gets a 99999-byte message through a small send buffer', async (t) => {
  const listener = socket();
  t.teardown(() => listener.close());
  listener.bind(['127.0.0.1', 0]);
  listener.listen(5);
  const client = socket();
  t.teardown(() => client.close());
  client.setsockopt(SOL_SOCKET, SO_SNDBUF, 4096); // send() cannot take it in one pass
  const accepting = listener.acceptAsync();
  await client.connectAsync(listener.getsockname());
  const [server] = await accepting;
  t.teardown(() => server.close());
  const big = Buffer.from(Array.from({ length: 99999 }, (_, i) => i % 256));
  const [, got] = await Promise.all([sendDecimalPrefixed(client, big), recvDecimalPrefixed(server)]);
  t.deepEqual(got, big);
  t.throws(() => encodeDecimalPrefixed(Buffer.alloc(100000)), { instanceOf: RangeError });
});

test('recvBinaryPrefixed reads a 4-byte big-endian length, in pieces too', async (t) => {
  const [a, b] = pair(t);
  const encoded = encodeBinaryPrefixed(Buffer.from('hello'));
  t.deepEqual([...encoded.subarray(0, 4)], [0, 0, 0, 5]); // network byte order
  const sending = trickle(a, Buffer.concat([encoded, encodeBinaryPrefixed(Buffer.alloc(258, 0))]));
  t.deepEqual(await recvBinaryPrefixed(b), Buffer.from('hello'));
  t.deepEqual(await recvBinaryPrefixed(b), Buffer.alloc(258, 0));
  await sending;
  a.close();
  t.is(await recvBinaryPrefixed(b), null);
});

test('recvBinaryPrefixed rejects an over-long length at once, before waiting for its body', async (t) => {
  const [a, b] = pair(t);
  a.send(Uint8Array.of(0xff, 0xff, 0xff, 0xff));
  await t.throwsAsync(recvBinaryPrefixed(b), { instanceOf: RangeError, message: 'Message of 4294967295 bytes exceeds 1048576' });
  a.send(Uint8Array.of(0, 0, 0, 9));
  await t.throwsAsync(recvBinaryPrefixed(b, 8), { instanceOf: RangeError });
});

test('An EOF inside a message is "socket connection broken", with the bytes that came', async (t) => {
  const [a, b] = pair(t);
  a.send('00010half');
  a.close();
  const error = await t.throwsAsync(recvDecimalPrefixed(b), { instanceOf: RuntimeError, message: 'socket connection broken' });
  t.is(error?.partial.toString(), 'half');
  const [c, d] = pair(t);
  c.send(Uint8Array.of(0, 0));
  c.close();
  const inHeader = await t.throwsAsync(recvBinaryPrefixed(d), { instanceOf: RuntimeError });
  t.deepEqual([...(inHeader?.partial ?? [])], [0, 0]);
});
