// examples/08-shutdown-read-to-eof.ts: the client's shutdown(SHUT_WR) is the end of the request; the
// server reads to EOF, replies on the half-open connection and closes.
import test from 'ava';
import { setImmediate as nextTurn } from 'node:timers/promises';
import { BlockingIOError, BrokenPipeError, SHUT_WR, socket, socketpair } from '../../src/index.js';
import { describe, exchange, main, recvUntilEOF, serveOne, startServer } from '../../examples/08-shutdown-read-to-eof.js';

test('main sends a request, half-closes, and gets the reply that proves the server read it all', async (t) => {
  const lines: string[] = [];
  const reply = await main(['300000'], (line) => lines.push(line));
  t.regex(reply, /^300000 bytes, sha256 [0-9a-f]{64}\n$/);
  t.is(lines[2], '  which is what we sent');
});

test('The server reads the whole request to EOF before replying, over TCP, for several clients', async (t) => {
  const server = startServer();
  t.teardown(() => server.stop());
  const requests = ['', 'GET / HTTP/1.0\r\n\r\n', 'z'.repeat(1 << 20)];
  const replies = await Promise.all(requests.map((r) => exchange(server.address, r)));
  t.deepEqual(replies, requests.map((r) => describe(Buffer.from(r))));
  t.deepEqual(server.requests.map((r) => r.length).sort((a, b) => a - b), [0, 18, 1 << 20]);
  t.deepEqual(server.errors, []);
});

test('Without the shutdown the server keeps waiting; with it, the reply comes and then EOF', async (t) => {
  const [client, conn] = socketpair();
  t.teardown(() => (client.close(), conn.close()));
  const serving = serveOne(conn);
  client.send('part one, ');
  await nextTurn(); // the in-memory pair has delivered: the server has read it and waits for more
  t.throws(() => client.recv(100), { instanceOf: BlockingIOError, code: 'EAGAIN' });
  client.send('part two');
  client.shutdown(SHUT_WR);
  t.is((await serving).toString(), 'part one, part two');
  t.is((await recvUntilEOF(client)).toString(), describe(Buffer.from('part one, part two')));
});

test('After shutdown(SHUT_WR) the client can still receive but no longer send', async (t) => {
  const server = startServer();
  t.teardown(() => server.stop());
  const s = socket();
  t.teardown(() => s.close());
  await s.connectAsync(server.address);
  await s.sendall('request');
  s.shutdown(SHUT_WR);
  t.throws(() => s.send('more'), { instanceOf: BrokenPipeError, code: 'EPIPE' });
  t.is((await recvUntilEOF(s)).toString(), describe(Buffer.from('request')));
});

test('recvUntilEOF stops at its limit instead of reading without end', async (t) => {
  const [a, b] = socketpair();
  t.teardown(() => (a.close(), b.close()));
  a.send('x'.repeat(101));
  await t.throwsAsync(recvUntilEOF(b, 100), { instanceOf: RangeError, message: 'More than 100 bytes before EOF' });
});
