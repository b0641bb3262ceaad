// SSLSocket's awaitable calls share Socket's (issue 16 step 1): settimeout/gettimeout/setblocking,
// and sendall/recvAsync bounded by the timeout, raising Python's socket.timeout.
import test from 'ava';
import { BlockingIOError, TimeoutError, ValueError } from '../../../src/transports/errors.js';
import { socketpair } from '../../../src/transports/socket-module.js';
import { SSLWantReadError } from '../../../src/transports/tls/errors.js';
import { handshakenPair, testContexts } from '../../helpers/tls-pair.js';
import { closing } from '../../helpers/sockets.js';

test('SSLSocket.settimeout bounds recvAsync and sendall, which raise TimeoutError "timed out" with no errno', async (t) => {
  const { server, client } = await handshakenPair(t);
  t.is(client.gettimeout(), null);
  client.settimeout(0.05);
  t.is(client.gettimeout(), 0.05);
  const error = await t.throwsAsync(client.recvAsync(10), { instanceOf: TimeoutError, message: 'timed out' });
  t.is(error?.errno, null);
  t.is(error?.syscall, 'recv');
  // A peer that never reads: sendall fills both buffers, then times out.
  server.settimeout(0.05);
  await t.throwsAsync(server.sendall(Buffer.alloc(8 * 1024 * 1024)), { instanceOf: TimeoutError, message: 'timed out' });
  t.throws(() => client.settimeout(-1), { instanceOf: ValueError });
});

test('SSLSocket.setblocking(false) makes recvAsync raise the would-block error at once; true waits', async (t) => {
  const { server, client } = await handshakenPair(t);
  client.setblocking(false);
  t.is(client.gettimeout(), 0);
  await t.throwsAsync(client.recvAsync(10), { instanceOf: SSLWantReadError });
  await t.throwsAsync(client.recvAsync(10), { instanceOf: BlockingIOError });
  client.setblocking(true);
  t.is(client.gettimeout(), null);
  const waiting = client.recvAsync(10);
  await server.sendall('late');
  t.is((await waiting).toString(), 'late');
});

test('wrapSocket keeps the wrapped socket\'s timeout, as Python\'s wrap_socket', (t) => {
  const [a] = socketpair();
  closing(t, a);
  a.settimeout(2.5);
  const wrapped = closing(t, testContexts().clientContext.wrapSocket(a, { serverHostname: 'localhost', doHandshakeOnConnect: false }));
  t.is(wrapped.gettimeout(), 2.5);
});
