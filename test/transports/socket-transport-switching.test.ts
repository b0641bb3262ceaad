// SocketTransport.setProtocol on an in-memory socketpair driven by a running reactor: the next
// protocol gets connectionMade, the leftover, then the stream; the old one hears nothing more; pause
// state, queued writes and pauseWriting carry over; an EOF that came first still reaches it.
import test from 'ava';
import { SelectorReactor } from '../../src/reactor/selector-reactor.js';
import { SHUT_WR } from '../../src/transports/constants.js';
import type { Protocol, Transport } from '../../src/contract/index.js';
import { Socket } from '../../src/transports/socket.js';
import { SocketTransport } from '../../src/transports/socket-transport.js';

const text = (data: Uint8Array): string => Buffer.from(data).toString('latin1');

/** A protocol that records its events and lets a test wait for one. */
class Recorder implements Protocol<Uint8Array> {
  readonly events: string[] = [];
  transport: Transport<Uint8Array> | undefined;
  onData: ((data: Uint8Array) => void) | undefined;
  keepOpenAtEOF = false;
  #waiters: { match: string; resolve: () => void }[] = [];

  connectionMade(transport: Transport<Uint8Array>): void {
    this.transport = transport;
    this.#record('made');
  }
  dataReceived(data: Uint8Array): void {
    this.#record(`data:${text(data)}`);
    this.onData?.(data);
  }
  eofReceived(): boolean {
    this.#record('eof');
    return this.keepOpenAtEOF;
  }
  pauseWriting(): void {
    this.#record('pauseWriting');
  }
  resumeWriting(): void {
    this.#record('resumeWriting');
  }
  connectionLost(reason?: Error): void {
    this.#record(`lost:${reason?.name ?? 'clean'}`);
  }
  /** Resolves once an event equal to `match` was recorded (already, or later). */
  waitFor(match: string): Promise<void> {
    if (this.events.includes(match)) return Promise.resolve();
    return new Promise((resolve) => this.#waiters.push({ match, resolve }));
  }
  #record(event: string): void {
    this.events.push(event);
    for (const waiter of this.#waiters.filter((w) => w.match === event)) waiter.resolve();
  }
}

/** A running reactor and a socketpair whose first end is served by `first` through a SocketTransport. */
function served(t: import('ava').ExecutionContext, first: Protocol<Uint8Array>): { transport: SocketTransport; peer: Socket } {
  const reactor = new SelectorReactor();
  const running = reactor.run();
  const [mine, peer] = Socket.pair();
  const transport = new SocketTransport(mine, first, reactor).start();
  t.teardown(async () => {
    transport.abort();
    peer.close();
    reactor.stop();
    await running;
  });
  return { transport, peer };
}

test('setProtocol from dataReceived: the next protocol gets the leftover before later bytes, the old one nothing', async (t) => {
  const next = new Recorder();
  const old = new Recorder();
  const { transport, peer } = served(t, old);
  old.onData = (data) => {
    transport.write(Buffer.from('switching\n'));
    transport.setProtocol(next, [Buffer.from(data).subarray(7)]);
  };
  peer.send(Buffer.from('SWITCH\nleft over'));
  await next.waitFor('data:left over');
  peer.send(Buffer.from(' and later'));
  await next.waitFor('data: and later');
  transport.close();
  await next.waitFor('lost:clean');
  t.deepEqual(old.events, ['made', 'data:SWITCH\nleft over']);
  t.deepEqual(next.events, ['made', 'data:left over', 'data: and later', 'lost:clean']);
  t.is(text(peer.recv(100)), 'switching\n');
});

test('setProtocol while reading is paused: the leftover waits for resumeReading', async (t) => {
  const next = new Recorder();
  const old = new Recorder();
  const { transport, peer } = served(t, old);
  old.onData = () => {
    transport.pauseReading();
    transport.setProtocol(next, [Buffer.from('kept'), Buffer.alloc(0)]);
  };
  peer.send(Buffer.from('go'));
  await next.waitFor('made');
  t.false(transport.isReading);
  t.deepEqual(next.events, ['made']);
  transport.resumeReading();
  t.deepEqual(next.events, ['made', 'data:kept']);
  peer.send(Buffer.from('more'));
  await next.waitFor('data:more');
  t.true(transport.isReading);
});

test('setProtocol while writing is paused: queued bytes go out first and the next protocol is paused, then resumed', async (t) => {
  const next = new Recorder();
  const old = new Recorder();
  const { transport, peer } = served(t, old);
  transport.setWriteBufferLimits(1024, 0);
  // More than the pair's emulated send buffer takes, so the transport queues and pauses writing.
  const big = Buffer.alloc(1024 * 1024, 0x61);
  transport.write(big);
  await old.waitFor('pauseWriting');
  transport.setProtocol(next);
  transport.write(Buffer.from('after'));
  t.deepEqual(next.events, ['made', 'pauseWriting']);
  let received = '';
  // Bounded: the pair hands over at least one byte per awaited receive.
  for (let i = 0; i < big.length && !received.endsWith('after'); i++) received += text(await peer.recvAsync(65536));
  t.is(received.length, big.length + 5, 'every queued byte, then the new protocol\'s, in order');
  await next.waitFor('resumeWriting');
  t.false(old.events.includes('resumeWriting'));
});

test('setProtocol after the peer sent EOF: the next protocol gets the leftover, then eofReceived', async (t) => {
  const next = new Recorder();
  const old = new Recorder();
  old.keepOpenAtEOF = true;
  const { transport, peer } = served(t, old);
  peer.send(Buffer.from('last words'));
  peer.shutdown(SHUT_WR);
  await old.waitFor('eof');
  transport.setProtocol(next, [Buffer.from('words')]);
  t.deepEqual(next.events, ['made', 'data:words', 'eof']);
  await next.waitFor('lost:clean');
  t.throws(() => transport.setProtocol(new Recorder()), { name: 'TransportClosedError' });
});
