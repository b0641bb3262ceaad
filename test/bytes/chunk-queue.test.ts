// ChunkQueue, the one queue of byte chunks: views within a chunk, copies across chunks, checked counts,
// a resumable search that scans each byte once (counted, not timed), and what views pin.
import test from 'ava';
import { ChunkQueue } from '../../src/bytes/chunk-queue.js';
import { bytes, randomBytes, randomInt, seededRandom, texts } from '../helpers/splits.js';

test('ChunkQueue hands out a view when the first chunk holds the bytes', (t) => {
  const queue = new ChunkQueue();
  const chunk = bytes('hello');
  queue.push(chunk);
  queue.push(new Uint8Array(0));
  const out = queue.take(3);
  t.is(out.buffer, chunk.buffer);
  t.deepEqual(texts([out, queue.take(2)]), ['hel', 'lo']);
  t.is(queue.bytes, 0);
  t.is(queue.take(0).length, 0);
});

test('ChunkQueue copies a take across chunks and keeps the rest', (t) => {
  const queue = new ChunkQueue();
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

test('ChunkQueue refuses counts it cannot serve', (t) => {
  const queue = new ChunkQueue();
  queue.push(bytes('ab'));
  t.throws(() => queue.take(3), { instanceOf: RangeError, message: 'Cannot take 3 bytes from a queue of 2' });
  t.throws(() => queue.drop(-1), { instanceOf: RangeError });
  t.throws(() => queue.peek(0.5), { instanceOf: RangeError });
});

test('ChunkQueue.indexOf finds a byte or a sequence across chunks, from any offset, as Buffer.indexOf on the joined bytes', (t) => {
  const random = seededRandom(16);
  for (let round = 0; round < 200; round += 1) {
    const joined = randomBytes(random, randomInt(random, 60)).map((b) => 0x61 + (b % 3));
    const queue = new ChunkQueue();
    for (let at = 0; at < joined.length; ) {
      const size = 1 + randomInt(random, 8);
      queue.push(joined.subarray(at, at + size));
      at += size;
    }
    const whole = Buffer.from(joined);
    for (const needle of [0x61, bytes('ab'), bytes('cab'), bytes('ccc')]) {
      const from = randomInt(random, joined.length + 2);
      const expected = typeof needle === 'number' ? whole.indexOf(needle, from) : whole.indexOf(needle, from);
      t.is(queue.indexOf(needle, from), expected >= from ? expected : -1, `${String(needle)} from ${from} in ${whole.toString()}`);
    }
    const at = randomInt(random, joined.length + 1);
    t.is(queue.byteAt(at), joined[at]);
  }
});

test('a resumed search scans each byte once: a 64 KiB line fed one byte at a time costs O(n) scanned and copied', (t) => {
  const n = 64 * 1024;
  const queue = new ChunkQueue();
  let searchedTo = 0;
  let found = -1;
  for (let i = 0; i < n; i += 1) {
    queue.push(Uint8Array.of(i === n - 1 ? 0x0a : 0x78));
    found = queue.indexOf(0x0a, searchedTo);
    if (found < 0) searchedTo = queue.bytes;
  }
  t.is(found, n - 1);
  const line = queue.take(found + 1);
  t.is(line.length, n);
  t.is(queue.counters.scanned, n, 'each byte examined once');
  t.is(queue.counters.copied, n, 'one join, when the line is taken');
});

test('a resumed sequence search (an HTTP head end) fed one byte at a time scans O(n)', (t) => {
  const head = Buffer.from(`GET / HTTP/1.1\r\n${'x-h: v\r\n'.repeat(8000)}\r\n`, 'latin1');
  const queue = new ChunkQueue();
  const end = bytes('\r\n\r\n');
  let found = -1;
  for (const byte of head) {
    queue.push(Uint8Array.of(byte));
    // Resume the search just before the bytes already known not to start a match.
    found = queue.indexOf(end, Math.max(0, queue.bytes - 1 - (end.length - 1)));
    if (found >= 0) break;
  }
  t.is(found, head.length - 4);
  t.true(queue.counters.scanned <= 4 * head.length, `${queue.counters.scanned} bytes scanned for ${head.length}`);
  t.is(queue.counters.copied, 0);
});

test('takeChunk hands out views of the first chunk only, up to a budget; pushFront puts bytes back in front', (t) => {
  const queue = new ChunkQueue();
  const first = bytes('hello');
  queue.push(first);
  queue.push(bytes('world'));
  const piece = queue.takeChunk(3);
  t.is(piece?.buffer, first.buffer);
  t.deepEqual(texts([piece ?? new Uint8Array(0), queue.takeChunk() ?? new Uint8Array(0)]), ['hel', 'lo']);
  t.is(queue.takeChunk(0), undefined);
  queue.pushFront(bytes('>>'));
  t.is(queue.indexOf(0x77), 2);
  t.deepEqual(texts([queue.take(queue.bytes)]), ['>>world']);
  t.is(queue.takeChunk(), undefined);
  t.deepEqual([...queue.chunks()], []);
});

test('retainedBytes counts the whole buffer a small view pins, and only the bytes of a pool slice or a whole chunk', (t) => {
  const queue = new ChunkQueue();
  const big = new Uint8Array(64 * 1024);
  queue.push(big.subarray(100, 110));
  t.is(queue.bytes, 10);
  t.is(queue.retainedBytes, 64 * 1024, 'a 10-byte view keeps 64 KiB alive');
  queue.push(Buffer.from('small'));
  queue.push(new Uint8Array(20000));
  t.is(queue.retainedBytes, 64 * 1024 + 5 + 20000);
  queue.drop(10);
  t.is(queue.retainedBytes, 5 + 20000, 'dropping the view lets its buffer go');
  queue.clear();
  t.is(queue.retainedBytes, 0);
});

test('ChunkQueue compacts taken slots: a million chunks through it leave the array small and the search right', (t) => {
  const queue = new ChunkQueue();
  for (let i = 0; i < 1_000_000; i += 1) {
    queue.push(Uint8Array.of(i % 251));
    if (queue.chunkCount > 3) queue.take(2);
  }
  t.true(queue.chunkCount <= 3);
  const rest = queue.peek(queue.bytes);
  t.is(queue.indexOf(rest[rest.length - 1] ?? 0, rest.length - 1), rest.length - 1);
});
