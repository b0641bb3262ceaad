// A call scheduled on a reactor's clock, as Twisted's IDelayedCall: cancel, reset, delay, active.

export interface DelayedCall {
  /** When it will run, in the reactor clock's seconds. */
  getTime(): number;
  /** Stops it from running; throws if it already ran or was cancelled. */
  cancel(): void;
  /** Runs it `seconds` from now instead. */
  reset(seconds: number): void;
  /** Runs it `seconds` later than planned. */
  delay(seconds: number): void;
  /** True until it has run or been cancelled. */
  active(): boolean;
}

/** Raised by cancel/reset/delay on a call that already ran or was cancelled. */
export class AlreadyCalledError extends Error {
  override name = 'AlreadyCalledError';
  readonly code = 'ERR_ALREADY_CALLED';
}

/** The heap's view of a delayed call; the reactor owns the heap and the clock. */
export interface TimerOwner {
  now(): number;
  moved(call: ScheduledCall): void;
  cancelled(call: ScheduledCall): void;
}

export class ScheduledCall implements DelayedCall {
  time: number;
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
