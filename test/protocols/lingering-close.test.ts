// The one bounded lingering close (issue 13, issue 14): write the answer, shut down writing, read and
// discard for bounded time and bytes, cap how many linger, then close. On a manual clock, no sleeps.
import test from 'ava';
import { DEFAULT_LINGERING, LingeringCloser } from '../../src/protocols/lingering-close.js';
import { ManualScheduler, RecordingTransport, connectRecording } from '../../src/testing/index.js';

function lingering(options: ConstructorParameters<typeof LingeringCloser>[1] = {}): { scheduler: ManualScheduler; closer: LingeringCloser } {
  const scheduler = new ManualScheduler();
  return { scheduler, closer: new LingeringCloser(scheduler, options) };
}

test('LingeringClose writes the answer, shuts down writing, discards what comes, and closes after lingeringTimeout of silence', (t) => {
  const { scheduler, closer } = lingering();
  const transport = connectRecording(closer.protocol(Buffer.from('HTTP/1.1 413 Content Too Large\r\n\r\n')));
  t.is(transport.take(), 'HTTP/1.1 413 Content Too Large\r\n\r\n');
  t.true(transport.hasWrittenEOF);
  t.false(transport.isClosing);
  t.is(closer.lingering, 1);
  scheduler.advance(4);
  transport.receive(Buffer.alloc(1000));
  scheduler.advance(4);
  t.false(transport.isClosing, 'data came within lingeringTimeout');
  scheduler.advance(6);
  t.true(transport.isClosing);
  t.false(transport.isAborted);
});

test('LingeringClose closes after lingeringTime however steadily the peer sends', (t) => {
  const { scheduler, closer } = lingering();
  const transport = connectRecording(closer.protocol());
  for (let second = 0; second < 29; second++) {
    scheduler.advance(1);
    transport.receive(Buffer.alloc(100));
  }
  t.false(transport.isClosing);
  scheduler.advance(1);
  t.true(transport.isClosing);
});

test('LingeringClose closes once maxDiscardBytes were discarded', (t) => {
  const { closer } = lingering({ maxDiscardBytes: 10_000 });
  const transport = new RecordingTransport();
  const protocol = closer.close(transport);
  transport.protocol = protocol;
  transport.receive(Buffer.alloc(10_000));
  t.false(transport.isClosing);
  transport.receive(Buffer.alloc(1));
  t.true(transport.isClosing);
  t.is(protocol.discardedBytes, 10_001);
});

test('LingeringClose past the cap closes at once, and a place is given back when a connection is lost', (t) => {
  const { closer } = lingering({ maxLingering: 1 });
  const first = new RecordingTransport();
  const firstLingering = closer.close(first);
  const second = new RecordingTransport();
  closer.close(second);
  t.false(first.isClosing);
  t.true(second.isClosing, 'over the cap: closed at once');
  t.false(second.hasWrittenEOF);
  firstLingering.connectionLost();
  t.is(closer.lingering, 0);
  const third = new RecordingTransport();
  closer.close(third);
  t.false(third.isClosing);
});

test('LingeringClose aborts when our last bytes make no progress for lingeringTimeout (the peer does not read)', (t) => {
  const { scheduler, closer } = lingering();
  const transport = new RecordingTransport();
  transport.writeBufferSize = 50_000;
  closer.close(transport);
  transport.writeBufferSize = 20_000;
  scheduler.advance(5);
  t.false(transport.isClosing, 'progress: it goes on');
  scheduler.advance(5);
  t.true(transport.isAborted, 'no progress in lingeringTimeout: the peer does not read');
});

test('LingeringClose lets the transport close on the peer EOF, and without a scheduler closes at once', (t) => {
  const { closer } = lingering();
  t.false(closer.protocol().eofReceived());
  const unbounded = new LingeringCloser(undefined);
  const transport = new RecordingTransport();
  unbounded.close(transport, Buffer.from('bye'));
  t.true(transport.isClosing);
  t.is(transport.take(), 'bye');
});

test('LingeringCloser refuses bounds that are not positive numbers, naming them', (t) => {
  t.throws(() => new LingeringCloser(undefined, { lingeringTime: 0 }), { instanceOf: RangeError, message: /lingeringTime/ });
  t.throws(() => new LingeringCloser(undefined, { maxLingering: Number.NaN }), { instanceOf: RangeError, message: /maxLingering/ });
  t.deepEqual(new LingeringCloser(undefined).options, DEFAULT_LINGERING);
});
