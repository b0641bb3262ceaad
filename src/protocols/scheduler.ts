// What a protocol that needs time gets from its factory: a callLater-shaped scheduler, never the
// reactor itself (protocols stay testable with a manual clock and no loop).

/** A scheduled call that can be called off: what `Scheduler.callLater` returns (a reactor's DelayedCall fits). */
export interface Cancellable {
  /** Stops the call from running. Only call it while active(): a reactor's DelayedCall throws AlreadyCalledError otherwise. */
  cancel(): void;
  /** True until the call has run or been cancelled. */
  active(): boolean;
}

/**
 * The timer a protocol gets from its factory instead of the reactor: `reactor` itself fits (it has
 * `callLater` and `seconds`), and so does a ManualScheduler in tests.
 */
export interface Scheduler {
  /** Runs `fn` once, `seconds` from now (Twisted's `callLater`). */
  callLater(seconds: number, fn: () => void): Cancellable;
  /** The scheduler clock's time in seconds, when it has one: lets a timer be pushed back for free. */
  seconds?(): number;
}
