// examples/01-client.ts: the HOWTO's one-exchange client, against node:http and its own tiny server.
import test from 'ava';
import { once } from 'node:events';
import { createServer } from 'node:http';
import { ConnectionRefusedError, socket } from '../../src/index.js';
import { TINY_PAGE, fetchPage, main, startTinyWebServer } from '../../examples/01-client.js';

test('fetchPage sends one request to a node:http server and reads the reply until EOF', async (t) => {
  const seen: string[] = [];
  const server = createServer((request, response) => {
    seen.push(`${request.method ?? ''} ${request.url ?? ''} ${request.httpVersion}`);
    response.end('from node:http\n');
  });
  t.teardown(() => server.close());
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const address = server.address();
  if (address === null || typeof address === 'string') return t.fail('expected a TCP address');
  const { port } = address;
  const reply = (await fetchPage('localhost', port, '/page')).toString();
  t.deepEqual(seen, ['GET /page 1.0']);
  t.true(reply.startsWith('HTTP/1.1 200 OK\r\n'), reply);
  t.true(reply.endsWith('\r\n\r\nfrom node:http\n'), reply);
});

test('main without a port fetches the page of the tiny server it starts itself', async (t) => {
  const lines: string[] = [];
  const reply = (await main([], (line) => lines.push(line))).toString();
  t.true(reply.startsWith('HTTP/1.0 200 OK\r\n'));
  t.true(reply.endsWith(`\r\n\r\n${TINY_PAGE}`));
  t.regex(lines[0] ?? '', /^GET \/ from localhost:\d+ gave \d+ bytes:$/);
  t.is(lines[1], reply);
});

test('main with a port fetches from the server already listening there', async (t) => {
  const server = startTinyWebServer();
  t.teardown(() => server.close());
  const reply = await main([String(server.port)], () => {});
  t.true(reply.toString().endsWith(TINY_PAGE));
  await t.throwsAsync(main(['not-a-port'], () => {}), { instanceOf: RangeError });
});

test('fetchPage to a port nobody listens on fails with ConnectionRefusedError', async (t) => {
  const probe = socket();
  probe.bind(['127.0.0.1', 0]);
  const address = probe.getsockname();
  probe.close();
  const port = typeof address === 'string' ? 0 : address[1];
  await t.throwsAsync(fetchPage('localhost', port), { instanceOf: ConnectionRefusedError, code: 'ECONNREFUSED' });
});
