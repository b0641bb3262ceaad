// The headers clients rely on (issue 14): Date on every response, Keep-Alive: timeout=N so node's
// keep-alive Agent never races our idle close, 100 Continue only once the request is next, and no
// 500 for a client's header value that cannot be sent back.
import test from 'ava';
import { Agent, request as httpRequest } from 'node:http';
import { httpFactory } from '../../../src/protocols/apps/http-app.js';
import { HttpResponse, InvalidHeaderError, isValidHeaderValue } from '../../../src/protocols/http/response.js';
import { ManualScheduler, RecordingTransport } from '../../../src/testing/index.js';
import { serveForTest } from '../../helpers/reactor-server.js';
import { connected, rawExchange } from './raw-client.js';

const IMF_FIXDATE = /\r\nDate: (Mon|Tue|Wed|Thu|Fri|Sat|Sun), \d\d (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) \d{4} \d\d:\d\d:\d\d GMT\r\n/;

test('HTTP server sends a Date on every answer: 200, 404, 405, 400, 413, 431', async (t) => {
  const running = await serveForTest((scheduler) => httpFactory({ scheduler, limits: { maxBodyBytes: 10, maxHeaderBytes: 512 } }));
  t.teardown(() => running.stop());
  const { port } = running;
  const replies = await Promise.all([
    rawExchange(port, 'GET / HTTP/1.0\r\n\r\n'),
    rawExchange(port, 'GET /nowhere HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n'),
    rawExchange(port, 'DELETE / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n'),
    rawExchange(port, 'GET / HTTP/1.1\r\n\r\n'),
    rawExchange(port, 'POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 11\r\n\r\n'),
    rawExchange(port, `GET / HTTP/1.1\r\nX: ${'a'.repeat(600)}\r\n\r\n`),
  ]);
  t.deepEqual(replies.map((r) => r.slice(9, 12)), ['200', '404', '405', '400', '413', '431']);
  for (const reply of replies) t.regex(reply, IMF_FIXDATE);
  const date = /\r\nDate: ([^\r]+)\r\n/.exec(replies[0] ?? '')?.[1] ?? '';
  t.true(Math.abs(Date.parse(date) - Date.now()) < 60_000, date);
});

test("node's keep-alive Agent makes 32 requests with 0 failures when the server closes idle connections after 1 s", async (t) => {
  // The idle close runs on a manual clock, moved 1 s after every answer: each next request meets a
  // connection being closed, unless Keep-Alive: timeout=1 told the Agent not to reuse it.
  const idleClock = new ManualScheduler();
  const running = await serveForTest(() => httpFactory({ scheduler: idleClock, idleTimeout: 1 }));
  t.teardown(() => running.stop());
  const agent = new Agent({ keepAlive: true, maxSockets: 1 });
  t.teardown(() => agent.destroy());
  let failures = 0;
  let keepAliveHeader: unknown;
  for (let i = 0; i < 32; i++) {
    try {
      keepAliveHeader = await new Promise<unknown>((resolve, reject) => {
        const req = httpRequest({ host: '127.0.0.1', port: running.port, path: '/', agent }, (res) => {
          res.resume();
          res.on('end', () => resolve(res.headers['keep-alive']));
          res.on('error', reject);
        });
        req.on('error', reject);
        req.end();
      });
    } catch {
      failures += 1;
    }
    idleClock.advance(1);
  }
  t.is(failures, 0);
  t.is(keepAliveHeader, 'timeout=1');
});

test('HTTP server writes a pipelined request\'s 100 Continue only after the answer before it', async (t) => {
  const running = await serveForTest((scheduler) => httpFactory({ scheduler }));
  t.teardown(() => running.stop());
  const socket = await connected(running.port);
  t.teardown(() => socket.destroy());
  const reply = await new Promise<string>((resolve, reject) => {
    let seen = '';
    let sentBody = false;
    socket.on('error', reject);
    socket.on('data', (d: Buffer) => {
      seen += d.toString('latin1');
      if (!sentBody && seen.includes('HTTP/1.1 100 Continue\r\n\r\n')) {
        sentBody = true;
        socket.write('12345');
      }
    });
    socket.on('close', () => resolve(seen));
    socket.write('GET /bytes/200000 HTTP/1.1\r\nHost: x\r\n\r\nPOST /echo HTTP/1.1\r\nHost: x\r\nExpect: 100-continue\r\nContent-Length: 5\r\nConnection: close\r\n\r\n');
  });
  const firstEnd = reply.indexOf('\r\n\r\n') + 4 + 200_000;
  t.is(reply.indexOf('HTTP/1.1 100 Continue\r\n\r\n'), firstEnd);
  t.true(reply.endsWith('12345'));
});

test('HTTP server never answers 500 for a Content-Type with a bare CR that /echo copies', async (t) => {
  const running = await serveForTest((scheduler) => httpFactory({ scheduler }));
  t.teardown(() => running.stop());
  const reply = await rawExchange(running.port, 'POST /echo HTTP/1.1\r\nHost: x\r\nContent-Type: text/plain\rX: y\r\nContent-Length: 2\r\nConnection: close\r\n\r\nhi');
  const status = reply.slice(9, 12);
  t.true(status === '400' || status === '200', reply);
  if (status === '200') t.regex(reply, /\r\nContent-Type: application\/octet-stream\r\n/);
});

test('HttpResponse.setHeader refuses control bytes and non-token names with a typed error naming the header', (t) => {
  const request = { method: 'GET', target: '/', minorVersion: 1 as const, headers: [], body: Buffer.alloc(0), header: () => undefined };
  const response = new HttpResponse(new RecordingTransport(), request, true, () => {});
  for (const value of ['a\rb', 'a\nb', 'a\0b', 'a\x7fb']) {
    const error = t.throws(() => response.setHeader('Content-Type', value), { instanceOf: InvalidHeaderError });
    t.true(error instanceof TypeError);
    t.is(error?.code, 'ERR_INVALID_HTTP_HEADER');
    t.is(error?.header, 'Content-Type');
  }
  t.throws(() => response.setHeader('Bad Name', 'x'), { instanceOf: InvalidHeaderError, message: /name/ });
  t.true(isValidHeaderValue('text/plain; charset=utf-8\tand\xe9'));
  t.false(isValidHeaderValue('a\rb'));
});
