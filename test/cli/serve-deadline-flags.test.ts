// The serve flags for issue 13's deadlines and caps: --request-timeout (a whole request, node:http's
// requestTimeout) and --max-lingering (connections lingering after their last answer) on the
// injected clock, and --handshake-timeout on a real TLS listener, which closes a client that never
// says ClientHello.
import test from 'ava';
import { once } from 'node:events';
import * as net from 'node:net';
import { parseFlags } from '../../src/cli/flags.js';
import { SERVERS, SERVE_FLAGS } from '../../src/cli/servers.js';
import { ManualScheduler, connectRecording } from '../../src/testing/index.js';
import { testCerts } from '../helpers/tls-certs.js';
import { cli, launch, nextLine } from './run-cli.js';

const flagsOf = (...args: string[]) => parseFlags(args, SERVE_FLAGS).flags;

function httpConnection(scheduler: ManualScheduler, ...args: string[]) {
  const http = SERVERS['http'];
  if (http === undefined) throw new Error('no http server kind');
  const factory = http.build(flagsOf(...args), scheduler);
  return () => connectRecording<Uint8Array>(factory.buildProtocol(['127.0.0.1', 1]));
}

test('serve http --request-timeout S answers a body still trickling after S seconds with 408', (t) => {
  const scheduler = new ManualScheduler();
  const transport = httpConnection(scheduler, '--request-timeout', '20', '--header-timeout', '30')();
  transport.receive(Buffer.from('POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\n'));
  // A byte every 5 s: the head was in time, the body never is.
  for (let i = 0; i < 3; i++) {
    scheduler.advance(5);
    transport.receive(Buffer.from('b'));
  }
  t.is(transport.bytes().length, 0, 'not yet: 15 of 20 s');
  scheduler.advance(5);
  t.regex(transport.bytes().toString('latin1'), /^HTTP\/1\.1 408 Request Timeout\r\n/);
});

test('serve http without --request-timeout keeps the default of 300 s, and 0 turns it off', (t) => {
  for (const [args, answeredAt] of [[[], 300], [['--request-timeout', '0'], undefined]] as const) {
    const scheduler = new ManualScheduler();
    const transport = httpConnection(scheduler, '--header-timeout', '0', '--idle-timeout', '0', ...args)();
    transport.receive(Buffer.from('POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\nb'));
    scheduler.advance(299);
    t.is(transport.bytes().length, 0, args.join(' '));
    scheduler.advance(3600);
    if (answeredAt === undefined) t.is(transport.bytes().length, 0, 'no request deadline at all');
    else t.regex(transport.bytes().toString('latin1'), /^HTTP\/1\.1 408 /);
  }
});

test('serve http --max-lingering N lets N connections linger after their last answer; the next closes at once', (t) => {
  const scheduler = new ManualScheduler();
  const connect = httpConnection(scheduler, '--max-lingering', '1');
  const request = Buffer.from('GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n');
  const first = connect();
  first.receive(request);
  const second = connect();
  second.receive(request);
  for (const transport of [first, second]) t.regex(transport.bytes().toString('latin1'), /^HTTP\/1\.1 200 /);
  t.true(first.hasWrittenEOF);
  t.false(first.isClosing, 'the first lingers, reading what its client may still send');
  t.true(second.isClosing, 'the cap is reached: the second closes at once');
  // The cap is the listener's: once the first is done lingering, another may linger again.
  scheduler.advance(30);
  t.true(first.isClosing);
  const third = connect();
  third.receive(request);
  t.false(third.isClosing);
});

test('serve --handshake-timeout needs TLS and a number of seconds above 0', async (t) => {
  const plain = await cli('serve', 'echo', '--port', '0', '--handshake-timeout', '5');
  t.is(plain.code, 2);
  t.is(plain.stderr, 'switchboard: --handshake-timeout applies to TLS only: give --tls-cert and --tls-key too\n');
  const certs = testCerts();
  const zero = await cli('serve', 'echo', '--port', '0', '--tls-cert', certs.server.certFile, '--tls-key', certs.server.keyFile, '--handshake-timeout', '0');
  t.is(zero.code, 2);
  t.is(zero.stderr, 'switchboard: --handshake-timeout takes a number of seconds above 0, got 0\n');
});

test('serve --tls-cert --tls-key --handshake-timeout 1 closes a client that never sends ClientHello', async (t) => {
  t.timeout(60_000);
  const certs = testCerts();
  const { child, lines } = launch('serve', 'echo', '--port', '0', '--tls-cert', certs.server.certFile, '--tls-key', certs.server.keyFile, '--handshake-timeout', '1');
  t.teardown(() => child.kill('SIGKILL'));
  const port = Number(/:(\d+)$/.exec(await nextLine(lines))?.[1]);
  const silent = net.connect({ host: '127.0.0.1', port });
  silent.on('error', () => undefined);
  await once(silent, 'connect');
  const started = performance.now();
  // The server closes it (the default 120 s would outlast this test's timeout).
  await once(silent, 'close');
  t.true(performance.now() - started >= 900, 'not before the deadline');
});
