// SocketTransport.startTLS: a line protocol switches its open connection to TLS after a command
// (STARTTLS), with the peer's first TLS bytes that arrived along with the command handed over as
// leftover, not lost; then the same protocol talks over TLS.
import test from 'ava';
import { SelectorReactor } from '../../../src/reactor/selector-reactor.js';
import { ValueError } from '../../../src/transports/errors.js';
import type { Protocol, Transport } from '../../../src/contract/index.js';
import { SocketTransport } from '../../../src/transports/socket-transport.js';
import { socketpair } from '../../../src/transports/socket-module.js';
import { closing, tcpConnection } from '../../helpers/sockets.js';
import { recvAll, testContexts } from '../../helpers/tls-pair.js';

const COMMAND = 'STARTTLS\n';

/** Plain text until the command; then TLS, echoing in upper case. `reply` is said before switching. */
class StartTLSServer implements Protocol {
  #transport: Transport | undefined;
  #isSecure = false;
  readonly #reply: string;
  leftoverBytes = -1;
  failure: unknown;

  constructor(reply: string) {
    this.#reply = reply;
  }

  connectionMade(transport: Transport): void {
    this.#transport = transport;
  }

  dataReceived(data: Uint8Array): void {
    const transport = this.#transport;
    if (transport === undefined) return;
    if (this.#isSecure) {
      transport.write(new TextEncoder().encode(Buffer.from(data).toString().toUpperCase()));
      return;
    }
    const text = Buffer.from(data);
    const end = text.indexOf('\n');
    if (end < 0 || text.subarray(0, end + 1).toString() !== COMMAND || !(transport instanceof SocketTransport)) return;
    if (this.#reply !== '') transport.write(new TextEncoder().encode(this.#reply));
    const leftover = text.subarray(end + 1);
    this.leftoverBytes = leftover.length;
    this.#isSecure = true;
    try {
      transport.startTLS(testContexts().serverContext, { leftover });
      transport.startTLS(testContexts().serverContext);
    } catch (error) {
      this.failure = error;
    }
  }

  connectionLost(): void {}
}

function runReactor(t: { teardown(fn: () => Promise<void>): void }): SelectorReactor {
  const reactor = new SelectorReactor();
  t.teardown(async () => {
    reactor.stop();
    await running;
  });
  const running = reactor.run();
  return reactor;
}

test('startTLS after a plain reply: the client reads the reply, then both sides speak TLS', async (t) => {
  const { server: serverEnd, client: raw } = await tcpConnection(t);
  const protocol = new StartTLSServer('220 ready for TLS\n');
  const reactor = runReactor(t);
  const transport = new SocketTransport(serverEnd, protocol, reactor).start();
  t.teardown(() => transport.abort());
  raw.send(COMMAND);
  t.is((await raw.recvAsync(100)).toString(), '220 ready for TLS\n');
  const client = closing(t, testContexts().clientContext.wrapSocket(raw, { serverHostname: 'localhost' }));
  await client.doHandshakeAsync();
  t.is(protocol.leftoverBytes, 0);
  t.true(protocol.failure instanceof ValueError, 'a second startTLS is refused');
  t.true(transport.selectable !== serverEnd);
  client.send('secret');
  t.is((await recvAll(client, 6)).toString(), 'SECRET');
});

test('startTLS hands the ClientHello that came with the command to TLS as leftover', async (t) => {
  const [serverEnd, raw] = socketpair();
  const protocol = new StartTLSServer('');
  const reactor = new SelectorReactor();
  const transport = new SocketTransport(serverEnd, protocol, reactor).start();
  t.teardown(() => transport.abort());
  // The reactor waits until the command and the ClientHello both sit in the server's buffer, so
  // one recv() returns them together: the second arrival is the event waited for.
  let arrivals = 0;
  const bothArrived = new Promise<void>((resolve) => {
    serverEnd.watch(() => {
      arrivals += 1;
      if (arrivals === 2) resolve();
    });
  });
  raw.send(COMMAND);
  const client = closing(t, testContexts().clientContext.wrapSocket(raw, { serverHostname: 'localhost' }));
  await bothArrived;
  const running = reactor.run();
  t.teardown(async () => {
    reactor.stop();
    await running;
  });
  await client.doHandshakeAsync();
  t.true(protocol.leftoverBytes > 100, `the ClientHello (${protocol.leftoverBytes} bytes) came with the command`);
  client.send('over tls');
  t.is((await recvAll(client, 8)).toString(), 'OVER TLS');
});

test('startTLS refuses to switch while plain text is still queued', (t) => {
  const [serverEnd, peer] = socketpair();
  t.teardown(() => peer.close());
  const reactor = new SelectorReactor();
  let seen: Transport | undefined;
  const transport = new SocketTransport(serverEnd, { connectionMade: (tr) => (seen = tr), dataReceived() {}, connectionLost() {} }, reactor, { highWater: 1 << 30 }).start();
  t.teardown(() => transport.abort());
  t.is(seen, transport);
  // More than the send buffer takes: the rest waits in the transport's queue.
  transport.write(Buffer.alloc(2_000_000));
  t.true(transport.getWriteBufferSize() > 0);
  t.throws(() => transport.startTLS(testContexts().serverContext), { instanceOf: ValueError, message: /bytes of plain text wait/ });
});
