// Timers, soon-calls, stop and restart: each on a manual clock, so nothing sleeps.
import assert from 'node:assert/strict';
import type { ConformanceCase } from './case.js';

/** The cases on timers, soon-calls, stop and restart; they touch no sockets, so each runs once. */
export const TIMER_CASES: readonly ConformanceCase[] = [
  {
    name: 'timers run in time order, equal times in the order scheduled',
    async run({ reactor, clock }) {
      const ran: string[] = [];
      reactor.callLater(2, () => ran.push('c'));
      reactor.callLater(1, () => ran.push('a'));
      reactor.callLater(1, () => ran.push('b'));
      reactor.callLater(3, () => ran.push('d'));
      await reactor.iterate(0);
      assert.deepEqual(ran, [], 'nothing is due before the clock moves');
      clock.advance(1);
      await reactor.iterate(0);
      assert.deepEqual(ran, ['a', 'b']);
      clock.advance(5);
      await reactor.iterate(0);
      assert.deepEqual(ran, ['a', 'b', 'c', 'd']);
    },
  },
  {
    name: 'a cancelled timer never runs and cannot be cancelled twice',
    async run({ reactor, clock }) {
      let ran = 0;
      const call = reactor.callLater(1, () => ran++);
      assert.equal(call.active(), true);
      call.cancel();
      assert.equal(call.active(), false);
      assert.throws(() => call.cancel(), { name: 'AlreadyCalledError' });
      clock.advance(2);
      await reactor.iterate(0);
      assert.equal(ran, 0);
    },
  },
  {
    name: 'reset and delay move a timer, and a timer that ran is no longer active',
    async run({ reactor, clock }) {
      const ran: string[] = [];
      const early = reactor.callLater(1, () => ran.push('early'));
      const late = reactor.callLater(2, () => ran.push('late'));
      early.delay(2);
      late.reset(0.5);
      assert.equal(early.getTime(), clock.seconds() + 3);
      clock.advance(1);
      await reactor.iterate(0);
      assert.deepEqual(ran, ['late']);
      assert.equal(late.active(), false);
      assert.throws(() => late.reset(1), { name: 'AlreadyCalledError' });
      clock.advance(2);
      await reactor.iterate(0);
      assert.deepEqual(ran, ['late', 'early']);
    },
  },
  {
    name: 'a timer scheduled by a timer with no delay runs in the next iteration, not the same one',
    async run({ reactor, clock }) {
      const ran: string[] = [];
      reactor.callLater(1, () => {
        ran.push('outer');
        reactor.callLater(0, () => ran.push('inner'));
      });
      clock.advance(1);
      await reactor.iterate(0);
      assert.deepEqual(ran, ['outer']);
      await reactor.iterate(0);
      assert.deepEqual(ran, ['outer', 'inner']);
    },
  },
  {
    name: 'soon-calls run in order in the next iteration, and one queued by another waits one more',
    async run({ reactor }) {
      const ran: string[] = [];
      reactor.callSoon(() => {
        ran.push('first');
        reactor.callSoon(() => ran.push('third'));
      });
      reactor.callSoon((tag: string) => ran.push(tag), 'second');
      await reactor.iterate(0);
      assert.deepEqual(ran, ['first', 'second']);
      await reactor.iterate(0);
      assert.deepEqual(ran, ['first', 'second', 'third']);
    },
  },
  {
    name: 'a throwing timer does not stop the others or the reactor',
    async run({ makeReactor, clock }) {
      const errors: unknown[] = [];
      const reactor = makeReactor(clock, (error) => errors.push(error));
      const ran: string[] = [];
      reactor.callLater(1, () => {
        throw new Error('boom');
      });
      reactor.callLater(1, () => ran.push('after'));
      clock.advance(1);
      await reactor.iterate(0);
      assert.deepEqual(ran, ['after']);
      assert.equal(errors.length, 1);
    },
  },
  {
    name: 'run() returns after stop(), and the same reactor runs again',
    async run({ reactor, clock }) {
      let rounds = 0;
      reactor.callSoon(() => reactor.stop());
      await reactor.run();
      assert.equal(reactor.isRunning, false);
      reactor.callLater(1, () => {
        rounds += 1;
        reactor.stop();
      });
      const running = reactor.run();
      assert.equal(reactor.isRunning, true);
      await assert.rejects(reactor.run(), /already running/);
      clock.advance(1);
      await running;
      assert.equal(rounds, 1);
    },
  },
  {
    name: 'a waiting run() wakes for a timer when the clock reaches it',
    async run({ reactor, clock }) {
      const ran: number[] = [];
      reactor.callLater(5, () => {
        ran.push(clock.seconds());
        reactor.stop();
      });
      const running = reactor.run();
      await new Promise<void>((resolve) => setImmediate(resolve));
      assert.deepEqual(ran, [], 'the timer waits for the clock');
      clock.advance(5);
      await running;
      assert.deepEqual(ran, [5]);
    },
  },
];
