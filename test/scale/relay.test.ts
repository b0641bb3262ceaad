// The two halves of a server hosted in the primary (chat under --workers), without processes: the
// worker's ConnectionRelay turns events into messages and the primary's commands into transport
// calls, bounded both ways; the primary's RelayedTransport turns a protocol's calls into commands.
import test from 'ava';
import type { Protocol, Transport } from '../../src/contract/index.js';
import { ConnectionRelay, MAX_RELAY_BACKLOG_BYTES } from '../../src/cli/connection-relay.js';
import { RelayedTransport } from '../../src/cli/relayed-transport.js';
import type { RelayCommand, RelayEvent } from '../../src/cli/worker-messages.js';
import { connectRecording } from '../../src/testing/index.js';

test('ConnectionRelay sends opened, data, eof and lost in order, and applies the primary\'s commands', (t) => {
  const sent: RelayEvent[] = [];
  let ended = 0;
  const relay = new ConnectionRelay(7, ['192.0.2.1', 5], (message, done) => {
    sent.push(message);
    done();
  }, () => (ended += 1));
  const transport = connectRecording(relay);
  transport.receive(Buffer.from('hi'));
  t.true(relay.eofReceived(), 'the primary decides what EOF means');
  t.deepEqual(sent.map((m) => m.type), ['opened', 'data', 'eof']);
  t.deepEqual(sent[0]?.peer, ['192.0.2.1', 5]);
  t.is(Buffer.from(sent[1]?.data ?? '', 'base64').toString(), 'hi');
  relay.command({ type: 'write', id: 7, data: Buffer.from('back').toString('base64') });
  t.is(transport.take(), 'back');
  relay.command({ type: 'pauseReading', id: 7 });
  t.false(transport.isReading);
  relay.command({ type: 'resumeReading', id: 7 });
  t.true(transport.isReading);
  relay.command({ type: 'writeEOF', id: 7 });
  t.true(transport.hasWrittenEOF);
  relay.command({ type: 'close', id: 7 });
  t.true(transport.isClosing);
  relay.connectionLost(new Error('gone'));
  t.deepEqual(sent.at(-1), { type: 'lost', id: 7, data: 'gone' });
  t.is(ended, 1);
  relay.command({ type: 'write', id: 7, data: 'eA==' });
  t.is(transport.written.length, 0, 'nothing is written once the connection is gone');
});

test('ConnectionRelay pauses reading while 64 messages wait on the channel, resumes at 32; a client whose backlog passes 1 MiB is aborted', (t) => {
  const pending: (() => void)[] = [];
  const relay = new ConnectionRelay(1, ['127.0.0.1', 1], (_message, done) => pending.push(done), () => {});
  const transport = connectRecording(relay);
  for (let i = 0; i < 62; i++) transport.receive(Buffer.from('x'));
  t.true(transport.isReading, '63 unsent, opened included');
  transport.receive(Buffer.from('x'));
  t.false(transport.isReading);
  while (pending.length > 33) pending.shift()?.();
  t.false(transport.isReading);
  pending.shift()?.();
  t.true(transport.isReading);
  transport.writeBufferSize = MAX_RELAY_BACKLOG_BYTES + 1;
  relay.command({ type: 'write', id: 1, data: 'eA==' });
  t.true(transport.isAborted);
  relay.command({ type: 'abort', id: 1 });
  t.is(transport.written.length, 1, 'a command after the abort does nothing');
});

test('RelayedTransport: the protocol in the primary writes, pauses, closes through commands; EOF it does not keep closes; lost once', (t) => {
  const commands: RelayCommand[] = [];
  const events: string[] = [];
  let seen: Transport | undefined;
  const protocol: Protocol = {
    connectionMade: (transport) => {
      seen = transport;
      events.push('made');
    },
    dataReceived: (data) => events.push(`data ${Buffer.from(data).toString()}`),
    connectionLost: (reason) => events.push(`lost ${reason?.message ?? ''}`),
  };
  const relayed = new RelayedTransport(3, { local: ['127.0.0.1', 80], peer: ['192.0.2.1', 9] }, protocol, (c) => commands.push(c));
  t.is(seen, relayed);
  t.deepEqual(relayed.peerAddress, ['192.0.2.1', 9]);
  relayed.dataReceived(Buffer.from('a'));
  relayed.write(Buffer.from('b'));
  relayed.pauseReading();
  relayed.pauseReading();
  t.false(relayed.isReading);
  relayed.resumeReading();
  relayed.writeEOF();
  t.is(relayed.getWriteBufferSize(), 0);
  relayed.setWriteBufferLimits();
  relayed.eofReceived();
  t.true(relayed.isClosing);
  t.throws(() => relayed.write(Buffer.from('late')), { name: 'TransportClosedError' });
  t.throws(() => relayed.writeEOF(), { name: 'TransportClosedError' });
  relayed.abort();
  relayed.connectionLost(new Error('worker exited'));
  relayed.connectionLost();
  relayed.dataReceived(Buffer.from('after'));
  t.deepEqual(commands.map((c) => c.type), ['write', 'pauseReading', 'resumeReading', 'writeEOF', 'close']);
  t.deepEqual(events, ['made', 'data a', 'lost worker exited']);
});
