// examples/10-select-server.ts: one select() loop serving many clients (accept, partial sends,
// half-close, the error list), and many clients driven by one select() loop (non-blocking connect).
import test from 'ava';
import { ConnectionRefusedError, SOL_SOCKET, SO_LINGER, socket } from '../../src/index.js';
import { HIGH_WATER, RECV_SIZE, SelectEchoServer, main, selectClients } from '../../examples/10-select-server.js';

function startServer(t: import('ava').ExecutionContext): SelectEchoServer {
  const server = new SelectEchoServer();
  t.teardown(() => server.stop());
  return server;
}

test('main: 20 select-driven clients get their echoes intact from the select-driven server', async (t) => {
  const lines: string[] = [];
  t.true(await main(['20'], (line) => lines.push(line)));
  t.regex(lines[0] ?? '', /^20 clients sent 2870000 bytes through one select\(\) loop; echoes intact$/);
  t.regex(lines[1] ?? '', /^server: 20 accepted, at most \d+ echo bytes held for one client, 0 dropped$/);
});

test('The server echoes 50 clients at once, up to 1 MiB each, holding a bounded echo per client', async (t) => {
  const server = startServer(t);
  const messages = Array.from({ length: 50 }, (_, i) => Buffer.alloc(i === 0 ? 1 << 20 : 100 * i, i));
  messages.push(Buffer.alloc(0)); // a client that sends nothing and half-closes at once
  const echoes = await selectClients(server.address, messages);
  t.is(echoes.length, messages.length);
  echoes.forEach((echo, i) => t.true(echo.equals(messages[i] ?? Buffer.alloc(1)), `client ${i}`));
  t.is(server.accepted, messages.length);
  await server.whenClientsAre(0);
  t.true(server.maxOutgoing <= HIGH_WATER + RECV_SIZE, `${server.maxOutgoing} bytes held`);
  t.deepEqual(server.dropped, []);
});

test('A client that resets its connection comes out in the error list and is dropped; others are served', async (t) => {
  const server = startServer(t);
  const rude = socket();
  await rude.connectAsync(server.address);
  await rude.sendall('x');
  t.is((await rude.recvAsync(10)).toString(), 'x');
  await server.whenClientsAre(1);
  rude.setsockopt(SOL_SOCKET, SO_LINGER, [1, 0]);
  rude.close(); // an RST
  await server.whenClientsAre(0);
  t.deepEqual(server.dropped, [{ how: 'in_error', code: 'ECONNRESET' }]);
  const [echo] = await selectClients(server.address, [Buffer.from('still serving')]);
  t.is(echo?.toString(), 'still serving');
});

test('stop() ends the loop and closes the server socket and the clients still connected', async (t) => {
  const server = startServer(t);
  const idle = socket();
  t.teardown(() => idle.close());
  await idle.connectAsync(server.address);
  await server.whenClientsAre(1);
  await server.stop();
  t.is(server.serversocket.fileno(), -1);
  t.is((await idle.recvAsync(10)).length, 0); // closed by the server: EOF
  await t.throwsAsync(selectClients(server.address, [Buffer.from('late')]), { instanceOf: ConnectionRefusedError });
});

test('selectClients reports a refused non-blocking connect through SO_ERROR as ConnectionRefusedError', async (t) => {
  const probe = socket();
  probe.bind(['127.0.0.1', 0]);
  const address = probe.getsockname();
  probe.close();
  await t.throwsAsync(selectClients(address, [Buffer.from('hello')]), { instanceOf: ConnectionRefusedError, code: 'ECONNREFUSED' });
});
