// Prepared responses (issue 18): a repeated send() is answered from one prepared Buffer, byte for
// byte what the head builder writes, and never for a response whose head the route changed.
import test from 'ava';
import { HttpServerProtocol } from '../../../src/protocols/http/http-server.js';
import { MAX_PREPARED_BODY, MAX_PREPARED_RESPONSES, type PreparedKey, PreparedResponses } from '../../../src/protocols/http/prepared-responses.js';
import { Router } from '../../../src/protocols/http/router.js';
import { ManualScheduler, connectRecording } from '../../../src/testing/index.js';

const BODY = 'hello, prepared\n';

function serve(router: Router): (request: string) => Buffer[] {
  const transport = connectRecording(new HttpServerProtocol(router, { scheduler: new ManualScheduler(), idleTimeout: 5 }));
  return (request) => {
    const before = transport.written.length;
    transport.receive(Buffer.from(request));
    return transport.written.slice(before).map((chunk) => Buffer.from(chunk));
  };
}

const text = (chunks: readonly Buffer[]): string => Buffer.concat(chunks).toString('latin1');

test('a repeated send() writes the same bytes as the first, with Date, Content-Length and Keep-Alive', (t) => {
  const exchange = serve(new Router().get('/', (_req, res) => res.send(200, BODY)));
  const first = exchange('GET / HTTP/1.1\r\nHost: x\r\n\r\n');
  const second = exchange('GET / HTTP/1.1\r\nHost: x\r\n\r\n');
  t.is(first.length, 1);
  t.regex(text(first), /^HTTP\/1\.1 200 OK\r\nContent-Type: text\/plain; charset=utf-8\r\nContent-Length: 16\r\nKeep-Alive: timeout=5\r\nDate: [^\r]+ GMT\r\n\r\nhello, prepared\n$/);
  // Within the same second (nearly always) the same Buffer; across a second boundary, the same text but the Date.
  t.is(text(second).replace(/Date: [^\r]+/, ''), text(first).replace(/Date: [^\r]+/, ''));
});

test('HEAD, HTTP/1.0 and Connection: close each get their own head, never another variant\'s', (t) => {
  const exchange = serve(new Router().get('/', (_req, res) => res.send(200, BODY)));
  exchange('GET / HTTP/1.1\r\nHost: x\r\n\r\n');
  const head = text(exchange('HEAD / HTTP/1.1\r\nHost: x\r\n\r\n'));
  t.true(head.endsWith('\r\n\r\n'), head);
  t.regex(head, /Content-Length: 16\r\n/);
  const old = text(exchange('GET / HTTP/1.0\r\nConnection: keep-alive\r\n\r\n'));
  t.regex(old, /^HTTP\/1\.0 200 OK\r\n[^]*Connection: keep-alive\r\n[^]*hello, prepared\n$/);
  const closing = text(exchange('GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n'));
  t.regex(closing, /Connection: close\r\n/);
  t.notRegex(closing, /Keep-Alive/);
});

test('a route that sets a header or passes extra headers is not answered from a prepared response', (t) => {
  let n = 0;
  const exchange = serve(
    new Router()
      .get('/', (_req, res) => res.send(200, BODY))
      .get('/counted', (_req, res) => {
        n += 1;
        res.setHeader('X-Count', n).send(200, BODY);
      })
      .get('/extra', (_req, res) => res.send(200, BODY, 'text/plain; charset=utf-8', { 'X-Extra': String(n) })),
  );
  exchange('GET / HTTP/1.1\r\nHost: x\r\n\r\n');
  t.regex(text(exchange('GET /counted HTTP/1.1\r\nHost: x\r\n\r\n')), /X-Count: 1\r\n/);
  t.regex(text(exchange('GET /counted HTTP/1.1\r\nHost: x\r\n\r\n')), /X-Count: 2\r\n/);
  t.regex(text(exchange('GET /extra HTTP/1.1\r\nHost: x\r\n\r\n')), /X-Extra: 2\r\n/);
  t.notRegex(text(exchange('GET / HTTP/1.1\r\nHost: x\r\n\r\n')), /X-/);
});

function keyOf(body: string, status = 200): PreparedKey {
  return { status, contentType: 'text/plain', body, minorVersion: 1, keepAlive: true, keepAliveSeconds: undefined, isHead: false };
}

test('PreparedResponses keeps at most MAX_PREPARED_RESPONSES, no long body, and only for the Date it was made with', (t) => {
  const prepared = new PreparedResponses();
  for (let i = 0; i < MAX_PREPARED_RESPONSES * 3; i++) prepared.keep(keyOf(`body ${i}`), 'D1', Buffer.from(`bytes ${i}`));
  t.is(prepared.size, MAX_PREPARED_RESPONSES);
  t.is(prepared.find(keyOf(`body ${MAX_PREPARED_RESPONSES * 3 - 1}`), 'D1')?.toString(), `bytes ${MAX_PREPARED_RESPONSES * 3 - 1}`);
  t.is(prepared.find(keyOf(`body ${MAX_PREPARED_RESPONSES * 3 - 1}`), 'D2'), undefined);
  t.is(prepared.find(keyOf(`body ${MAX_PREPARED_RESPONSES * 3 - 1}`, 404), 'D1'), undefined);
  const long = 'x'.repeat(MAX_PREPARED_BODY + 1);
  prepared.keep(keyOf(long), 'D1', Buffer.from(long));
  t.is(prepared.find(keyOf(long), 'D1'), undefined);
  // A newer second replaces the key's entry rather than adding one.
  prepared.keep(keyOf('body 47'), 'D2', Buffer.from('newer'));
  t.is(prepared.size, MAX_PREPARED_RESPONSES);
  t.is(prepared.find(keyOf('body 47'), 'D2')?.toString(), 'newer');
});
