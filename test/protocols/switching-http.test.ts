// HTTP Upgrade (RFC 9110 7.8) in the HTTP server: over every split through the testing kit, a
// request that upgrades to echo with bytes pipelined behind it; the cases where the server ignores
// Upgrade; a body before the switch; and Upgrade: echo on a real loopback socket.
import test from 'ava';
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { connect } from 'node:net';
import { fileURLToPath } from 'node:url';
import { EchoProtocol } from '../../src/protocols/apps/echo.js';
import { demoRouter, httpFactory } from '../../src/protocols/apps/http-app.js';
import { HttpServerProtocol } from '../../src/protocols/http/http-server.js';
import { Router } from '../../src/protocols/http/router.js';
import { withIdleTimeout } from '../../src/protocols/idle-timeout.js';
import { ManualScheduler, connectProtocols, connectRecording, type RecordingTransport } from '../../src/testing/index.js';
import type { Protocol } from '../../src/contract/index.js';
import { serveForTest } from '../helpers/reactor-server.js';
import { bytes, splits } from '../helpers/splits.js';

const latin1 = (data: Uint8Array): string => Buffer.from(data).toString('latin1');
const UPGRADE = 'GET /echo HTTP/1.1\r\nHost: x\r\nConnection: Upgrade\r\nUpgrade: echo\r\n\r\n';
const SWITCHED = 'HTTP/1.1 101 Switching Protocols\r\nUpgrade: echo\r\nConnection: Upgrade\r\n\r\n';

/** An HTTP server protocol (demo router unless given) on a recording transport. */
function httpOnWire(router: Router = demoRouter(), limits = {}): { wire: RecordingTransport; server: HttpServerProtocol } {
  const server = new HttpServerProtocol(router, { limits });
  return { server, wire: connectRecording<Uint8Array>(server) };
}

/** The status lines, in order, of everything the server wrote. */
const statuses = (written: string): string[] => [...written.matchAll(/HTTP\/1\.[01] \d{3} [^\r]*/g)].map((m) => m[0]);

test('an Upgrade: echo request with pipelined bytes behind it switches to echo at the right byte, over every split', (t) => {
  const input = bytes(`GET / HTTP/1.1\r\nHost: x\r\n\r\n${UPGRADE}ping\r\n\r\nGET / HTTP/1.1`);
  let count = 0;
  for (const chunks of splits(input)) {
    const { wire } = httpOnWire();
    for (const chunk of chunks) wire.receive(chunk);
    const written = latin1(wire.bytes());
    const switchedAt = written.indexOf(SWITCHED);
    const outcome = { statuses: statuses(written), echoed: written.slice(switchedAt + SWITCHED.length), isEcho: wire.protocol instanceof EchoProtocol };
    const expected = { statuses: ['HTTP/1.1 200 OK', 'HTTP/1.1 101 Switching Protocols'], echoed: 'ping\r\n\r\nGET / HTTP/1.1', isEcho: true };
    count += 1;
    if (JSON.stringify(outcome) !== JSON.stringify(expected)) {
      t.deepEqual(outcome, expected, `chunks of ${chunks.map((c) => c.length).join(', ')}`);
      return;
    }
  }
  t.true(count > 1000, `${count} splits`);
});

test('an Upgrade sent to a route that does not upgrade is ignored: the answer is normal and HTTP goes on', (t) => {
  const { wire } = httpOnWire();
  wire.receive(bytes('GET / HTTP/1.1\r\nHost: x\r\nConnection: Upgrade\r\nUpgrade: echo\r\n\r\nGET / HTTP/1.1\r\nHost: x\r\n\r\n'));
  t.deepEqual(statuses(latin1(wire.bytes())), ['HTTP/1.1 200 OK', 'HTTP/1.1 200 OK']);
  t.true(wire.protocol instanceof HttpServerProtocol);
});

test('the upgrade route answers 426 naming echo without an offer of it, and to HTTP/1.0 or without Connection: upgrade', (t) => {
  const cases = [
    'GET /echo HTTP/1.1\r\nHost: x\r\n\r\n',
    'GET /echo HTTP/1.1\r\nHost: x\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n\r\n',
    'GET /echo HTTP/1.1\r\nHost: x\r\nUpgrade: echo\r\n\r\n',
    'GET /echo HTTP/1.0\r\nConnection: Upgrade\r\nUpgrade: echo\r\n\r\n',
  ];
  for (const request of cases) {
    const { wire } = httpOnWire();
    wire.receive(bytes(request));
    const written = latin1(wire.bytes());
    t.regex(written, /^HTTP\/1\.[01] 426 Upgrade Required\r\n/, request);
    t.regex(written, /\r\nUpgrade: echo\r\n/);
    t.true(wire.protocol instanceof HttpServerProtocol);
  }
});

test('an upgrade request with a body: the body stays the request\'s, the new protocol starts after it (chunked too)', (t) => {
  const bodies: string[] = [];
  const router = new Router().upgrade('/up', 'echo', (request) => {
    bodies.push(latin1(request.body));
    return new EchoProtocol();
  });
  for (const framing of ['Content-Length: 5\r\n\r\nabcde', 'Transfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n2\r\nde\r\n0\r\n\r\n']) {
    const { wire } = httpOnWire(router);
    wire.receive(bytes(`GET /up HTTP/1.1\r\nHost: x\r\nConnection: keep-alive, Upgrade\r\nUpgrade: other, ECHO\r\n${framing}after`));
    t.is(latin1(wire.bytes()), `${SWITCHED}after`, 'offers are matched without regard to case; the 101 names the route\'s protocol');
  }
  t.deepEqual(bodies, ['abcde', 'abcde']);
});

