// Throttle on a manual clock: exact bytes per window, pauses and resumes at window boundaries, no
// drift when timers fire late, and nothing lost in either direction.
import test from 'ava';
import { Throttle, throttled, type ThrottleOptions } from '../../src/protocols/throttle.js';
import type { ClockedScheduler } from '../../src/protocols/throttle-window.js';
import { ManualScheduler, RecordingTransport } from '../../src/testing/index.js';
import { type Factory, type Protocol, type Transport, TransportClosedError } from '../../src/contract/index.js';

/** A protocol that records what it is told, for asserting the order of events. */
class Probe implements Protocol {
  transport: Transport | undefined;
  readonly chunks: Uint8Array[] = [];
  readonly events: string[] = [];
  eofAnswer = false;
  connectionMade(transport: Transport): void {
    this.transport = transport;
  }
  dataReceived(data: Uint8Array): void {
    this.chunks.push(Buffer.from(data));
  }
  eofReceived(): boolean {
    this.events.push('eof');
    return this.eofAnswer;
  }
  pauseWriting(): void {
    this.events.push('pause');
  }
  resumeWriting(): void {
    this.events.push('resume');
  }
  connectionLost(reason?: Error): void {
    this.events.push(reason === undefined ? 'lost' : `lost ${reason.message}`);
  }
  get received(): number {
    return this.chunks.reduce((n, c) => n + c.length, 0);
  }
  write(bytes: Uint8Array): void {
    this.transport?.write(bytes);
  }
}

interface Rig {
  readonly clock: ManualScheduler;
  readonly probe: Probe;
  readonly throttle: Throttle;
  readonly lower: RecordingTransport;
}

function rig(options: Omit<ThrottleOptions, 'scheduler'>, scheduler?: ClockedScheduler, clock = new ManualScheduler()): Rig {
  const probe = new Probe();
  const throttle = new Throttle(probe, { ...options, scheduler: scheduler ?? clock });
  const lower = new RecordingTransport();
  throttle.connectionMade(lower);
  return { clock, probe, throttle, lower };
}

const bytes = (n: number, seed = 0): Buffer => Buffer.from(Array.from({ length: n }, (_, i) => (i * 7 + seed) % 251));

test('Throttle hands the protocol at most the read budget per window and reads again when the window rolls', (t) => {
  const { clock, probe, throttle, lower } = rig({ readBytesPerSecond: 1000 });
  const sent = bytes(2500);
  throttle.dataReceived(sent);
  t.is(probe.received, 1000);
  t.false(lower.isReading, 'reading stops once the budget is spent');
  clock.advance(0.999);
  t.is(probe.received, 1000, 'nothing more before the window ends');
  clock.advance(0.001);
  t.is(probe.received, 2000);
  t.false(lower.isReading);
  clock.advance(1);
  t.is(probe.received, 2500);
  t.true(lower.isReading, 'reading resumes once nothing is held');
  t.deepEqual(Buffer.concat(probe.chunks), sent);
  t.deepEqual(clock.pendingCalls, [], 'no timer while nothing waits');
});

test('Throttle passes a chunk that fits in the budget through untouched', (t) => {
  const { probe, throttle } = rig({ readBytesPerSecond: 1000 });
  const chunk = bytes(400);
  throttle.dataReceived(chunk);
  throttle.dataReceived(chunk);
  t.is(probe.received, 800);
  throttle.dataReceived(chunk);
  t.is(probe.received, 1000, 'the third chunk is cut at the budget');
});

test('Throttle windows stay on the grid when its timers fire late (no drift)', (t) => {
  const clock = new ManualScheduler();
  // A busy loop: every timer runs a quarter second after it was due.
  const late: ClockedScheduler = { callLater: (s, fn) => clock.callLater(s + 0.25, fn), seconds: () => clock.seconds() };
  const { probe, throttle } = rig({ readBytesPerSecond: 1000 }, late, clock);
  throttle.dataReceived(bytes(10_000));
  const seen: number[] = [];
  for (let k = 1; k <= 9; k++) {
    clock.advance(k === 1 ? 1.25 : 1);
    seen.push(probe.received);
  }
  // Window k still starts at k, so each late timer delivers the budget of one window; chained
  // one-second timers would have slipped a quarter second per window.
  t.deepEqual(seen, [2000, 3000, 4000, 5000, 6000, 7000, 8000, 9000, 10_000]);
});

test('Throttle counts a window from the grid after an idle gap, and from the time the connection was made', (t) => {
  const clock = new ManualScheduler();
  clock.advance(0.3);
  const { probe, throttle } = rig({ readBytesPerSecond: 1000 }, undefined, clock);
  clock.advance(3.2);
  throttle.dataReceived(bytes(1500));
  t.is(probe.received, 1000);
  t.deepEqual(
    clock.pendingCalls.map((c) => c.at.toFixed(9)),
    ['4.300000000'],
    'the window that began at 3.3 ends at 4.3, not one second after the data came',
  );
  clock.advance(0.8);
  t.is(probe.received, 1500);
});

