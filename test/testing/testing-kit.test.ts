// switchboard/testing on the project's own protocols: no sockets, no sleeps.
import test from 'ava';
import { chatFactory } from '../../src/protocols/apps/chat.js';
import { EchoProtocol } from '../../src/protocols/apps/echo.js';
import { IdleTimeoutError, withIdleTimeout } from '../../src/protocols/idle-timeout.js';
import { ManualScheduler, RecordingTransport, connectProtocols, connectRecording } from '../../src/testing/index.js';
import type { Protocol, Transport } from '../../src/contract/index.js';

test('RecordingTransport shows what an echo protocol wrote, its half-close and its flow control', (t) => {
  const echo = new EchoProtocol();
  const transport = connectRecording(echo);
  echo.dataReceived(Buffer.from('abc'));
  t.is(transport.take(), 'abc');
  echo.pauseWriting();
  t.false(transport.isReading);
  echo.resumeWriting();
  t.true(transport.isReading);
  t.true(echo.eofReceived());
  t.true(transport.hasWrittenEOF);
  t.throws(() => transport.write(Buffer.from('x')), { name: 'TransportClosedError' });
});

test('a chat stack is testable line by line on recording transports', (t) => {
  const factory = chatFactory({ maxLineBytes: 16 });
  const alice = factory.buildProtocol(['127.0.0.1', 1]);
  const a = connectRecording(alice);
  const bob = factory.buildProtocol(['127.0.0.1', 2]);
  const b = connectRecording(bob);
  t.regex(a.take(), /^\* welcome, guest1; .*\n\* guest2 joined\n$/);
  t.regex(b.take(), /^\* welcome, guest2; /);
  alice.dataReceived(Buffer.from('/nick al\nhi b'));
  alice.dataReceived(Buffer.from('ob\r\n'));
  t.is(a.take(), '* you are al\n');
  t.is(b.take(), '* guest1 is now al\nal: hi bob\n');
  alice.dataReceived(Buffer.from('x'.repeat(40)));
  t.is(a.take(), '* line too long\n');
  t.true(a.isClosing);
});

test('ProtocolPair pumps bytes both ways and delivers EOF and close in order', (t) => {
  const received: string[] = [];
  let clientTransport: Transport | undefined;
  const client: Protocol = {
    connectionMade(transport) {
      clientTransport = transport;
      transport.write(Buffer.from('ping'));
      transport.writeEOF();
    },
    dataReceived: (data) => received.push(Buffer.from(data).toString()),
    eofReceived: () => {
      received.push('EOF');
      return false;
    },
    connectionLost: (reason) => received.push(`lost ${reason === undefined ? 'clean' : reason.message}`),
  };
  const pair = connectProtocols(new EchoProtocol(), client);
  t.deepEqual(received, [], 'nothing moves before the pump');
  pair.pump();
  t.deepEqual(received, ['ping', 'EOF', 'lost clean']);
  t.truthy(clientTransport);
});

test('ManualScheduler runs due calls in order when advanced, never on its own', (t) => {
  const clock = new ManualScheduler();
  const ran: string[] = [];
  clock.callLater(2, () => ran.push('two'));
  const cancelled = clock.callLater(1, () => ran.push('never'));
  clock.callLater(1, () => {
    ran.push('one');
    clock.callLater(0.5, () => ran.push('one and a half'));
  });
  cancelled.cancel();
  t.is(clock.pendingCalls.length, 2);
  clock.advance(1.9);
  t.deepEqual(ran, ['one', 'one and a half']);
  clock.advance(0.1);
  t.deepEqual(ran, ['one', 'one and a half', 'two']);
  t.is(clock.seconds(), 2);
});

test('an idle timeout closes a silent connection with IdleTimeoutError, and traffic both ways defers it', (t) => {
  const clock = new ManualScheduler();
  let lost: Error | undefined;
  let inner: Transport | undefined;
  const protocol = withIdleTimeout<Uint8Array>(
    {
      connectionMade: (transport) => {
        inner = transport;
      },
      dataReceived: () => {},
      connectionLost: (reason) => {
        lost = reason;
      },
    },
    10,
    clock,
  );
  const transport = new RecordingTransport();
  protocol.connectionMade(transport);
  clock.advance(9);
  protocol.dataReceived(Buffer.from('still here'));
  clock.advance(9);
  inner?.write(Buffer.from('and so am I'));
  clock.advance(9);
  t.false(transport.isAborted);
  clock.advance(1);
  t.true(transport.isAborted);
  protocol.connectionLost();
  t.true(lost instanceof IdleTimeoutError);
  t.is(withIdleTimeout(new EchoProtocol(), 0, clock) instanceof EchoProtocol, true);
});
