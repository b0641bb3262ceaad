// Timers longer than 2^31 - 1 ms (issue 13.7): Node replaces such a setTimeout delay with 1 ms, so
// a 30-day select() returned at once and a reactor with one 30-day timer woke every millisecond.
// The chain is checked on a fake timer host; select, Selector, waitReady and the reactor for real:
// each must still be waiting after a short window, and Node must never warn of an overflow.
import test from 'ava';
import type { ExecutionContext } from 'ava';
import { type Clock, ManualClock, realClock } from '../../src/reactor/clock.js';
import { MAX_TIMER_MS, setLongTimeout } from '../../src/reactor/long-timer.js';
import { select } from '../../src/reactor/select.js';
import { EVENT_READ, Selector } from '../../src/reactor/selector.js';
import { SelectorReactor } from '../../src/reactor/selector-reactor.js';
import { SelectReactor } from '../../src/reactor/select-reactor.js';
import { DeadlineExceeded, waitReady } from '../../src/reactor/wait-ready.js';
import { socketpair } from '../../src/transports/socket-module.js';
import type { Socket } from '../../src/transports/socket.js';
import { closing } from '../helpers/sockets.js';

const THIRTY_DAYS = 30 * 24 * 3600;
/** How long a long wait must stay pending: a clamped timer (1 ms) fires well within it. */
const WINDOW_MS = 50;

function pair(t: ExecutionContext): [Socket, Socket] {
  const [a, b] = socketpair();
  return [closing(t, a), closing(t, b)];
}

/** Fails the test if Node warns that a timer's delay overflowed (it then fires after 1 ms). */
function noOverflowWarning(t: ExecutionContext): void {
  const onWarning = (warning: Error): void => {
    if (warning.name === 'TimeoutOverflowWarning') t.fail(`Node clamped a timer: ${warning.message}`);
  };
  process.on('warning', onWarning);
  t.teardown(() => process.off('warning', onWarning));
}

/** Resolves 'pending' after WINDOW_MS unless `promise` settles first (then with 'settled'). */
async function stillPendingAfterWindow(promise: Promise<unknown>): Promise<'pending' | 'settled'> {
  let timer: NodeJS.Timeout | undefined;
  const window = new Promise<'pending'>((resolve) => (timer = setTimeout(() => resolve('pending'), WINDOW_MS)));
  const settled = promise.then(() => 'settled' as const, () => 'settled' as const);
  try {
    return await Promise.race([settled, window]);
  } finally {
    clearTimeout(timer);
  }
}

test('setLongTimeout chains real timers of at most 2^31 - 1 ms and fires at the full delay', (t) => {
  // A fake host, swapped in and restored synchronously (nothing else runs meanwhile).
  const armed: { delay: number; fn: () => void }[] = [];
  const realSetTimeout = globalThis.setTimeout;
  const realNow = Object.getOwnPropertyDescriptor(performance, 'now');
  let now = 1000;
  let ran = 0;
  try {
    globalThis.setTimeout = ((fn: () => void, delay: number) => {
      armed.push({ delay, fn });
      return realSetTimeout(() => undefined, 0);
    }) as typeof setTimeout;
    Object.defineProperty(performance, 'now', { configurable: true, value: () => now });
    setLongTimeout(() => (ran += 1), THIRTY_DAYS * 1000);
    for (let step = 0; step < 10 && ran === 0; step += 1) {
      const timer = armed.at(-1);
      if (timer === undefined) break;
      now += timer.delay;
      timer.fn();
    }
  } finally {
    globalThis.setTimeout = realSetTimeout;
    if (realNow !== undefined) Object.defineProperty(performance, 'now', realNow);
    else Reflect.deleteProperty(performance, 'now');
  }
  t.is(ran, 1);
  t.is(now - 1000, THIRTY_DAYS * 1000, 'it fired exactly 30 days after it was armed');
  t.deepEqual(armed.map((timer) => timer.delay), [MAX_TIMER_MS, THIRTY_DAYS * 1000 - MAX_TIMER_MS]);
  t.true(armed.every((timer) => timer.delay <= MAX_TIMER_MS));
});

test('setLongTimeout: a cancelled chain never fires, a short one fires as setTimeout would', async (t) => {
  let cancelledRan = false;
  const cancel = setLongTimeout(() => (cancelledRan = true), 0);
  cancel();
  cancel();
  await new Promise<void>((resolve) => setLongTimeout(resolve, 1));
  await new Promise<void>((resolve) => setLongTimeout(resolve, Number.NaN));
  t.false(cancelledRan);
});

test('select() with a 30-day timeout keeps waiting, then returns what becomes ready', async (t) => {
  noOverflowWarning(t);
  const [a, b] = pair(t);
  const waiting = select([b], [], [], THIRTY_DAYS);
  t.is(await stillPendingAfterWindow(waiting), 'pending');
  a.send(Buffer.from('x'));
  const [readable] = await waiting;
  t.deepEqual(readable, [b]);
});

test('Selector.select() with a 30-day timeout keeps waiting until a wakeup', async (t) => {
  noOverflowWarning(t);
  const [, b] = pair(t);
  const selector = new Selector();
  t.teardown(() => selector.close());
  selector.register(b, EVENT_READ);
  const waiting = selector.select(THIRTY_DAYS);
  t.is(await stillPendingAfterWindow(waiting), 'pending');
  selector.wakeup();
  t.deepEqual(await waiting, []);
});

test('waitReady() with a deadline 30 days away keeps waiting, and a past deadline still times out', async (t) => {
  noOverflowWarning(t);
  const [a, b] = pair(t);
  const waiting = waitReady(b, EVENT_READ, performance.now() + THIRTY_DAYS * 1000);
  t.is(await stillPendingAfterWindow(waiting), 'pending');
  a.send(Buffer.from('x'));
  await waiting;
  const [, idle] = pair(t);
  await t.throwsAsync(waitReady(idle, EVENT_READ, performance.now() - 1), { instanceOf: DeadlineExceeded });
});

for (const Reactor of [SelectorReactor, SelectReactor]) {
  test(`${Reactor.name}: a 30-day timer runs after 30 days on a ManualClock, not before`, async (t) => {
    const clock = new ManualClock();
    const reactor = new Reactor({ clock });
    let ran = 0;
    reactor.callLater(THIRTY_DAYS, () => (ran += 1));
    await reactor.iterate(0);
    clock.advance(THIRTY_DAYS - 1);
    await reactor.iterate(0);
    t.is(ran, 0);
    clock.advance(1);
    await reactor.iterate(0);
    t.is(ran, 1);
  });

  test(`${Reactor.name}: a running reactor holding one 30-day timer does not wake while it waits`, async (t) => {
    noOverflowWarning(t);
    let alarms = 0;
    const counting: Clock = {
      seconds: () => realClock.seconds(),
      wakeAt: (at, wake) => {
        alarms += 1;
        return realClock.wakeAt(at, wake);
      },
    };
    const reactor = new Reactor({ clock: counting });
    const timer = reactor.callLater(THIRTY_DAYS, () => t.fail('a 30-day timer ran'));
    const running = reactor.run();
    await new Promise<void>((resolve) => setTimeout(resolve, WINDOW_MS));
    reactor.stop();
    await running;
    timer.cancel();
    // One alarm armed when the wait began; a clamped one re-armed about every millisecond.
    t.is(alarms, 1);
  });
}
