// What a protocol that needs time gets from its factory: a callLater-shaped scheduler, never the
// reactor itself (protocols stay testable with a manual clock and no loop).

export interface Cancellable {
  cancel(): void;
  active(): boolean;
}

export interface Scheduler {
  callLater(seconds: number, fn: () => void): Cancellable;
  /** The scheduler clock's time in seconds, when it has one: lets a timer be pushed back for free. */
  seconds?(): number;
}