test('an upgrade waiting behind an unfinished response holds the bytes after it, pausing past the header limit', (t) => {
  let slow: { end(body: string): void } | undefined;
  const router = new Router().get('/slow', (_req, res) => {
    slow = res;
  }).upgrade('/echo', 'echo', () => new EchoProtocol());
  const { wire } = httpOnWire(router, { maxHeaderBytes: 200 });
  wire.receive(bytes(`GET /slow HTTP/1.1\r\nHost: x\r\n\r\n${UPGRADE}first `));
  t.true(wire.isReading);
  wire.receive(bytes('x'.repeat(300)));
  t.false(wire.isReading, 'past the limit, reading pauses');
  wire.receive(bytes(' last'));
  slow?.end('done');
  const written = latin1(wire.bytes());
  t.deepEqual(statuses(written), ['HTTP/1.1 200 OK', 'HTTP/1.1 101 Switching Protocols']);
  t.true(written.endsWith(`${SWITCHED}first ${'x'.repeat(300)} last`), 'every byte after the request, in order');
  t.true(wire.isReading);
});

test('a route switches under an idle-timeout wrapper too, and the timeout goes on timing the new protocol', (t) => {
  const scheduler = new ManualScheduler();
  const wrapped = withIdleTimeout(new HttpServerProtocol(demoRouter()), 60, scheduler);
  const wire = connectRecording<Uint8Array>(wrapped);
  wire.receive(bytes(`${UPGRADE}ping`));
  t.is(latin1(wire.bytes()), `${SWITCHED}ping`);
  wire.receive(bytes(' pong'));
  t.is(latin1(wire.bytes()), `${SWITCHED}ping pong`);
  t.false(wire.isClosing);
  scheduler.advance(61);
  t.true(wire.isAborted, 'silence past the idle timeout still ends the upgraded connection');
});

test('switchProtocols refuses a protocol the request did not offer, and a response already started', (t) => {
  const errors: string[] = [];
  const next: Protocol = new EchoProtocol();
  const router = new Router().get('/x', (_req, res) => {
    for (const attempt of [() => res.switchProtocols('other', next), () => res.writeHead(200).switchProtocols('echo', next)]) {
      try {
        attempt();
      } catch (error) {
        errors.push(error instanceof Error ? error.message : String(error));
      }
    }
    res.end();
  });
  const { wire } = httpOnWire(router);
  wire.receive(bytes('GET /x HTTP/1.1\r\nHost: x\r\nConnection: Upgrade\r\nUpgrade: echo\r\n\r\n'));
  t.deepEqual(errors, ["Cannot switch protocols: the request did not offer 'other'", 'The response head was already sent']);
  t.true(wire.protocol instanceof HttpServerProtocol);
});

test('Upgrade: echo on a real loopback socket: 101, then the bytes sent in the same write come back, and EOF', async (t) => {
  const server = await serveForTest((scheduler) => httpFactory({ scheduler, headerTimeout: 30, idleTimeout: 30 }));
  t.teardown(() => server.stop());
  const socket = connect(server.port, '127.0.0.1');
  t.teardown(() => socket.destroy());
  const got: Buffer[] = [];
  socket.on('data', (d: Buffer) => {
    got.push(d);
    if (Buffer.concat(got).toString('latin1').endsWith('hello, echo')) socket.end();
  });
  const ended = new Promise<void>((resolve, reject) => {
    socket.on('end', () => resolve());
    socket.on('error', reject);
  });
  socket.write(`${UPGRADE}hello, echo`);
  await ended;
  t.is(Buffer.concat(got).toString('latin1'), `${SWITCHED}hello, echo`);
});

test('the README shows its HTTP Upgrade client as it is, and the client gets its bytes echoed after the 101', async (t) => {
  const root = fileURLToPath(new URL('../../../', import.meta.url));
  const source = readFileSync(`${root}examples/readme-upgrade-client.ts`, 'utf8').replace("'../src/index.js'", "'switchboard'");
  t.true(readFileSync(`${root}README.md`, 'utf8').includes(`\`\`\`ts\n${source}\`\`\``));
  const server = await serveForTest((scheduler) => httpFactory({ scheduler }));
  t.teardown(() => server.stop());
  const child = spawn(process.execPath, [`${root}dist/examples/readme-upgrade-client.js`], { env: { ...process.env, PORT: String(server.port) } });
  t.teardown(() => child.kill());
  let out = '';
  child.stdout.on('data', (d: Buffer) => {
    out += d.toString('latin1');
  });
  const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
  t.is(code, 0);
  t.is(out, `${SWITCHED}hello, echo\n`);
});

test('a pumped in-memory pair follows the switch: after the 101 the client talks to echo', (t) => {
  const got: string[] = [];
  const client: Protocol = {
    connectionMade: (transport) => transport.write(bytes(`${UPGRADE}ping`)),
    dataReceived: (data) => got.push(latin1(data)),
    connectionLost: () => {},
  };
  const pair = connectProtocols(new HttpServerProtocol(demoRouter()), client);
  pair.pump();
  t.true(pair.server instanceof EchoProtocol);
  pair.clientTransport.write(bytes(' pong'));
  pair.pump();
  t.is(got.join(''), `${SWITCHED}ping pong`);
});
