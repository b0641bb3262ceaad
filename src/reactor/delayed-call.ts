// A call scheduled on a reactor's clock, as Twisted's IDelayedCall: cancel, reset, delay, active.

/** The handle `Reactor.callLater` returns, as Twisted's `IDelayedCall`. */
export interface DelayedCall {
  /** When it will run, in the reactor clock's seconds. */
  getTime(): number;
  /** Stops it from running; throws AlreadyCalledError if it already ran or was cancelled. */
  cancel(): void;
  /** Runs it `seconds` from now instead; throws AlreadyCalledError if it already ran or was cancelled. */
  reset(seconds: number): void;
  /** Runs it `seconds` later than planned (earlier if negative); throws AlreadyCalledError if it already ran or was cancelled. */
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

/** The heap's view of a delayed call; the reactor owns the heap and the clock. */
export interface TimerOwner {
  /** The clock's time in seconds, from which `reset` counts. */
  now(): number;
  /** `call.time` changed (reset or delay): re-place it in the heap and re-arm the wait. */
  moved(call: ScheduledCall): void;
  /** `call` was cancelled: take it off the heap. */
  cancelled(call: ScheduledCall): void;
}

/** The reactors' DelayedCall: a heap entry ordered by `time`, then `sequence`. */
export class ScheduledCall implements DelayedCall {
  /** When it is due, in the owner clock's seconds. */
  time: number;
  /** Creation order, so calls due at the same time run in the order they were scheduled. */
  readonly sequence: number;
  readonly #fn: () => void;
  readonly #owner: TimerOwner;
  #state: 'pending' | 'called' | 'cancelled' = 'pending';
  /** Position in the owner's heap, kept by the heap. */
  index = -1;

  constructor(time: number, sequence: number, fn: () => void, owner: TimerOwner) {
    this.time = time;
    this.sequence = sequence;
    this.#fn = fn;
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
    this.#checkPending('reset');
    this.time = this.#owner.now() + seconds;
    this.#owner.moved(this);
  }

  delay(seconds: number): void {
    this.#checkPending('delay');
    this.time += seconds;
    this.#owner.moved(this);
  }

  active(): boolean {
    return this.#state === 'pending';
  }

  /** Runs the call (the owner has taken it off the heap). */
  run(): void {
    this.#state = 'called';
    this.#fn();
  }

  #checkPending(what: string): void {
    if (this.#state !== 'pending') throw new AlreadyCalledError(`Cannot ${what} a delayed call that was already ${this.#state}`);
  }
}
