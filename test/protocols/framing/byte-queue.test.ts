// The internal ByteQueue: views within a chunk, copies across chunks, and checked counts.
import test from 'ava';
import { ByteQueue } from '../../../src/protocols/framing/byte-queue.js';
import { bytes, texts } from '../../helpers/splits.js';

test('ByteQueue hands out a view when the first chunk holds the bytes', (t) => {
  const queue = new ByteQueue();
  const chunk = bytes('hello');
  queue.push(chunk);
  queue.push(new Uint8Array(0));
  const out = queue.take(3);
  t.is(out.buffer, chunk.buffer);
  t.deepEqual(texts([out, queue.take(2)]), ['hel', 'lo']);
  t.is(queue.bytes, 0);
  t.is(queue.take(0).length, 0);
});

test('ByteQueue copies a take across chunks and keeps the rest', (t) => {
  const queue = new ByteQueue();
  for (const part of ['ab', 'cd', 'ef']) queue.push(bytes(part));
  t.deepEqual(texts([queue.peek(3)]), ['abc']);
  t.is(queue.bytes, 6);
  t.deepEqual(texts([queue.take(3), queue.take(1), queue.take(2)]), ['abc', 'd', 'ef']);
  queue.push(bytes('xy'));
  queue.drop(0);
  queue.drop(1);
  queue.push(bytes('z'));
  t.deepEqual(texts([queue.take(2)]), ['yz']);
  queue.push(bytes('abc'));
  queue.clear();
  t.is(queue.bytes, 0);
});

test('ByteQueue refuses counts it cannot serve', (t) => {
  const queue = new ByteQueue();
  queue.push(bytes('ab'));
  t.throws(() => queue.take(3), { instanceOf: RangeError, message: 'Cannot take 3 bytes from a queue of 2' });
  t.throws(() => queue.drop(-1), { instanceOf: RangeError });
  t.throws(() => queue.peek(0.5), { instanceOf: RangeError });
});
