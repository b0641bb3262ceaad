// The emulated receive buffer on its own: views when one chunk answers, copies across chunks.
import test from 'ava';
import { ReceiveQueue } from '../../src/transports/receive-queue.js';

/** A Buffer with its own ArrayBuffer (Buffer.from of small sizes would share Node's pool). */
function ownBuffer(text: string): Buffer {
  const out = Buffer.alloc(text.length);
  out.write(text, 'latin1');
  return out;
}

test('ReceiveQueue starts empty and ignores empty chunks', (t) => {
  const queue = new ReceiveQueue();
  t.true(queue.isEmpty);
  t.is(queue.bytes, 0);
  queue.push(Buffer.alloc(0));
  t.true(queue.isEmpty);
  t.is(queue.take(10).length, 0);
});

test('ReceiveQueue hands out a whole chunk as the same Buffer when it fits', (t) => {
  const queue = new ReceiveQueue();
  const chunk = ownBuffer('hello');
  queue.push(chunk);
  t.is(queue.bytes, 5);
  t.is(queue.take(5), chunk);
  t.true(queue.isEmpty);
  queue.push(chunk);
  t.is(queue.take(100), chunk);
});

test('ReceiveQueue hands out part of a chunk as a view and keeps the rest', (t) => {
  const queue = new ReceiveQueue();
  const chunk = ownBuffer('hello world');
  queue.push(chunk);
  const first = queue.take(5);
  t.is(first.toString(), 'hello');
  t.is(first.buffer, chunk.buffer);
  t.is(first.byteOffset, chunk.byteOffset);
  t.is(queue.bytes, 6);
  const rest = queue.take(100);
  t.is(rest.toString(), ' world');
  t.is(rest.buffer, chunk.buffer);
  t.is(rest.byteOffset, chunk.byteOffset + 5);
  t.true(queue.isEmpty);
});

test('ReceiveQueue copies a take that spans chunks, leaving the sources untouched', (t) => {
  const queue = new ReceiveQueue();
  const a = ownBuffer('abc');
  const b = ownBuffer('defg');
  const c = ownBuffer('hij');
  for (const chunk of [a, b, c]) queue.push(chunk);
  t.is(queue.bytes, 10);
  const out = queue.take(5);
  t.is(out.toString(), 'abcde');
  t.not(out.buffer, a.buffer);
  t.not(out.buffer, b.buffer);
  out.fill(0);
  t.is(b.toString(), 'defg');
  t.is(queue.bytes, 5);
  // The rest of b is now a view, so one more take across b and c copies again.
  const tail = queue.take(4);
  t.is(tail.toString(), 'fghi');
  t.is(queue.take(100).toString(), 'j');
  t.true(queue.isEmpty);
});

test('ReceiveQueue returns everything queued when asked for more', (t) => {
  const queue = new ReceiveQueue();
  queue.push(ownBuffer('12'));
  queue.push(ownBuffer('345'));
  t.is(queue.take(1 << 30).toString(), '12345');
  t.true(queue.isEmpty);
  t.is(queue.bytes, 0);
});

test('ReceiveQueue keeps order and counts through compaction of many small chunks', (t) => {
  const queue = new ReceiveQueue();
  const count = 3000;
  for (let i = 0; i < count; i++) queue.push(Buffer.from([i % 256, (i >> 8) % 256]));
  t.is(queue.bytes, count * 2);
  // One chunk at a time walks the head past the compaction threshold (1024) more than once.
  for (let i = 0; i < count - 1; i++) {
    const got = queue.take(2);
    t.is(got[0], i % 256);
    t.is(got[1], (i >> 8) % 256);
    if (i % 500 === 0) t.is(queue.bytes, (count - i - 1) * 2);
  }
  t.is(queue.bytes, 2);
  const last = queue.take(2);
  t.deepEqual([...last], [(count - 1) % 256, ((count - 1) >> 8) % 256]);
  t.true(queue.isEmpty);
  // After compaction, pushes and cross-chunk takes still work.
  queue.push(ownBuffer('xy'));
  queue.push(ownBuffer('z'));
  t.is(queue.take(3).toString(), 'xyz');
});

test('ReceiveQueue clear drops everything queued', (t) => {
  const queue = new ReceiveQueue();
  queue.push(ownBuffer('abc'));
  queue.push(ownBuffer('def'));
  queue.take(1);
  queue.clear();
  t.true(queue.isEmpty);
  t.is(queue.bytes, 0);
  t.is(queue.take(10).length, 0);
  queue.push(ownBuffer('new'));
  t.is(queue.take(10).toString(), 'new');
});
