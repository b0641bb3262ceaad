// HTTP Upgrade through the layers that wrap a server's connections: Throttle once forwarded every
// Transport member by hand and forgot setProtocol, so `serve http --read-limit N` answered an Upgrade
// with `500 Cannot switch protocols`. Now every wrapper inherits setProtocol (ProtocolWrapper); this
// checks the CLI's real server, and in memory the state a throttle keeps across the switch.
import test from 'ava';
import { spawn } from 'node:child_process';
import { connect } from 'node:net';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { demoRouter } from '../../src/protocols/apps/http-app.js';
import { HttpServerProtocol } from '../../src/protocols/http/http-server.js';
import { Throttle } from '../../src/protocols/throttle.js';
import { ManualScheduler, connectRecording } from '../../src/testing/index.js';

const CLI = fileURLToPath(new URL('../../src/cli.js', import.meta.url));
const UPGRADE = 'GET /echo HTTP/1.1\r\nHost: x\r\nConnection: Upgrade\r\nUpgrade: echo\r\n\r\n';
const SWITCHED = 'HTTP/1.1 101 Switching Protocols\r\nUpgrade: echo\r\nConnection: Upgrade\r\n\r\n';
const latin1 = (data: Uint8Array): string => Buffer.from(data).toString('latin1');

test('serve http --read-limit / --write-limit answers an Upgrade with 101, then echoes (not 500 Cannot switch protocols)', async (t) => {
  const child = spawn(process.execPath, [CLI, 'serve', 'http', '--port', '0', '--read-limit', '100000', '--write-limit', '100000']);
  t.teardown(() => child.kill());
  const lines = createInterface({ input: child.stdout })[Symbol.asyncIterator]();
  const first = await lines.next();
  const port = /^listening on 127\.0\.0\.1:(\d+)$/.exec(String(first.value))?.[1];
  if (port === undefined) return t.fail(`no listening line, got ${String(first.value)}`);
  const answer = await new Promise<string>((resolve, reject) => {
    const socket = connect(Number(port), '127.0.0.1');
    let got = '';
    socket.on('data', (d: Buffer) => {
      got += d.toString('latin1');
      if (got.endsWith('hello, echo')) socket.end();
    });
    socket.on('end', () => resolve(got));
    socket.on('error', reject);
    socket.write(`${UPGRADE}hello, echo`);
  });
  t.is(answer, `${SWITCHED}hello, echo`);
});

test('a throttled connection switches in place: the leftover comes first, within the read budget, and the windows go on', (t) => {
  const scheduler = new ManualScheduler();
  const throttle = new Throttle(new HttpServerProtocol(demoRouter()), { readBytesPerSecond: 100, scheduler });
  const wire = connectRecording<Uint8Array>(throttle);
  // The request (67 bytes) fits the first window of 100; of the 40 bytes behind it, 33 more do: the
  // old protocol got them, so they come back as leftover and reach echo at once, at no new cost.
  const firstWindow = 100 - UPGRADE.length - 20;
  wire.receive(Buffer.from(`${UPGRADE}${'a'.repeat(20)}${'b'.repeat(20)}`, 'latin1'));
  t.is(latin1(wire.bytes()), `${SWITCHED}${'a'.repeat(20)}${'b'.repeat(firstWindow)}`);
  t.false(wire.isReading, 'the rest waits for the next window, reading paused below');
  scheduler.advance(1);
  t.is(latin1(wire.bytes()), `${SWITCHED}${'a'.repeat(20)}${'b'.repeat(20)}`);
  t.true(wire.isReading);
  t.is(wire.protocol, throttle, 'the same throttle stays in place around the new protocol');
});
