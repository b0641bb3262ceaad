// SocketFile's read buffer: chunks joined once when taken, a view when one chunk holds the bytes, and
// a newline search that resumes where it stopped.
import test from 'ava';
import { ReadBuffer } from '../../src/transports/read-buffer.js';

function bufferOf(...chunks: string[]): ReadBuffer {
  const buffer = new ReadBuffer();
  for (const chunk of chunks) buffer.push(Buffer.from(chunk));
  return buffer;
}

test('ReadBuffer hands out a view of the chunk when one chunk holds the bytes taken', (t) => {
  const chunk = Buffer.from('hello world');
  const buffer = new ReadBuffer();
  buffer.push(chunk);
  const hello = buffer.take(5);
  t.is(hello.toString(), 'hello');
  t.is(hello.buffer, chunk.buffer, 'no copy');
  t.is(buffer.bytes, 6);
  t.is(buffer.take(100).toString(), ' world');
  t.is(buffer.bytes, 0);
  t.is(buffer.take(1).length, 0);
});

test('ReadBuffer joins the chunks a take spans, and leaves the rest of the last one', (t) => {
  const buffer = bufferOf('ab', '', 'cd', 'ef');
  t.is(buffer.bytes, 6);
  t.is(buffer.take(3).toString(), 'abc');
  t.is(buffer.take(3).toString(), 'def');
});

test('ReadBuffer indexOf finds a byte across chunks, from a given offset, and -1 when absent', (t) => {
  const buffer = bufferOf('ab', 'c\nd', 'e\n');
  t.is(buffer.indexOf(0x0a, 0), 3);
  t.is(buffer.indexOf(0x0a, 4), 6);
  t.is(buffer.indexOf(0x0a, 7), -1);
  // An earlier offset than the last search starts over.
  t.is(buffer.indexOf(0x0a, 1), 3);
  t.is(buffer.take(4).toString(), 'abc\n');
  t.is(buffer.indexOf(0x0a, 0), 2, 'offsets count from the first unread byte after a take');
});

test('ReadBuffer indexOf resumes after new chunks arrive', (t) => {
  const buffer = bufferOf('abc');
  t.is(buffer.indexOf(0x0a, 0), -1);
  buffer.push(Buffer.from('de'));
  t.is(buffer.indexOf(0x0a, 3), -1);
  buffer.push(Buffer.from('f\ng'));
  t.is(buffer.indexOf(0x0a, 5), 6);
});

test('ReadBuffer keeps its order over thousands of chunks taken a few at a time', (t) => {
  const buffer = new ReadBuffer();
  for (let i = 0; i < 5000; i++) buffer.push(Buffer.from([i % 256]));
  const out: number[] = [];
  for (let i = 0; i < 2500 && buffer.bytes > 0; i++) out.push(...buffer.take(2));
  t.is(out.length, 5000);
  t.true(out.every((byte, i) => byte === i % 256));
});
