// The idle timeouts of one scheduler share one pending timer (an IdleQueue), yet each connection
// still closes exactly its own length after its own last activity. No sockets, no sleeps.
import test from 'ava';
import { IdleTimeoutError, withIdleTimeout } from '../../src/protocols/idle-timeout.js';
import { ManualScheduler, RecordingTransport } from '../../src/testing/index.js';
import type { Protocol, Transport } from '../../src/contract/index.js';

interface Watched {
  readonly protocol: Protocol;
  readonly below: RecordingTransport;
  inner: Transport | undefined;
  lost: Error | undefined;
}

function connect(clock: ManualScheduler, seconds: number): Watched {
  const watched: Watched = {
    below: new RecordingTransport(),
    inner: undefined,
    lost: undefined,
    protocol: withIdleTimeout<Uint8Array>(
      {
        connectionMade: (transport) => {
          watched.inner = transport;
        },
        dataReceived: () => {},
        connectionLost: (reason) => {
          watched.lost = reason;
        },
      },
      seconds,
      clock,
    ),
  };
  watched.protocol.connectionMade(watched.below);
  return watched;
}

const aborted = (all: readonly Watched[]): boolean[] => all.map((w) => w.below.isAborted);

test('connections of one scheduler and length share one timer and each times out after its own last activity', (t) => {
  const clock = new ManualScheduler();
  const a = connect(clock, 10);
  clock.advance(2);
  const b = connect(clock, 10);
  clock.advance(2);
  const c = connect(clock, 10);
  t.is(clock.pendingCalls.length, 1, 'one timer for three connections');
  clock.advance(5); // t = 9
  a.protocol.dataReceived(Buffer.from('a is back')); // a: due at 19
  clock.advance(3); // t = 12: b was due at 12
  t.deepEqual(aborted([a, b, c]), [false, true, false]);
  b.protocol.connectionLost();
  t.true(b.lost instanceof IdleTimeoutError);
  c.inner?.write(Buffer.from('c writes')); // c: due at 22
  clock.advance(6.5); // t = 18.5
  t.deepEqual(aborted([a, b, c]), [false, true, false]);
  clock.advance(0.5); // t = 19
  t.deepEqual(aborted([a, b, c]), [true, true, false]);
  a.protocol.connectionLost();
  t.is(clock.pendingCalls.length, 1);
  clock.advance(3); // t = 22
  t.deepEqual(aborted([a, b, c]), [true, true, true]);
  c.protocol.connectionLost(new Error('whatever the transport said'));
  t.true(c.lost instanceof IdleTimeoutError, 'the timeout is the reason, not what the transport said');
  t.deepEqual(clock.pendingCalls, [], 'no timer is left once every connection is gone');
});

test('a connection that closes on its own leaves the queue, and the last one out cancels the timer', (t) => {
  const clock = new ManualScheduler();
  const a = connect(clock, 5);
  const b = connect(clock, 5);
  const other = connect(clock, 7);
  t.is(clock.pendingCalls.length, 2, 'one timer per length');
  const reason = new Error('peer reset');
  a.protocol.connectionLost(reason);
  t.is(a.lost, reason, 'a connection closed by its peer keeps its own reason');
  b.protocol.connectionLost();
  t.is(b.lost, undefined);
  t.is(clock.pendingCalls.length, 1, "the 5 s queue's timer is cancelled");
  clock.advance(7);
  t.true(other.below.isAborted);
  t.false(a.below.isAborted || b.below.isAborted);
  other.protocol.connectionLost();
  t.deepEqual(clock.pendingCalls, []);
});

test('a connection made while the shared timer fires is timed from its own start', (t) => {
  const clock = new ManualScheduler();
  const late: Watched[] = [];
  const first = connect(clock, 4);
  clock.callLater(4, () => late.push(connect(clock, 4))); // due with first's timeout, scheduled after it
  clock.advance(4);
  t.true(first.below.isAborted);
  first.protocol.connectionLost();
  t.is(late.length, 1);
  t.deepEqual(clock.pendingCalls.map((call) => call.at), [8]);
  clock.advance(3.5);
  t.false(late[0]?.below.isAborted);
  clock.advance(0.5);
  t.true(late[0]?.below.isAborted);
});
