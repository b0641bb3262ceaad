// SSLSocket as Python's ssl.SSLSocket in non-blocking mode: the handshake driven by select(),
// pending() and why a select loop must check it, half-close, flow control, session details.
import test from 'ava';
import { select } from '../../../src/reactor/select.js';
import { EVENT_READ, EVENT_WRITE } from '../../../src/reactor/selectable.js';
import { Selector } from '../../../src/reactor/selector.js';
import { SHUT_WR, SOL_SOCKET, SO_RCVBUF, SO_SNDBUF } from '../../../src/transports/constants.js';
import { BrokenPipeError, OSError } from '../../../src/transports/errors.js';
import { socketpair } from '../../../src/transports/socket-module.js';
import { SSLWantReadError, SSLWantWriteError } from '../../../src/transports/tls/errors.js';
import { handshakeAll, handshakenPair, recvAll, testContexts, wrapPair } from '../../helpers/tls-pair.js';
import { tcpConnection, unixConnection } from '../../helpers/sockets.js';

test('SSLSocket with doHandshakeOnConnect false does nothing until doHandshake, which wants to read first', async (t) => {
  const { server, client } = wrapPair(t, socketpair());
  t.is(client.version(), null);
  // Nothing has started: the wrapped socket's readiness shows through (writable, nothing to read).
  t.is(client.readiness(), EVENT_WRITE);
  t.throws(() => client.doHandshake(), { instanceOf: SSLWantReadError });
  t.throws(() => server.doHandshake(), { instanceOf: SSLWantReadError });
  await handshakeAll([server, client]);
  t.notThrows(() => client.doHandshake());
  t.is(client.version(), 'TLSv1.3');
  t.is(server.version(), 'TLSv1.3');
});

test('SSLSocket reports the session: version, cipher, ALPN, the peer certificate', async (t) => {
  const { server, client } = await handshakenPair(t, testContexts({ alpnProtocols: ['resp', 'http/1.1'] }, { alpnProtocols: ['http/1.1'] }));
  t.is(client.selectedAlpnProtocol(), 'http/1.1');
  t.is(server.selectedAlpnProtocol(), 'http/1.1');
  const [name, protocol, bits] = client.cipher() ?? ['', '', 0];
  t.regex(name, /^TLS_/);
  t.is(protocol, 'TLSv1.3');
  t.true(bits >= 128);
  const cert = client.getpeercert();
  t.is(cert?.subject['CN'], 'localhost');
  t.is(cert?.issuer['CN'], 'switchboard test CA');
  t.deepEqual(cert?.subjectAltName.slice(0, 2), [
    ['DNS', 'localhost'],
    ['IP Address', '127.0.0.1'],
  ]);
  t.true((client.getpeercert(true)?.length ?? 0) > 100);
  // A server that asked for no client certificate has none.
  t.is(server.getpeercert(), null);
  t.true(client.getpeername() === '' && client.getsockname() === '');
});

test('SSLSocket moves data both ways, and sendall/recvAsync wait as the socket calls do', async (t) => {
  const { server, client } = await handshakenPair(t);
  t.is(client.send('ping'), 4);
  t.is((await recvAll(server, 4)).toString(), 'ping');
  const big = Buffer.alloc(300_000, 7);
  const reading = recvAll(client, big.length);
  await server.sendall(big);
  t.true((await reading).equals(big));
  t.throws(() => client.recv(10), { instanceOf: SSLWantReadError });
  t.is(client.tryRecv(10), null);
  t.is(client.recv(0).length, 0);
  server.send('x');
  t.is((await client.recvAsync(10)).toString(), 'x');
});