test('Throttle queues writes past the budget, pauses the protocol, and resumes it after the windows that carry them', (t) => {
  const { clock, probe, throttle, lower } = rig({ writeBytesPerSecond: 1000 });
  probe.write(bytes(2500, 1));
  t.is(lower.bytes().length, 1000);
  t.deepEqual(probe.events, ['pause']);
  t.is(throttle.getWriteBufferSize(), 1500);
  // A protocol that writes while paused loses nothing: its bytes queue behind the others.
  probe.write(Buffer.from('tail'));
  t.is(throttle.getWriteBufferSize(), 1504);
  clock.advance(1);
  t.is(lower.bytes().length, 2000);
  clock.advance(1);
  t.is(lower.bytes().length, 2504);
  t.deepEqual(lower.bytes(), Buffer.concat([bytes(2500, 1), Buffer.from('tail')]));
  t.deepEqual(probe.events, ['pause', 'resume']);
  t.is(throttle.getWriteBufferSize(), 0);
});

test('Throttle merges the budget and the transport below into one pause and one resume', (t) => {
  const { clock, probe, throttle, lower } = rig({ writeBytesPerSecond: 1000 });
  throttle.pauseWriting(); // the transport below went over its high-water mark
  t.deepEqual(probe.events, ['pause']);
  probe.write(bytes(1500));
  clock.advance(1);
  t.is(lower.bytes().length, 0, 'nothing queued here is pushed into a transport that asked for a pause');
  throttle.resumeWriting();
  t.is(lower.bytes().length, 1000, 'the transport resumed: the queue goes down as far as the window allows');
  t.deepEqual(probe.events, ['pause'], 'still over budget: no resume from the transport alone');
  clock.advance(1);
  t.is(lower.bytes().length, 1500);
  t.deepEqual(probe.events, ['pause', 'resume']);
  throttle.pauseWriting();
  throttle.resumeWriting();
  t.deepEqual(probe.events, ['pause', 'resume', 'pause', 'resume'], 'strictly alternating, pause first');
});

test('Throttle holds EOF behind held bytes, then closes when the protocol does not keep the connection open', (t) => {
  const { clock, probe, throttle, lower } = rig({ readBytesPerSecond: 1000 });
  throttle.dataReceived(bytes(1500));
  t.true(throttle.eofReceived(), 'the connection stays open until the protocol has read everything');
  t.deepEqual(probe.events, []);
  clock.advance(1);
  t.is(probe.received, 1500);
  t.deepEqual(probe.events, ['eof']);
  t.true(lower.isClosing);
});

test('Throttle passes EOF straight through when nothing is held', (t) => {
  const { probe, throttle } = rig({ readBytesPerSecond: 1000 });
  probe.eofAnswer = true;
  t.true(throttle.eofReceived());
  probe.eofAnswer = false;
  t.false(throttle.eofReceived());
});

test('Throttle sends writeEOF and close only after the queued writes', (t) => {
  const eof = rig({ writeBytesPerSecond: 1000 });
  eof.probe.write(bytes(1500));
  eof.throttle.writeEOF();
  t.false(eof.lower.hasWrittenEOF);
  t.throws(() => eof.probe.write(Buffer.from('x')), { instanceOf: TransportClosedError });
  eof.clock.advance(1);
  t.true(eof.lower.hasWrittenEOF);
  t.is(eof.lower.bytes().length, 1500);

  const closed = rig({ writeBytesPerSecond: 1000 });
  closed.probe.write(bytes(1500));
  closed.throttle.close();
  t.true(closed.throttle.isClosing);
  t.false(closed.lower.isClosing);
  closed.clock.advance(1);
  t.true(closed.lower.isClosing);
  t.is(closed.lower.bytes().length, 1500);
});

test('Throttle abort drops what waits and connectionLost leaves no timer behind', (t) => {
  const { clock, probe, throttle, lower } = rig({ readBytesPerSecond: 1000, writeBytesPerSecond: 1000 });
  throttle.dataReceived(bytes(1500));
  probe.write(bytes(1500));
  t.is(clock.pendingCalls.length, 1, 'one timer serves both directions');
  throttle.abort();
  t.true(lower.isAborted);
  t.is(throttle.getWriteBufferSize(), 0);
  throttle.connectionLost(new Error('aborted'));
  t.deepEqual(clock.pendingCalls, []);
  clock.advance(5);
  t.is(probe.received, 1000);
  t.deepEqual(probe.events, ['pause', 'lost aborted']);
});

