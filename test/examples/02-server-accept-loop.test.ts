// examples/02-server-accept-loop.ts: bind, listen(5), the accept loop, and a task per client.
import test from 'ava';
import {
  ConnectionRefusedError,
  ConnectionResetError,
  OSError,
  SOL_SOCKET,
  SO_ACCEPTCONN,
  SO_LINGER,
  socket,
} from '../../src/index.js';
import { echoOnce, main, startServer } from '../../examples/02-server-accept-loop.js';

test('main runs the server and its clients at once: every client gets its own echo', async (t) => {
  const lines: string[] = [];
  const replies = await main(['5'], (line) => lines.push(line));
  t.deepEqual(replies, [0, 1, 2, 3, 4].map((i) => `hello from client ${i}`));
  t.regex(lines[0] ?? '', /^server socket listening on \["127\.0\.0\.1",\d+\] with listen\(5\)$/);
  t.is(lines.at(-1), '5 client threads started');
  await t.throwsAsync(main(['0'], () => {}), { instanceOf: RangeError });
});

test('startServer binds localhost and listens: a server socket only produces client sockets', async (t) => {
  const server = startServer();
  t.teardown(() => server.stop());
  t.is(server.serversocket.getsockopt(SOL_SOCKET, SO_ACCEPTCONN), 1);
  const [host, port] = typeof server.address === 'string' ? ['', 0] : server.address;
  t.is(host, '127.0.0.1');
  t.true(port > 0);
  t.is(await echoOnce(server.address, 'ping'), 'ping');
  t.is(server.threads.length, 1);
  await server.threads[0]?.join();
  t.is(server.threads[0]?.echoed, 4);
  t.is(server.threads[0]?.error, undefined);
});

test('A client that stays silent holds up no one: its thread waits while the loop serves others', async (t) => {
  const server = startServer();
  t.teardown(() => server.stop());
  const idle = socket();
  t.teardown(() => idle.close());
  await idle.connectAsync(server.address);
  let idleDone = false;
  t.is(await echoOnce(server.address, 'served meanwhile'), 'served meanwhile');
  const idleName = JSON.stringify(idle.getsockname());
  const idleThread = server.threads.find((ct) => JSON.stringify(ct.address) === idleName);
  if (idleThread === undefined) return t.fail('no thread for the idle client');
  void idleThread.join().then(() => (idleDone = true));
  t.is(server.threads.length, 2);
  t.false(idleDone);
  t.is(idleThread.echoed, 0);
  // Stopping closes the clients still connected: the idle one reads EOF, its thread ends.
  await server.stop();
  t.true(idleDone);
  t.true(idleThread.error instanceof OSError);
  t.is((await idle.recvAsync(10)).length, 0);
  const late = socket();
  t.teardown(() => late.close());
  await t.throwsAsync(late.connectAsync(server.address), { instanceOf: ConnectionRefusedError });
});

test('A client that resets its connection ends only its own thread, with ConnectionResetError', async (t) => {
  const server = startServer();
  t.teardown(() => server.stop());
  const rude = socket();
  await rude.connectAsync(server.address);
  await rude.sendall('x');
  t.is((await rude.recvAsync(10)).toString(), 'x'); // its thread is now waiting in recv
  rude.setsockopt(SOL_SOCKET, SO_LINGER, [1, 0]);
  rude.close(); // SO_LINGER 0: an RST, not a FIN
  const rudeThread = server.threads[0];
  if (rudeThread === undefined) return t.fail('no thread for the client');
  await rudeThread.join();
  t.true(rudeThread.error instanceof ConnectionResetError, String(rudeThread.error));
  t.is(await echoOnce(server.address, 'still serving'), 'still serving');
});
