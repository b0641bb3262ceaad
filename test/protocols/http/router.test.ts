// Router precedence (issue 18 moved exact routes to a per-method map): the first route added that
// matches wins, exact or with parameters; HEAD is served by GET; the query is not part of the path.
import test from 'ava';
import { HttpServerProtocol } from '../../../src/protocols/http/http-server.js';
import { Router } from '../../../src/protocols/http/router.js';
import { connectRecording } from '../../../src/testing/index.js';

function answer(router: Router, request: string): string {
  const transport = connectRecording(new HttpServerProtocol(router));
  transport.receive(Buffer.from(request));
  return Buffer.concat(transport.written).toString('latin1');
}

const said = (word: string) => (_req: unknown, res: { send(status: number, body: string): void }): void => res.send(200, word);

test('a route with parameters added before an exact one that also matches wins; added after, it does not', (t) => {
  const patternFirst = new Router().get('/:name', said('pattern')).get('/exact', said('exact'));
  t.regex(answer(patternFirst, 'GET /exact HTTP/1.1\r\nHost: x\r\n\r\n'), /pattern$/);
  const exactFirst = new Router().get('/exact', said('exact')).get('/:name', said('pattern'));
  t.regex(answer(exactFirst, 'GET /exact?q=1 HTTP/1.1\r\nHost: x\r\n\r\n'), /exact$/);
  t.regex(answer(exactFirst, 'GET /other HTTP/1.1\r\nHost: x\r\n\r\n'), /pattern$/);
});

test('HEAD is served by the GET route without a body; another method gets 405 with Allow; an unknown path 404', (t) => {
  const router = new Router().get('/a', said('got a')).post('/a', said('posted a'));
  const head = answer(router, 'HEAD /a HTTP/1.1\r\nHost: x\r\n\r\n');
  t.regex(head, /^HTTP\/1\.1 200 OK\r\n[^]*Content-Length: 5\r\n[^]*\r\n\r\n$/);
  t.regex(answer(router, 'POST /a HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\n\r\n'), /posted a$/);
  t.regex(answer(router, 'PUT /a HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\n\r\n'), /^HTTP\/1\.1 405 [^]*Allow: GET, HEAD, POST\r\n/);
  t.regex(answer(router, 'GET /b HTTP/1.1\r\nHost: x\r\n\r\n'), /^HTTP\/1\.1 404 /);
});
