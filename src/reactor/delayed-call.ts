// A call scheduled on a reactor's clock, as Twisted's IDelayedCall: cancel, reset, delay, active.

/** The handle `Reactor.callLater` returns, as Twisted's `IDelayedCall`. */
export interface DelayedCall {
  /** When it will run, in the reactor clock's seconds. */
  getTime(): number;
  /**
   * Stops it from running, even when it is due in the iteration under way (cancelled by a call due
   * at the same time); throws AlreadyCalledError if it already ran or was cancelled.
   */
  cancel(): void;
  /**
   * Runs it `seconds` from now instead; throws AlreadyCalledError if it already ran or was cancelled,
   * RangeError (as callLater) for a non-finite `seconds`.
   * A call already due and waiting its turn in this iteration (moved by a call due at the same time)
   * waits for its new time, as in Twisted; moved to now or earlier, it runs in the next iteration.
   */
  reset(seconds: number): void;
  /** Runs it `seconds` later than planned (earlier if negative), as reset() does; throws AlreadyCalledError if it already ran or was cancelled, RangeError for a non-finite `seconds`. */
  delay(seconds: number): void;
  /** True until it has run or been cancelled. */
  active(): boolean;
}

/** Raised by cancel/reset/delay on a call that already ran or was cancelled. */
export class AlreadyCalledError extends Error {
  /** `'AlreadyCalledError'`, as Twisted's `error.AlreadyCalled`. */
  override name = 'AlreadyCalledError';
  /** Always `'ERR_ALREADY_CALLED'`, for a `switch (err.code)`. */
  readonly code = 'ERR_ALREADY_CALLED';
}

/**
 * Throws RangeError unless `seconds` is finite: a NaN time compares false with every other, so a call
 * holding one would sit at the top of the heap, never due, and hold back every timer behind it.
 */
export function checkDelay(seconds: number, what: string): void {
  if (!Number.isFinite(seconds)) throw new RangeError(`${what} needs a finite delay, got ${String(seconds)}`);
}

/** The heap's view of a delayed call; the reactor owns the heap and the clock. */
export interface TimerOwner {
  /** The clock's time in seconds, from which `reset` counts. */
  now(): number;
  /** `call.time` changed (reset or delay): re-place it in the heap and re-arm the wait. */
  moved(call: ScheduledCall): void;
  /** `call` was cancelled: take it off the heap if it is still there (it may be due, waiting its turn). */
  cancelled(call: ScheduledCall): void;
}

/** The reactors' DelayedCall: a heap entry ordered by `time`, then `sequence`. */
export class ScheduledCall implements DelayedCall {
  /** When it is due, in the owner clock's seconds. */
  time: number;
  /** Creation order, so calls due at the same time run in the order they were scheduled. */
  readonly sequence: number;
  // The function and its arguments as given, not a closure over them: an idle connection holds one
  // pending call (its idle timeout) and a wrapper would cost a closure, a context and an array each.
  readonly #fn: (...args: unknown[]) => void;
  /** Undefined when there are none (the usual case). */
  readonly #args: readonly unknown[] | undefined;
  readonly #owner: TimerOwner;
  #state: 'pending' | 'called' | 'cancelled' = 'pending';
  /** Position in the owner's heap, kept by the heap. */
  index = -1;

  constructor(time: number, sequence: number, fn: (...args: unknown[]) => void, args: readonly unknown[], owner: TimerOwner) {
    this.time = time;
    this.sequence = sequence;
    this.#fn = fn;
    this.#args = args.length === 0 ? undefined : args;
    this.#owner = owner;
  }

  getTime(): number {
    return this.time;
  }

  cancel(): void {
    this.#checkPending('cancel');
    this.#state = 'cancelled';
    this.#owner.cancelled(this);
  }

  reset(seconds: number): void {
    checkDelay(seconds, 'reset');
    this.#checkPending('reset');
    this.time = this.#owner.now() + seconds;
    this.#owner.moved(this);
  }

  delay(seconds: number): void {
    checkDelay(seconds, 'delay');
    this.#checkPending('delay');
    this.time += seconds;
    this.#owner.moved(this);
  }

  active(): boolean {
    return this.#state === 'pending';
  }

  /**
   * Runs the call once the owner has taken it off the heap; does nothing when it is no longer
   * pending (cancelled meanwhile by a call due at the same time, say), so it never runs twice.
   */
  run(): void {
    if (this.#state !== 'pending') return;
    this.#state = 'called';
    const args = this.#args;
    if (args === undefined) this.#fn();
    else this.#fn(...args);
  }

  #checkPending(what: string): void {
    if (this.#state !== 'pending') throw new AlreadyCalledError(`Cannot ${what} a delayed call that was already ${this.#state}`);
  }
}
