// One connection's running deadline, of one kind at a time (head, body, idle...), on a Scheduler.
// Cheap to move: with a scheduler that tells the time, setting a later deadline costs no timer
// operation (the one pending timer, when it fires, re-arms itself for what is left).
import type { Cancellable, Scheduler } from '../scheduler.js';

/**
 * A single deadline that can change kind: set() replaces the running one, clear() ends it, and
 * `onExpire(kind)` is called once the deadline passes with no set() or clear() in between. Without
 * a scheduler nothing ever expires. Without `scheduler.seconds()`, each set() starts a timer of its
 * own and `from` is ignored (the deadline counts from the set() call).
 */
export class Deadline<Kind extends string> {
  readonly #scheduler: Scheduler | undefined;
  readonly #onExpire: (kind: Kind) => void;
  #timer: Cancellable | undefined;
  #timerDue = 0;
  #kind: Kind | undefined;
  #due = 0;

  constructor(scheduler: Scheduler | undefined, onExpire: (kind: Kind) => void) {
    this.#scheduler = scheduler;
    this.#onExpire = onExpire;
  }

  /** The kind of deadline running, if any. */
  get kind(): Kind | undefined {
    return this.#kind;
  }

  /** The scheduler's time in seconds, when it tells it. */
  now(): number | undefined {
    return this.#scheduler?.seconds?.();
  }

  /**
   * Runs a deadline of `kind`, `seconds` after `from` (default: now), replacing the one running.
   * `seconds` undefined, 0 or less: no deadline runs (the running one ends too).
   */
  set(kind: Kind, seconds: number | undefined, from?: number): void {
    this.#kind = undefined;
    const scheduler = this.#scheduler;
    if (scheduler === undefined || seconds === undefined || !(seconds > 0)) return;
    const now = scheduler.seconds?.();
    this.#kind = kind;
    // Without a clock the deadline is always passed: the timer that fires expires it.
    this.#due = now === undefined ? Number.NEGATIVE_INFINITY : (from ?? now) + seconds;
    // A pending timer due no later than the new deadline will find it and re-arm for the rest.
    if (now !== undefined && this.#timer !== undefined && this.#timerDue <= this.#due) return;
    this.#stopTimer();
    this.#schedule(scheduler, now === undefined ? seconds : Math.max(0, this.#due - now), this.#due);
  }

  /** Ends the running deadline: lazily (the pending timer finds none) when the scheduler tells the time. */
  clear(): void {
    this.#kind = undefined;
    if (this.#scheduler?.seconds === undefined) this.#stopTimer();
  }

  /** Ends the running deadline and its timer for good (the connection is gone or handed over). */
  stop(): void {
    this.#kind = undefined;
    this.#stopTimer();
  }

  #schedule(scheduler: Scheduler, after: number, due: number): void {
    this.#timerDue = due;
    this.#timer = scheduler.callLater(after, () => {
      this.#timer = undefined;
      const kind = this.#kind;
      if (kind === undefined) return;
      const now = scheduler.seconds?.();
      if (now !== undefined && now < this.#due) {
        this.#schedule(scheduler, this.#due - now, this.#due);
        return;
      }
      this.#kind = undefined;
      this.#onExpire(kind);
    });
  }

  #stopTimer(): void {
    // A timer that already ran cannot be cancelled (a reactor's DelayedCall throws): only a pending one.
    if (this.#timer?.active() === true) this.#timer.cancel();
    this.#timer = undefined;
  }
}
