// The one contract the reactor layer needs from an I/O object: its readiness now, and a way to be told
// when that readiness may have changed. Sockets implement it; the reactor knows nothing else of them.

/**
 * Readiness bit: a read would not block (data or EOF buffered, an error pending, or a connection
 * waiting to be accepted). Python's `selectors.EVENT_READ`; select()'s r-list.
 */
export const EVENT_READ = 1;
/**
 * Readiness bit: a send would not block (it would accept a byte or fail at once), which includes a
 * finished non-blocking connect. Python's `selectors.EVENT_WRITE`; select()'s w-list.
 */
export const EVENT_WRITE = 2;
/** An error is pending (reset, refused, timed out): select()'s x-list here, since Node has no OOB data. */
export const EVENT_ERROR = 4;

/** Called with the object whose readiness may have changed; a hint, so it may come with no change. */
export type ReadinessListener = (source: Selectable) => void;

/**
 * What select(), the Selector and the reactors can watch: an object that reports its readiness and
 * notifies listeners when it may have changed (a push, so waiting never polls). Sockets implement it;
 * so can any test double or non-socket source. Python's "file object with a fileno()".
 */
export interface Selectable {
  /** A number unique among open objects, or -1 once closed (select() rejects closed objects). */
  fileno(): number;
  /** The readiness bits (EVENT_READ | EVENT_WRITE | EVENT_ERROR) that hold right now. */
  readiness(): number;
  /** Starts telling `listener` about changes; adding the same listener twice has no effect. */
  watch(listener: ReadinessListener): void;
  /** Stops telling `listener`; unknown listeners are ignored. */
  unwatch(listener: ReadinessListener): void;
}
