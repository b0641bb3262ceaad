// The Reactor contract: three interest sets of handlers, timers, and a loop that dispatches
// readiness to handlers. Implementations: SelectReactor (select() over the sets every iteration,
// faithful, O(n)) and SelectorReactor (a Selector's ready set, O(ready), the default).
import type { Clock } from './clock.js';
import type { DelayedCall } from './delayed-call.js';
import type { Selectable } from './selectable.js';

/**
 * An object the reactor dispatches readiness to: the callbacks for the sets it is in. Readiness is a
 * hint: a handler treats BlockingIOError as "not yet", never as a failure.
 */
export interface IOHandler {
  readonly selectable: Selectable;
  readReady?(): void;
  writeReady?(): void;
  errorReady?(): void;
  /** One of this handler's callbacks threw: close its connection with `error` as the reason. */
  handlerFailed?(error: unknown): void;
}

/** What one iteration dispatched, for the conformance suite and for tuning. */
export interface IterationStats {
  readonly reads: number;
  readonly writes: number;
  readonly errors: number;
  readonly timers: number;
}

export interface ReactorOptions {
  /** The clock for timers; tests pass a ManualClock so they never sleep. */
  readonly clock?: Clock;
  /** Where errors go that no handler can take (a throwing timer, a handler without handlerFailed). */
  readonly onError?: (error: unknown, context: string) => void;
}

export interface Reactor {
  readonly readers: ReadonlySet<IOHandler>;
  readonly writers: ReadonlySet<IOHandler>;
  readonly errorWatchers: ReadonlySet<IOHandler>;
  addReader(handler: IOHandler): void;
  removeReader(handler: IOHandler): void;
  addWriter(handler: IOHandler): void;
  removeWriter(handler: IOHandler): void;
  addErrorWatcher(handler: IOHandler): void;
  removeErrorWatcher(handler: IOHandler): void;
  /** Removes the handler from all three sets. */
  removeAll(handler: IOHandler): void;

  /** Runs `fn(...args)` `seconds` from now (on the reactor's clock). */
  callLater<A extends unknown[]>(seconds: number, fn: (...args: A) => void, ...args: A): DelayedCall;
  /** Runs `fn(...args)` in the next iteration, before timers. */
  callSoon<A extends unknown[]>(fn: (...args: A) => void, ...args: A): void;
  /** The reactor clock's time in seconds. */
  seconds(): number;

  /**
   * One iteration: waits up to `timeout` seconds (undefined: until something is ready or a timer is
   * due; 0: not at all), dispatches every ready handler (error watchers, then readers, then writers,
   * each in the order the handlers were added), then the soon-calls queued before it, then due timers.
   */
  iterate(timeout?: number): Promise<IterationStats>;
  /** Iterates until stop(); resolves then. May be called again after it resolved. */
  run(): Promise<void>;
  /** Makes run() return after the current iteration. */
  stop(): void;
  readonly isRunning: boolean;
}