test('pending(): a select loop that ignores it stalls on bytes already decrypted; one that checks it reads them', async (t) => {
  const { server, client } = await handshakenPair(t);
  server.send('one record of forty bytes, sent at once');
  await select([client], [], [], 10);
  t.is(client.recv(10).toString(), 'one record');
  // The rest of the record sits in the SSL buffer: the socket is not readable, as with OpenSSL.
  t.is(client.pending(), 29);
  t.is(client.readiness() & EVENT_READ, 0);
  const [ignoring] = await select([client], [], [], 0);
  t.deepEqual(ignoring, [], 'a loop that only trusts select() sees nothing to read and waits forever');
  const selector = new Selector();
  t.teardown(() => selector.close());
  selector.register(client, EVENT_READ);
  t.deepEqual(await selector.select(0), []);
  // The loop that checks pending() first reads the rest without waiting.
  let rest = '';
  while (client.pending() > 0) rest += client.recv(8).toString();
  t.is(rest, ' of forty bytes, sent at once');
});

test('SSLSocket SHUT_WR sends close_notify: the peer reads b"" and may still answer', async (t) => {
  const { server, client } = await handshakenPair(t);
  client.send('last words');
  client.shutdown(SHUT_WR);
  t.throws(() => client.send('more'), { instanceOf: BrokenPipeError });
  t.is((await recvAll(server, 10)).toString(), 'last words');
  t.is((await server.recvAsync(10)).length, 0);
  server.send('reply after EOF');
  t.is((await recvAll(client, 15)).toString(), 'reply after EOF');
  server.close();
  t.is((await client.recvAsync(10)).length, 0);
});

test('SSLSocket close() after a send delivers the data, then EOF, and the socket is closed', async (t) => {
  const { server, client } = await handshakenPair(t);
  client.send('bye');
  client.close();
  t.is(client.fileno(), -1);
  t.throws(() => client.recv(1), { instanceOf: OSError, code: 'EBADF' });
  t.is((await recvAll(server, 3)).toString(), 'bye');
  t.is((await server.recvAsync(1)).length, 0);
  await t.throwsAsync(select([client], [], [], 0));
});

test('SSLSocket bounds its buffers: a reader that stops leaves at most about SO_RCVBUF decrypted, and the sender blocks', async (t) => {
  const [a, b] = socketpair();
  for (const end of [a, b]) {
    end.setsockopt(SOL_SOCKET, SO_RCVBUF, 32768);
    end.setsockopt(SOL_SOCKET, SO_SNDBUF, 32768);
  }
  const { server, client } = wrapPair(t, [a, b]);
  await handshakeAll([server, client]);
  const chunk = Buffer.alloc(16384, 1);
  let sent = 0;
  // Bounded: the sender must run out of room long before 400 rounds of 16 KiB (6.4 MB).
  for (let round = 0; round < 400; round++) {
    const n = client.trySend(chunk);
    if (n < 0) {
      const [, writable] = await select([], [client], [], 0.2);
      if (writable.length === 0) break;
      continue;
    }
    sent += n;
  }
  t.throws(() => client.send(chunk), { instanceOf: SSLWantWriteError });
  t.true(sent < 1_000_000, `sent ${sent} bytes into a peer that reads nothing`);
  const received = await recvAll(server, sent);
  t.is(received.length, sent);
});

test('SSLSocket over TCP and Unix sockets, with select() on both ends', async (t) => {
  for (const connect of [tcpConnection, unixConnection]) {
    const { server: serverEnd, client: clientEnd } = await connect(t);
    const { server, client } = wrapPair(t, [serverEnd, clientEnd]);
    await handshakeAll([server, client]);
    const message = `over ${connect.name}`;
    client.send(message);
    t.is((await recvAll(server, message.length)).toString(), message);
    server.close();
    t.is((await client.recvAsync(10)).length, 0);
  }
});

test('SSLSocket with doHandshakeOnConnect (the default) shakes hands by itself; recv waits for it', async (t) => {
  const [a, b] = socketpair();
  const { serverContext, clientContext } = testContexts();
  const server = serverContext.wrapSocket(a, { serverSide: true });
  const client = clientContext.wrapSocket(b, { serverHostname: 'localhost' });
  t.teardown(() => {
    server.close();
    client.close();
  });
  t.throws(() => client.send('early'), { instanceOf: SSLWantReadError });
  await client.doHandshakeAsync();
  client.send('hello');
  t.is((await server.recvAsync(10)).toString(), 'hello');
});
