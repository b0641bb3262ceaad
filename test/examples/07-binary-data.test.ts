// examples/07-binary-data.ts: integers in network byte order, zero bytes as plain data, EOF as b''.
import test from 'ava';
import { endianness } from 'node:os';
import { ValueError, socketpair } from '../../src/index.js';
import { asciiSize, encodeBatch, exchange, htonl, htons, main, ntohl, ntohs, recvBatch } from '../../examples/07-binary-data.js';

test('htonl stored in host order gives the network (big-endian) bytes; ntohl undoes it', (t) => {
  for (const x of [0, 1, 0x01020304, 0xdeadbeef, 2 ** 32 - 1]) {
    const stored = new Uint8Array(new Uint32Array([htonl(x)]).buffer); // the host's own byte order
    const wire = Buffer.alloc(4);
    wire.writeUInt32BE(x);
    t.deepEqual(Buffer.from(stored), wire);
    t.is(ntohl(htonl(x)), x);
  }
  t.is(htons(0x0102), endianness() === 'LE' ? 0x0201 : 0x0102);
  t.is(ntohs(htons(0xabcd)), 0xabcd);
  t.throws(() => htonl(2 ** 32), { instanceOf: RangeError });
  t.throws(() => htons(-1), { instanceOf: RangeError });
});

test('encodeBatch writes the header and values big-endian, whatever the host', (t) => {
  t.deepEqual([...encodeBatch([1, 0xdeadbeef])], [0, 1, 0, 2, 0, 0, 0, 1, 0xde, 0xad, 0xbe, 0xef]);
  t.deepEqual([...encodeBatch([])], [0, 1, 0, 0]);
  t.throws(() => encodeBatch([1.5]), { instanceOf: RangeError });
});

test('Batches of zeros cross TCP whole: zero bytes are data, and only an empty recv is EOF', async (t) => {
  const zeros = new Array<number>(5000).fill(0);
  const report = await exchange([[0, 1, 0], zeros, [], [2 ** 32 - 1]]);
  t.deepEqual(report.received, [[0, 1, 0], zeros, [], [2 ** 32 - 1]]);
  t.is(report.wire, ['00010003', '00000000', '00000001', '00000000'].join(''));
  t.is(report.afterLast.length, 0);
});

test('The ASCII form of mostly-zero values is smaller than the binary one, as the HOWTO says', (t) => {
  const values = [0, 1, 0, 0, 1];
  t.is(asciiSize(values), 10);
  t.is(encodeBatch(values).length - 4, 20);
});

test('recvBatch refuses an unknown version and a batch cut short by EOF', async (t) => {
  const [a, b] = socketpair();
  t.teardown(() => (a.close(), b.close()));
  a.send(Uint8Array.of(0, 9, 0, 0));
  await t.throwsAsync(recvBatch(b), { instanceOf: ValueError, message: 'Unknown batch version 9' });
  a.send(encodeBatch([1, 2]).subarray(0, 10));
  a.close();
  await t.throwsAsync(recvBatch(b), { message: 'socket connection broken' });
});

test('main prints the wire form, the sizes and the EOF', async (t) => {
  const lines: string[] = [];
  const report = await main([], (line) => lines.push(line));
  t.is(report.received.length, 3);
  t.is(lines[1], 'first batch on the wire: 0001000300000001deadbeefffffffff');
  t.is(lines[3], 'received 0, 1, 0, 0, 1, 0, 0, 0 (binary 36 bytes, ASCII 16 bytes)');
  t.is(lines[4], 'received 1000 values, all zero (binary 4004 bytes, ASCII 2000 bytes)');
  t.is(lines.at(-1), 'then recv returned 0 bytes: EOF');
});
