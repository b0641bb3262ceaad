// The HTTP/1.1 server handler on real loopback sockets, driven by real clients: node:http, curl and
// raw node:net for the byte-exact cases (pipelining, 100-continue, HTTP/1.0, limits).
import test from 'ava';
import { execFile } from 'node:child_process';
import { request as httpRequest, Agent } from 'node:http';
import { connect } from 'node:net';
import { promisify } from 'node:util';
import { httpFactory } from '../../../src/protocols/apps/http-app.js';
import { serveForTest, type RunningTestServer } from '../../helpers/reactor-server.js';
import { rawExchange } from './raw-client.js';

const execFileAsync = promisify(execFile);

async function server(t: { teardown(fn: () => Promise<void>): void }, options: Parameters<typeof httpFactory>[0] = {}): Promise<RunningTestServer> {
  const running = await serveForTest((scheduler) => httpFactory({ scheduler, ...options }));
  t.teardown(() => running.stop());
  return running;
}

const raw = rawExchange;

function get(port: number, path: string, method = 'GET', body?: Buffer, agent?: Agent): Promise<{ status: number; headers: Record<string, unknown>; body: Buffer }> {
  return new Promise((resolve, reject) => {
    const req = httpRequest({ host: '127.0.0.1', port, path, method, agent: agent ?? false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (d: Buffer) => chunks.push(d));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(body);
  });
}

test('HTTP server answers node:http for GET /, HEAD /, POST /echo, 404 and 405', async (t) => {
  const { port } = await server(t);
  const hello = await get(port, '/');
  t.is(hello.status, 200);
  t.is(hello.body.toString(), 'hello from switchboard\n');
  t.regex(String(hello.headers['content-type']), /^text\/plain/);
  const head = await get(port, '/', 'HEAD');
  t.is(head.status, 200);
  t.is(head.headers['content-length'], '23');
  t.is(head.body.length, 0);
  const echoed = await get(port, '/echo', 'POST', Buffer.from('some body bytes'));
  t.is(echoed.body.toString(), 'some body bytes');
  t.is((await get(port, '/nowhere')).status, 404);
  const wrong = await get(port, '/', 'DELETE');
  t.is(wrong.status, 405);
  t.is(wrong.headers['allow'], 'GET, HEAD');
});

test('HTTP server keeps a node:http keep-alive connection for many requests', async (t) => {
  const { port, listening } = await server(t);
  const agent = new Agent({ keepAlive: true, maxSockets: 1 });
  t.teardown(() => agent.destroy());
  for (let i = 0; i < 20; i++) t.is((await get(port, '/echo', 'POST', Buffer.from(`n${i}`), agent)).body.toString(), `n${i}`);
  t.is(listening.connectionCount, 1);
});

test('HTTP server streams /bytes/<n> with the pattern and the exact length', async (t) => {
  const { port } = await server(t);
  const { status, body } = await get(port, '/bytes/3000000');
  t.is(status, 200);
  t.is(body.length, 3000000);
  let wrong = -1;
  for (let i = 0; i < body.length; i++) if (body[i] !== i % 251) { wrong = i; break; }
  t.is(wrong, -1);
  t.is((await get(port, '/bytes/abc')).status, 400);
});

test('HTTP server answers pipelined requests in order, then closes on Connection: close', async (t) => {
  const { port } = await server(t);
  const reply = await raw(
    port,
    'GET / HTTP/1.1\r\nHost: x\r\n\r\nPOST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\n\r\nabcGET /missing HTTP/1.1\r\nHost: x\r\n\r\n',
    'POST /echo HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n2\r\nxy\r\n0\r\n\r\n',
  );
  const statuses = [...reply.matchAll(/HTTP\/1\.1 (\d{3}) /g)].map((m) => m[1]);
  t.deepEqual(statuses, ['200', '200', '404', '200']);
  t.true(reply.indexOf('hello from switchboard') < reply.indexOf('abc'));
  t.true(reply.endsWith('xy'));
  t.regex(reply, /Connection: close/);
});

test('HTTP server serves an HTTP/1.0 client and closes after the response', async (t) => {
  const { port } = await server(t);
  const reply = await raw(port, 'GET / HTTP/1.0\r\n\r\n');
  t.regex(reply, /^HTTP\/1\.0 200 OK\r\n/);
  t.regex(reply, /Connection: close/);
  t.true(reply.endsWith('hello from switchboard\n'));
});

test('HTTP server sends 100 Continue before reading an expected body', async (t) => {
  const { port } = await server(t);
  const reply = await new Promise<string>((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    let seen = '';
    socket.on('error', reject);
    socket.on('data', (d: Buffer) => {
      seen += d.toString('latin1');
      if (seen === 'HTTP/1.1 100 Continue\r\n\r\n') socket.write('12345');
    });
    socket.on('close', () => resolve(seen));
    socket.write('POST /echo HTTP/1.1\r\nHost: x\r\nExpect: 100-continue\r\nContent-Length: 5\r\nConnection: close\r\n\r\n');
  });
  t.true(reply.startsWith('HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 200 OK'));
  t.true(reply.endsWith('12345'));
});

test('HTTP server answers limits with 413, 431 and 505, and malformed requests with 400, then closes', async (t) => {
  const { port } = await server(t, { limits: { maxBodyBytes: 10, maxHeaderBytes: 512 } });
  t.regex(await raw(port, 'POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 11\r\n\r\n'), /^HTTP\/1\.1 413 /);
  t.regex(await raw(port, `GET / HTTP/1.1\r\nX: ${'a'.repeat(600)}\r\n\r\n`), /^HTTP\/1\.1 431 /);
  t.regex(await raw(port, 'GET / HTTP/3.0\r\n\r\n'), /^HTTP\/1\.1 505 /);
  t.regex(await raw(port, 'POST / HTTP/1.1\r\nContent-Length: 1\r\nTransfer-Encoding: chunked\r\n\r\n'), /^HTTP\/1\.1 400 /);
});

test('HTTP server answers a client that stops mid-head with 408 after the header timeout', async (t) => {
  const { port } = await server(t, { headerTimeout: 0.2 });
  // The timeout is the behaviour under test: the client sends half a head and waits for the close.
  t.regex(await raw(port, 'GET / HTTP/1.1\r\nHo'), /^HTTP\/1\.1 408 /);
});

test('HTTP server works with curl', async (t) => {
  const { port } = await server(t);
  let stdout: string;
  try {
    ({ stdout } = await execFileAsync('curl', ['-s', '--max-time', '10', `http://127.0.0.1:${port}/`, '-X', 'GET']));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') throw new Error('curl is not installed: install the Debian package curl to run this test');
    throw error;
  }
  t.is(stdout, 'hello from switchboard\n');
  const echoed = await execFileAsync('curl', ['-s', '--max-time', '10', '--data-binary', 'posted by curl', `http://127.0.0.1:${port}/echo`]);
  t.is(echoed.stdout, 'posted by curl');
});

test('HTTP server answers a malformed %-escape in a path parameter with 400, not 500', async (t) => {
  const { port } = await server(t);
  const answer = await raw(port, 'GET /bytes/%E0%A4%A HTTP/1.1\r\nHost: x\r\n\r\n');
  t.regex(answer, /^HTTP\/1\.1 400 Bad Request\r\n/);
  t.regex(answer, /Malformed percent-encoding/);
});
