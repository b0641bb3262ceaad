// SSLSocket against node:tls in both roles over real loopback TCP: our client in a select() loop
// against tls.createServer, and tls.connect against our server socket accepted by a switchboard listener.
import test from 'ava';
import { once } from 'node:events';
import * as tls from 'node:tls';
import type { AddressInfo } from 'node:net';
import { AF_INET } from '../../src/transports/constants.js';
import { select } from '../../src/reactor/select.js';
import { createDefaultContext } from '../../src/transports/tls/tls-context.js';
import { closing, newSocket } from '../helpers/sockets.js';
import { testCerts } from '../helpers/tls-certs.js';
import { handshakeAll, recvAll, testContexts } from '../helpers/tls-pair.js';

test('SSLSocket client in a select() loop talks to a node:tls echo server', async (t) => {
  const certs = testCerts();
  const server = tls.createServer({ cert: certs.server.cert, key: certs.server.key }, (conn) => conn.pipe(conn));
  t.teardown(() => server.close());
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo; // I/O boundary: a TCP server's address is AddressInfo
  const raw = newSocket(t, AF_INET);
  await raw.connectAsync(['127.0.0.1', port]);
  const sock = closing(t, createDefaultContext({ ca: certs.ca }).wrapSocket(raw, { serverHostname: '127.0.0.1', doHandshakeOnConnect: false }));
  await handshakeAll([sock]);
  const message = Buffer.alloc(100_000, 'switchboard ');
  await sock.sendall(message);
  t.true((await recvAll(sock, message.length)).equals(message));
  t.is(sock.getpeername().toString(), ['127.0.0.1', port].toString());
});

test('node:tls client talks to an SSLSocket accepted by a switchboard listener', async (t) => {
  const certs = testCerts();
  const listener = newSocket(t, AF_INET);
  listener.bind(['127.0.0.1', 0]);
  listener.listen(4);
  const address = listener.getsockname();
  const port = Array.isArray(address) ? address[1] : 0;
  const client = tls.connect({ host: '127.0.0.1', port, ca: certs.ca, servername: 'localhost', ALPNProtocols: ['echo'] });
  t.teardown(() => client.destroy());
  const [accepted] = await listener.acceptAsync();
  const server = closing(t, testContexts({ alpnProtocols: ['echo'] }).serverContext.wrapSocket(accepted, { serverSide: true, doHandshakeOnConnect: false }));
  await Promise.all([handshakeAll([server]), once(client, 'secureConnect')]);
  t.is(server.selectedAlpnProtocol(), 'echo');
  t.true(client.authorized);
  client.write('from node:tls');
  t.is((await recvAll(server, 13)).toString(), 'from node:tls');
  server.send('from switchboard');
  const [reply] = (await once(client, 'data')) as [Buffer];
  t.is(reply.toString(), 'from switchboard');
  client.end();
  await select([server], [], [], 10);
  t.is(server.recv(10).length, 0);
});
