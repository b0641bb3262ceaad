// Time for the reactor's timers, replaceable so that timer tests never sleep (Twisted's task.Clock).
// perf_hooks' performance, not the global one: globalThis.performance is a lazy accessor in Node, a
// getter call on every read, and the reactor reads the time a few times per iteration.
import { performance } from 'node:perf_hooks';
import { setLongTimeout } from './long-timer.js';

/**
 * The time source of a reactor's timers (ReactorOptions.clock): `realClock` by default, a
 * `ManualClock` in tests.
 */
export interface Clock {
  /** Seconds on a monotonic scale (only differences matter). */
  seconds(): number;
  /** Calls `wake` once the clock reaches `at` (or later); returns a function that cancels it. */
  wakeAt(at: number, wake: () => void): () => void;
}

/** The real clock: performance.now(), woken by setTimeout (chained past 2^31 - 1 ms, see long-timer.ts). */
export const realClock: Clock = {
  seconds: () => performance.now() / 1000,
  wakeAt: (at, wake) => setLongTimeout(wake, at * 1000 - performance.now()),
};

/** A clock that moves only when told to: `advance(seconds)` wakes whatever became due. */
export class ManualClock implements Clock {
  #now = 0;
  #wakers: { at: number; wake: () => void }[] = [];

  seconds(): number {
    return this.#now;
  }

  wakeAt(at: number, wake: () => void): () => void {
    const entry = { at, wake };
    this.#wakers.push(entry);
    return () => {
      this.#wakers = this.#wakers.filter((w) => w !== entry);
    };
  }

  /** Moves time forward and wakes the waiters now due (a reactor then runs its due timers). */
  advance(seconds: number): void {
    if (!(seconds >= 0)) throw new RangeError('a clock only moves forward');
    this.#now += seconds;
    const due = this.#wakers.filter((w) => w.at <= this.#now);
    this.#wakers = this.#wakers.filter((w) => w.at > this.#now);
    for (const waker of due) waker.wake();
  }
}