test("Throttle waits for the protocol's own resumeReading before it delivers held bytes", (t) => {
  const { clock, probe, throttle, lower } = rig({ readBytesPerSecond: 1000 });
  throttle.pauseReading();
  t.false(throttle.isReading);
  throttle.dataReceived(bytes(300));
  clock.advance(3);
  t.is(probe.received, 0, 'a paused protocol gets nothing, whatever the budget');
  t.deepEqual(clock.pendingCalls, [], 'and no timer runs for it');
  throttle.resumeReading();
  t.is(probe.received, 300);
  t.true(lower.isReading);
  t.true(throttle.isReading);
});

test('Throttle leaves an unthrottled direction alone', (t) => {
  const { probe, throttle, lower } = rig({ writeBytesPerSecond: 10 });
  const big = bytes(1 << 20);
  throttle.dataReceived(big);
  t.is(probe.chunks.length, 1);
  t.is(probe.received, big.length);
  const reads = rig({ readBytesPerSecond: 10 });
  reads.probe.write(big);
  t.is(reads.lower.bytes().length, big.length);
  t.true(lower.isReading);
  throttle.pauseReading();
  t.false(lower.isReading);
  throttle.resumeReading();
  t.true(lower.isReading);
});

test('Throttle delivers every byte in order, never more than the budget per window, for seeded random traffic', (t) => {
  let seed = 12345;
  const random = (n: number): number => {
    seed = (seed * 1103515245 + 12345) % 2 ** 31;
    return seed % n;
  };
  const clock = new ManualScheduler();
  const perWindow: number[] = [];
  const probe = new Probe();
  probe.dataReceived = (data) => {
    probe.chunks.push(Buffer.from(data));
    const window = Math.floor(clock.seconds() + 1e-9);
    perWindow[window] = (perWindow[window] ?? 0) + data.length;
  };
  const throttle = new Throttle(probe, { readBytesPerSecond: 700, scheduler: clock });
  const lower = new RecordingTransport();
  throttle.connectionMade(lower);
  const sent: Buffer[] = [];
  for (let step = 0; step < 400; step++) {
    if (lower.isReading) {
      const chunk = bytes(1 + random(900), step);
      sent.push(chunk);
      throttle.dataReceived(chunk);
    }
    clock.advance(random(5) / 10);
  }
  clock.advance(1000);
  t.deepEqual(Buffer.concat(probe.chunks), Buffer.concat(sent));
  t.true(perWindow.every((n) => n <= 700), `at most 700 bytes in every window: ${perWindow.join(',')}`);
});

test('throttled() wraps every connection of a factory and keeps its refusal and connectionFailed', (t) => {
  const failures: Error[] = [];
  const inner: Factory = {
    buildProtocol: () => new Probe(),
    refusal: () => Buffer.from('busy'),
    connectionFailed: (reason) => failures.push(reason),
  };
  const factory = throttled(inner, { readBytesPerSecond: 10, scheduler: new ManualScheduler() });
  t.true(factory.buildProtocol(['127.0.0.1', 1]) instanceof Throttle);
  t.is(Buffer.from(factory.refusal?.() ?? []).toString(), 'busy');
  factory.connectionFailed?.(new Error('refused'));
  t.is(failures.length, 1);
  const plain = throttled({ buildProtocol: () => new Probe() }, { scheduler: new ManualScheduler() });
  t.is(plain.refusal, undefined);
  t.is(plain.connectionFailed, undefined);
});

test('throttled() refuses a rate or a window that cannot carry one byte', (t) => {
  const scheduler = new ManualScheduler();
  const factory: Factory = { buildProtocol: () => new Probe() };
  for (const options of [{ readBytesPerSecond: 0 }, { writeBytesPerSecond: -5 }, { readBytesPerSecond: Number.NaN }, { readBytesPerSecond: 0.5 }, { writeBytesPerSecond: Number.POSITIVE_INFINITY }]) {
    t.throws(() => throttled(factory, { ...options, scheduler }), { instanceOf: RangeError, message: /under one byte/ });
  }
  t.throws(() => throttled(factory, { readBytesPerSecond: 10, windowSeconds: 0, scheduler }), { instanceOf: RangeError, message: /windowSeconds/ });
  t.throws(() => new Throttle(new Probe(), { readBytesPerSecond: 10, windowSeconds: 0.01, scheduler }), { instanceOf: RangeError });
  t.throws(() => new Throttle(new Probe(), { scheduler }).write(Buffer.from('x')), { message: /not connected/ });
});

test('Throttle shows the transport below: its addresses, and the write-buffer limits it is given', (t) => {
  const { throttle, lower } = rig({ writeBytesPerSecond: 100 });
  lower.localAddress = ['127.0.0.1', 7];
  lower.peerAddress = ['127.0.0.1', 8];
  t.deepEqual(throttle.localAddress, ['127.0.0.1', 7]);
  t.deepEqual(throttle.peerAddress, ['127.0.0.1', 8]);
  throttle.setWriteBufferLimits(1000, 100);
  t.deepEqual(lower.writeBufferLimits, [1000, 100]);
});
