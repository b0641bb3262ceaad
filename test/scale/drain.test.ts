// Graceful drain through the built CLI: SIGTERM/SIGINT stop accepting and let each connection
// finish (a 64 MiB response in flight completes, an idle keep-alive connection closes at once, a
// request still arriving is answered with Connection: close), then exit 0; past --drain-timeout
// the rest are closed and the exit status is 3. The same for `start`, and under --workers.
import test from 'ava';
import { launch } from './cli-process.js';
import { RawHttp, idleKeepAlive } from './raw-http.js';

const BIG = 64 * 1024 * 1024;

for (const workers of ['1', '2']) {
  test(`serve http --workers ${workers}: SIGTERM lets a 64 MiB response finish, closes idle keep-alive connections, answers a request in progress with Connection: close, exits 0`, async (t) => {
    const server = launch(t, 'serve', 'http', '--port', '0', '--workers', workers);
    const port = await server.listeningPort();
    // In this order, round robin puts one idle connection on each of two workers, and the big
    // response and the half-sent request on different workers: every worker has an idle
    // connection whose close shows that it is draining.
    const idle = [await idleKeepAlive(port), await idleKeepAlive(port)];
    const big = new RawHttp(port);
    big.socket.write(`GET /bytes/${BIG} HTTP/1.1\r\nHost: x\r\n\r\n`);
    await big.until(() => big.bodyBytes > 0);
    big.socket.pause();
    const post = new RawHttp(port);
    // Expect: 100-continue makes the server say when it has read the head: the connection is accepted.
    post.socket.write('POST /echo HTTP/1.1\r\nHost: x\r\nExpect: 100-continue\r\nContent-Length: 10\r\n\r\n01234');
    await post.until(() => post.head.startsWith('HTTP/1.1 100 '));
    post.head = '';
    t.teardown(() => [...idle, big, post].forEach((c) => c.socket.destroy()));
    server.kill('SIGTERM');
    await Promise.all(idle.map((c) => c.closed()));
    t.true(idle.every((c) => c.isClosed), 'idle keep-alive connections are closed');
    post.socket.write('56789');
    await post.complete();
    t.regex(post.head, /^HTTP\/1\.1 200 OK\r\n/);
    t.regex(post.head, /\r\nConnection: close\r\n/i);
    await post.closed();
    big.socket.resume();
    await big.until(() => big.bodyBytes >= BIG || big.isClosed);
    t.is(big.bodyBytes, BIG, 'the 64 MiB response in flight is not cut');
    t.is(await server.exitCode(), 0);
  });
}

for (const workers of ['1', '2']) {
  test(`serve http --workers ${workers} --drain-timeout 1: a response the client never reads is closed after a second and the exit status is 3`, async (t) => {
    const server = launch(t, 'serve', 'http', '--port', '0', '--workers', workers, '--drain-timeout', '1');
    const port = await server.listeningPort();
    const stuck = new RawHttp(port);
    t.teardown(() => stuck.socket.destroy());
    stuck.socket.write(`GET /bytes/${BIG} HTTP/1.1\r\nHost: x\r\n\r\n`);
    await stuck.until(() => stuck.bodyBytes > 0);
    stuck.socket.pause();
    server.kill('SIGTERM');
    t.is(await server.exitCode(), 3);
    t.regex(server.stderr, /drain timed out/);
  });
}

test('start drains the same way: Ctrl-C lets a 64 MiB response finish and exits 0', async (t) => {
  const server = launch(t, 'start', '--ephemeral');
  let port = 0;
  for (let line = await server.nextLine(); !line.startsWith('Ctrl-C'); line = await server.nextLine()) {
    const match = /^http\s+listening on 127\.0\.0\.1:(\d+)/.exec(line);
    if (match !== null) port = Number(match[1]);
  }
  const idle = await idleKeepAlive(port);
  const big = new RawHttp(port);
  t.teardown(() => [idle, big].forEach((c) => c.socket.destroy()));
  big.socket.write(`GET /bytes/${BIG} HTTP/1.1\r\nHost: x\r\n\r\n`);
  await big.until(() => big.bodyBytes > 0);
  big.socket.pause();
  server.kill('SIGINT');
  await idle.closed();
  big.socket.resume();
  await big.until(() => big.bodyBytes >= BIG || big.isClosed);
  t.is(big.bodyBytes, BIG);
  t.is(await server.exitCode(), 0);
});
