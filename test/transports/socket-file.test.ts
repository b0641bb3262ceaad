// makefile(): the buffered reader/writer over a socket, and the HOWTO's trap of a request that is
// written but never flushed, so that the reply it waits for cannot come.
import test from 'ava';
import type { ExecutionContext } from 'ava';
import { socketpair } from '../../src/transports/socket-module.js';
import type { Socket } from '../../src/transports/socket.js';
import { ReadLimitError, SocketFile, type FileSocket } from '../../src/transports/socket-file.js';
import { BrokenPipeError, TimeoutError, ValueError } from '../../src/transports/errors.js';
import { select } from '../../src/reactor/select.js';
import { closing, tcpConnection } from '../helpers/sockets.js';

function pair(t: ExecutionContext): [Socket, Socket] {
  const [a, b] = socketpair();
  return [closing(t, a), closing(t, b)];
}

/** The byte at `offset` of a trickle's stream: printable and never '\n', in a cycle of 89 (a prime), so a misplaced byte shows. */
function patternByte(offset: number): number {
  return 0x20 + (offset % 89);
}

/**
 * A FileSocket that delivers `total` bytes (the pattern, with '\n' at the offsets in `newlines`) in
 * chunks of at most `chunk` bytes, then EOF (never, when total is Infinity); it counts its receives.
 */
function trickle(total: number, chunk: number, newlines: readonly number[] = []): FileSocket & { receives: number } {
  let sent = 0;
  const source = {
    receives: 0,
    sendall: () => Promise.resolve(),
    recvAsync(size: number): Promise<Buffer> {
      source.receives += 1;
      const n = Math.min(size, chunk, total - sent);
      const out = Buffer.alloc(n);
      for (let i = 0; i < n; i++) out[i] = newlines.includes(sent + i) ? 0x0a : patternByte(sent + i);
      sent += n;
      return Promise.resolve(out);
    },
  };
  return source;
}

function isPattern(data: Buffer, from = 0): boolean {
  return data.every((byte, i) => byte === patternByte(from + i));
}

test('makefile writes wait for flush: a request not flushed gets no reply, a flushed one does', async (t) => {
  const { client, server } = await tcpConnection(t);
  const request = 'GET / HTTP/1.0\r\nHost: example\r\n\r\n';
  // The server answers only once it has received the whole request, as an HTTP server does.
  const serving = (async (): Promise<string> => {
    let got = '';
    for (let i = 0; i < 1000 && !got.endsWith('\r\n\r\n'); i++) {
      const chunk = await server.recvAsync(4096);
      if (chunk.length === 0) break;
      got += chunk.toString();
    }
    await server.sendall('HTTP/1.0 200 OK\r\n\r\nhello from the server\n');
    server.shutdown(1);
    return got;
  })();
  const file = client.makefile();
  t.is(await file.write(request), request.length);
  // The request sits in the file's buffer: the server has nothing to read...
  t.deepEqual(await select([server], [], [], 0.2), [[], [], []]);
  // ...so the reply the client waits for does not come.
  client.settimeout(0.3);
  await t.throwsAsync(file.readline(), { instanceOf: TimeoutError, code: 'ETIMEDOUT' });
  client.settimeout(null);
  await file.flush();
  t.is(await serving, request);
  t.is((await file.readline()).toString(), 'HTTP/1.0 200 OK\r\n');
  t.is((await file.readline()).toString(), '\r\n');
  t.is((await file.read()).toString(), 'hello from the server\n');
  t.is((await file.read()).length, 0);
  t.is((await file.readline()).length, 0);
});

test('makefile sends on its own once the buffer fills', async (t) => {
  const [a, b] = pair(t);
  const file = a.makefile({ bufferSize: 16 });
  await file.write('0123456789');
  t.throws(() => b.recv(100), { code: 'EAGAIN' });
  await file.write('abcdef');
  t.is(b.recv(100).toString(), '0123456789abcdef');
  await file.write(new Uint8Array([0x21]));
  t.throws(() => b.recv(100), { code: 'EAGAIN' });
  await file.flush();
  t.is(b.recv(100).toString(), '!');
  // Flushing an empty buffer sends nothing.
  await file.flush();
  t.throws(() => b.recv(100), { code: 'EAGAIN' });
});

test('makefile read(n) returns n bytes, fewer only at EOF, and read() reads to EOF', async (t) => {
  const [a, b] = pair(t);
  const file = b.makefile();
  a.send('abc');
  const reading = file.read(5);
  a.send('defgh');
  t.is((await reading).toString(), 'abcde');
  t.is((await file.read(0)).length, 0);
  a.send('ijk');
  a.shutdown(1);
  t.is((await file.read(100)).toString(), 'fghijk');
  t.is((await file.read(100)).length, 0);
  t.is((await file.read()).length, 0);
});

test('makefile readline returns one line with its newline, the rest at EOF, then empty', async (t) => {
  const [a, b] = pair(t);
  const file = b.makefile();
  a.send('first\nsec');
  t.is((await file.readline()).toString(), 'first\n');
  const second = file.readline();
  a.send('ond\nthird\nlast');
  t.is((await second).toString(), 'second\n');
  t.is((await file.readline()).toString(), 'third\n');
  a.shutdown(1);
  t.is((await file.readline()).toString(), 'last');
  t.is((await file.readline()).length, 0);
});

test('makefile readline hands out a line over maxLineBytes in pieces of that size', async (t) => {
  const [a, b] = pair(t);
  const file = b.makefile({ maxLineBytes: 8 });
  a.send('0123456789ABCDEFG\nshort\n12345678\n');
  t.is((await file.readline()).toString(), '01234567');
  t.is((await file.readline()).toString(), '89ABCDEF');
  t.is((await file.readline()).toString(), 'G\n');
  t.is((await file.readline()).toString(), 'short\n');
  // A newline just past the limit: the line comes in two pieces.
  t.is((await file.readline()).toString(), '12345678');
  t.is((await file.readline()).toString(), '\n');
});

