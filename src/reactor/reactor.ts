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
  /** The object whose readiness decides when this handler is called; several handlers may share one. */
  readonly selectable: Selectable;
  /** Called while the handler is a reader and its selectable is readable (asyncio's `_read_ready`). */
  readReady?(): void;
  /** Called while the handler is a writer and its selectable is writable (asyncio's `_write_ready`). */
  writeReady?(): void;
  /** Called while the handler is an error watcher and its selectable has an error pending (select()'s x-list). */
  errorReady?(): void;
  /**
   * One of this handler's callbacks threw: close its connection with `error` as the reason. The
   * reactor has already reported the error (ReactorOptions.onError): do not report it again.
   */
  handlerFailed?(error: unknown): void;
}

/** What one iteration dispatched, for the conformance suite and for tuning. */
export interface IterationStats {
  /** readReady() calls made. */
  readonly reads: number;
  /** writeReady() calls made. */
  readonly writes: number;
  /** errorReady() calls made. */
  readonly errors: number;
  /** Soon-calls and due delayed calls run, together. */
  readonly timers: number;
}

/** Options of the bundled reactors (`new SelectorReactor(options)`, `createReactor(name, options)`). */
export interface ReactorOptions {
  /** The clock for timers; tests pass a ManualClock so they never sleep. */
  readonly clock?: Clock;
  /**
   * Where unexpected errors go, each once, with a sentence saying where it came from: a handler
   * that threw (then closed by its handlerFailed, or removed from every set if it has none), a
   * throwing timer, and what code outside the loop hands to `reportError`. Default: console.error.
   */
  readonly onError?: (error: unknown, context: string) => void;
}

/**
 * A single-threaded event loop over three interest sets and a timer heap, as Twisted's reactor:
 * each iteration waits for readiness or the next timer, dispatches every ready handler, then runs
 * soon-calls and due timers. A handler that throws does not stop it: the error is reported once to
 * `onError` and goes to the handler's `handlerFailed` (which closes its connection), or the handler
 * is removed from every set. Handlers may
 * add or remove themselves or others during dispatch; one removed is not called later in the same
 * iteration. Implement this type to run the conformance suite on your own reactor.
 */
export interface Reactor {
  /** The handlers called when their selectable is readable (Twisted's `getReaders()`); change it with addReader/removeReader. */
  readonly readers: ReadonlySet<IOHandler>;
  /** The handlers called when their selectable is writable; change it with addWriter/removeWriter. */
  readonly writers: ReadonlySet<IOHandler>;
  /** The handlers called when their selectable has an error pending; change it with addErrorWatcher/removeErrorWatcher. */
  readonly errorWatchers: ReadonlySet<IOHandler>;
  /** Calls `handler.readReady()` whenever its selectable is readable, until removed; adding twice has no effect. */
  addReader(handler: IOHandler): void;
  /** Stops read dispatch to `handler`; does nothing if it is not a reader. */
  removeReader(handler: IOHandler): void;
  /** Calls `handler.writeReady()` whenever its selectable is writable, until removed; adding twice has no effect. */
  addWriter(handler: IOHandler): void;
  /** Stops write dispatch to `handler`; does nothing if it is not a writer. */
  removeWriter(handler: IOHandler): void;
  /** Calls `handler.errorReady()` whenever its selectable has an error pending, until removed; adding twice has no effect. */
  addErrorWatcher(handler: IOHandler): void;
  /** Stops error dispatch to `handler`; does nothing if it is not an error watcher. */
  removeErrorWatcher(handler: IOHandler): void;
  /** Removes the handler from all three sets. */
  removeAll(handler: IOHandler): void;

  /**
   * Runs `fn(...args)` once, `seconds` from now on the reactor's clock (a negative delay counts as
   * 0), in the timer phase of the first iteration that finds it due; returns the handle to cancel or
   * move it. Twisted's `callLater`. Throws RangeError for a non-finite delay.
   */
  callLater<A extends unknown[]>(seconds: number, fn: (...args: A) => void, ...args: A): DelayedCall;
  /**
   * Runs `fn(...args)` once, soon: after the I/O dispatch of the current iteration (when called from
   * a handler) or of the next one, before that iteration's timers. A soon-call queued by a soon-call
   * waits for the next iteration, so a chain of them cannot starve I/O. asyncio's `call_soon`.
   */
  callSoon<A extends unknown[]>(fn: (...args: A) => void, ...args: A): void;
  /** The reactor clock's time in seconds. */
  seconds(): number;
  /**
   * Reports an unexpected error caught outside the dispatch loop (a protocol's connectionMade that
   * threw while a connection started, say) the way the reactor reports its own: to
   * ReactorOptions.onError. Optional, so that older reactors still fit: callers fall back to console.error.
   */
  reportError?(error: unknown, context: string): void;

  /**
   * One iteration: waits up to `timeout` seconds (undefined: until something is ready or a timer is
   * due; 0: not at all), dispatches every ready handler (error watchers, then readers, then writers,
   * each in the order the handlers were added), then the soon-calls queued before it, then due timers.
   */
  iterate(timeout?: number): Promise<IterationStats>;
  /**
   * Iterates until stop(); resolves then. May be called again after it resolved; rejects if it is
   * running already.
   */
  run(): Promise<void>;
  /** Makes run() resolve after the current iteration. Does nothing when run() is not running. */
  stop(): void;
  /** True from run() until it resolves. */
  readonly isRunning: boolean;
}