test('makefile close flushes and closes the file but not the socket', async (t) => {
  const [a, b] = pair(t);
  const file = a.makefile();
  t.false(file.closed);
  await file.write('pending');
  await file.close();
  t.true(file.closed);
  t.is(b.recv(100).toString(), 'pending');
  await file.close();
  const closed = { instanceOf: ValueError, message: 'I/O operation on closed file' };
  await t.throwsAsync(file.write('x'), closed);
  await t.throwsAsync(file.flush(), closed);
  await t.throwsAsync(file.read(1), closed);
  await t.throwsAsync(file.readline(), closed);
  // The socket is still open and usable.
  t.is(a.send('socket'), 6);
  t.is(b.recv(100).toString(), 'socket');
});

test('makefile close that cannot flush still closes the file and reports the error', async (t) => {
  const [a, b] = pair(t);
  const file = a.makefile();
  await file.write('lost');
  b.close();
  await t.throwsAsync(file.close(), { instanceOf: BrokenPipeError, code: 'EPIPE' });
  t.true(file.closed);
});

test('makefile refuses buffer sizes below 1', (t) => {
  const [a] = pair(t);
  t.throws(() => a.makefile({ bufferSize: 0 }), { instanceOf: ValueError });
  t.throws(() => new SocketFile(a, { maxLineBytes: 0 }), { instanceOf: ValueError });
});

test('makefile reads are bounded by the socket timeout', async (t) => {
  const [, b] = pair(t);
  b.settimeout(0);
  const file = b.makefile();
  await t.throwsAsync(file.read(1), { code: 'EAGAIN' });
  await t.throwsAsync(file.readline(), { code: 'EAGAIN' });
});

test('makefile read() refuses more than maxReadBytes with ReadLimitError and keeps the data for read(n)', async (t) => {
  const [a, b] = pair(t);
  const file = b.makefile({ maxReadBytes: 64 });
  a.send(Buffer.alloc(100, 0x61));
  const error = await t.throwsAsync(file.read(), { instanceOf: ReadLimitError, code: 'ERR_READ_LIMIT' });
  t.true(error instanceof RangeError);
  t.is(error?.limit, 64);
  t.is(error?.message, 'Cannot read to EOF: more than the limit of 64 bytes came before it');
  // Nothing is lost: the bytes read so far come out of read(n).
  a.shutdown(1);
  t.is((await file.read(1000)).length, 100);
  t.is((await file.read()).length, 0);
});

test('makefile read() returns exactly maxReadBytes when EOF follows them', async (t) => {
  const [a, b] = pair(t);
  const file = b.makefile({ maxReadBytes: 64 });
  a.send(Buffer.alloc(64, 0x62));
  a.shutdown(1);
  t.is((await file.read()).length, 64);
});

test('makefile read() stops receiving once the limit is passed, even from an endless peer', async (t) => {
  const source = trickle(Number.POSITIVE_INFINITY, 65536);
  const file = new SocketFile(source);
  const error = await t.throwsAsync(file.read(), { instanceOf: ReadLimitError });
  t.is(error?.limit, 16 * 1024 * 1024, 'the default limit is 16 MiB');
  t.is(source.receives, 257, '256 full receives reach the limit, one more byte passes it');
  t.true(isPattern(await file.read(1024)));
});

test('makefile read(n) over many small chunks joins them once (linear, not a copy per chunk)', async (t) => {
  // 8 MiB in 524,288 chunks of 16 bytes: re-joining the buffer per chunk copies ~2 TB and runs
  // far past the test timeout; joining once copies 8 MiB.
  const total = 8 * 1024 * 1024;
  const file = new SocketFile(trickle(total, 16));
  const data = await file.read(total);
  t.is(data.length, total);
  t.true(isPattern(data));
});

test('makefile read() to EOF over many small chunks is linear', async (t) => {
  const total = 8 * 1024 * 1024;
  const file = new SocketFile(trickle(total, 16), { maxReadBytes: total });
  const data = await file.read();
  t.is(data.length, total);
  t.true(isPattern(data));
});

test('makefile readline of a long line over many small chunks is linear and scans each byte once', async (t) => {
  const total = 8 * 1024 * 1024;
  const file = new SocketFile(trickle(total + 10, 16, [total - 1, total + 4]), { maxLineBytes: total });
  const line = await file.readline();
  t.is(line.length, total);
  t.is(line.at(-1), 0x0a);
  t.true(isPattern(line.subarray(0, total - 1)));
  t.is((await file.readline()).length, 5);
  t.is((await file.readline()).length, 5);
  t.is((await file.readline()).length, 0);
});

test('makefile refuses a non-numeric or zero size option', (t) => {
  const [a] = pair(t);
  t.throws(() => a.makefile({ maxReadBytes: 0 }), { instanceOf: ValueError });
  t.throws(() => a.makefile({ bufferSize: Number.NaN }), { instanceOf: ValueError });
  t.throws(() => a.makefile({ maxLineBytes: Number.NaN }), { instanceOf: ValueError });
});

test('makefile read() with maxReadBytes Infinity reads past 16 MiB to EOF, as Python does', async (t) => {
  const total = 17 * 1024 * 1024;
  const file = new SocketFile(trickle(total, 65536), { maxReadBytes: Number.POSITIVE_INFINITY });
  const data = await file.read();
  t.is(data.length, total);
  t.true(isPattern(data.subarray(total - 1000), total - 1000));
});
