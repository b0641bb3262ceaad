// What every reactor shares: the interest sets, the timer heap, soon-calls, the dispatch order and
// the run loop. A subclass supplies only how to wait for readiness (waitForReady) and to cut a wait
// short (wakeup).
import { type Clock, realClock } from './clock.js';
import { checkDelay, type DelayedCall, ScheduledCall, type TimerOwner } from './delayed-call.js';
import type { IOHandler, IterationStats, Reactor, ReactorOptions } from './reactor.js';
import { TimerHeap } from './timer-heap.js';

/** The handlers found ready by one wait, per kind; each list in the order the handlers were added. */
export interface ReadyHandlers {
  /** Error watchers whose selectable has an error pending: their errorReady() runs first. */
  readonly errors: readonly IOHandler[];
  /** Readers whose selectable is readable: their readReady() runs second. */
  readonly reads: readonly IOHandler[];
  /** Writers whose selectable is writable: their writeReady() runs last. */
  readonly writes: readonly IOHandler[];
  /** False when readiness was there at once: run() then yields to Node before the next iteration. */
  readonly waited: boolean;
}

/** Where a wait that could not answer at once delivers: its ready handlers, or why it failed. */
export type ReadyCallback = (ready: ReadyHandlers) => void;

/** One of the three interest sets: readers, writers or error watchers. */
export type InterestKind = 'read' | 'write' | 'error';

/**
 * The shared body of the bundled reactors (interest sets, timer heap, soon-calls, dispatch order,
 * run loop); a subclass supplies waitForReady, wakeup and interestChanged.
 */
export abstract class BaseReactor implements Reactor, TimerOwner {
  readonly readers = new Set<IOHandler>();
  readonly writers = new Set<IOHandler>();
  readonly errorWatchers = new Set<IOHandler>();
  /** The time source of the timers: ReactorOptions.clock, or realClock. */
  protected readonly clock: Clock;
  readonly #onError: (error: unknown, context: string) => void;
  readonly #timers = new TimerHeap();
  #timerSequence = 0;
  /** When each handler last joined each set, so that dispatch follows each set's own order. */
  readonly #addedAt = new Map<ReadonlySet<IOHandler>, WeakMap<IOHandler, number>>([
    [this.readers, new WeakMap()],
    [this.writers, new WeakMap()],
    [this.errorWatchers, new WeakMap()],
  ]);
  #addSequence = 0;
  #soon: (() => void)[] = [];
  #isRunning = false;
  #isStopping = false;
  #isWaiting = false;
  /** run()'s promise, settled when the loop ends (stop(), or an error out of a wait or a dispatch). */
  #running: { readonly resolve: () => void; readonly reject: (error: unknown) => void } | undefined;
  // The run loop's continuations, bound once: an iteration costs no closure and no promise.
  readonly #onRunReady: ReadyCallback = (ready) => this.#loop(ready);
  readonly #onRunFailed = (error: unknown): void => {
    this.#isWaiting = false;
    this.#endRun(error);
  };
  readonly #resumeRun = (): void => this.#loop(null);
  /** The clock's pending alarm for the earliest timer, kept across iterations (see #wakeAt). */
  #alarm: { readonly at: number; readonly cancel: () => void } | undefined;

  constructor(options: ReactorOptions = {}) {
    this.clock = options.clock ?? realClock;
    this.#onError = options.onError ?? defaultOnError;
  }

  /**
   * Waits up to `timeout` seconds (null: until readiness or wakeup(); 0: not at all). Returns the
   * handlers ready now when it need not wait (something is ready, or `timeout` is 0); otherwise
   * returns null and later calls `onReady` (or `onFailed`), never synchronously.
   */
  protected abstract waitForReady(timeout: number | null, onReady: ReadyCallback, onFailed: (error: unknown) => void): ReadyHandlers | null;
  /** Ends a pending waitForReady() early. */
  protected abstract wakeup(): void;
  /** The sets changed for `handler` (see interestOf for the sets it is in now). */
  protected abstract interestChanged(handler: IOHandler): void;

  get isRunning(): boolean {
    return this.#isRunning;
  }

  addReader(handler: IOHandler): void {
    this.#add(this.readers, handler);
  }
  removeReader(handler: IOHandler): void {
    this.#remove(this.readers, handler);
  }
  addWriter(handler: IOHandler): void {
    this.#add(this.writers, handler);
  }
  removeWriter(handler: IOHandler): void {
    this.#remove(this.writers, handler);
  }
  addErrorWatcher(handler: IOHandler): void {
    this.#add(this.errorWatchers, handler);
  }
  removeErrorWatcher(handler: IOHandler): void {
    this.#remove(this.errorWatchers, handler);
  }
  removeAll(handler: IOHandler): void {
    const had = this.readers.delete(handler) || this.writers.has(handler) || this.errorWatchers.has(handler);
    this.writers.delete(handler);
    this.errorWatchers.delete(handler);
    if (had) this.interestChanged(handler);
  }

  #add(set: Set<IOHandler>, handler: IOHandler): void {
    if (set.has(handler)) return;
    set.add(handler);
    this.#addedAt.get(set)?.set(handler, this.#addSequence++);
    this.interestChanged(handler);
  }

  /** Sorts handlers into the order they were added (a Set's own order), for a deterministic dispatch. */
  protected inAddedOrder(handlers: IOHandler[], set: ReadonlySet<IOHandler>): IOHandler[] {
    const addedAt = this.#addedAt.get(set);
    if (handlers.length <= 1 || addedAt === undefined) return handlers;
    // Each handler's place looked up once (not twice per comparison), then sorted as numbers.
    const places = handlers.map((handler) => ({ at: addedAt.get(handler) ?? 0, handler }));
    places.sort((a, b) => a.at - b.at);
    return places.map((place) => place.handler);
  }

  #remove(set: Set<IOHandler>, handler: IOHandler): void {
    if (set.delete(handler)) this.interestChanged(handler);
  }

  /** The kinds of interest `handler` has now. */
  protected interestOf(handler: IOHandler): {
    /** It is in `readers`. */
    read: boolean;
    /** It is in `writers`. */
    write: boolean;
    /** It is in `errorWatchers`. */
    error: boolean;
  } {
    return { read: this.readers.has(handler), write: this.writers.has(handler), error: this.errorWatchers.has(handler) };
  }

  // ---- time ----------------------------------------------------------------------------------------

  seconds(): number {
    return this.clock.seconds();
  }

  now(): number {
    return this.clock.seconds();
  }

  callLater<A extends unknown[]>(seconds: number, fn: (...args: A) => void, ...args: A): DelayedCall {
    checkDelay(seconds, 'callLater');
    // The cast only widens what the call stores: it is called with exactly `args`.
    const call = new ScheduledCall(this.clock.seconds() + Math.max(0, seconds), this.#timerSequence++, fn as (...args: unknown[]) => void, args, this);
    this.#timers.push(call);
    if (this.#isWaiting) this.wakeup();
    return call;
  }

  callSoon<A extends unknown[]>(fn: (...args: A) => void, ...args: A): void {
    this.#soon.push(() => fn(...args));
    if (this.#isWaiting) this.wakeup();
  }

  moved(call: ScheduledCall): void {
    // A pending call not in the heap was taken off it to run in this iteration: moving it puts it
    // back, so it runs at its new time (a zero or negative move: in the next iteration, not this one).
    if (!this.#timers.update(call)) this.#timers.push(call);
    if (this.#isWaiting) this.wakeup();
  }

  cancelled(call: ScheduledCall): void {
    this.#timers.remove(call);
  }

  // ---- the loop ------------------------------------------------------------------------------------

  async iterate(timeout?: number): Promise<IterationStats> {
    try {
      const ready = await new Promise<ReadyHandlers>((resolve, reject) => {
        const now = this.#beginIteration(timeout, resolve, reject);
        if (now !== null) resolve(now);
      });
      return this.#endIteration(ready);
    } finally {
      this.#isWaiting = false;
      // Only run() keeps the alarm between iterations: a pending setTimeout keeps Node's process up.
      if (!this.#isRunning) this.#cancelAlarm();
    }
  }

  run(): Promise<void> {
    if (this.#isRunning) return Promise.reject(new Error('The reactor is already running'));
    this.#isRunning = true;
    this.#isStopping = false;
    return new Promise<void>((resolve, reject) => {
      this.#running = { resolve, reject };
      try {
        const ready = this.#beginIteration(undefined, this.#onRunReady, this.#onRunFailed);
        // Handlers ready at once are still dispatched after run() returned, as an async loop would.
        if (ready !== null) queueMicrotask(() => this.#loop(ready));
      } catch (error) {
        this.#endRun(error);
      }
    });
  }

  /**
   * The run loop, driven by callbacks rather than a promise per iteration: it dispatches `ready`
   * (when given), then begins iterations while readiness is there at once, and returns when it must
   * wait (waitForReady's callback continues it) or yield to Node (setImmediate continues it).
   */
  #loop(ready: ReadyHandlers | null): void {
    try {
      for (let next = ready; ; ) {
        if (next !== null) {
          this.#endIteration(next);
          // Readiness that was there at once came without a trip through Node's event loop: take one
          // now, or I/O and timers outside the reactor would starve.
          if (!next.waited && !this.#isStopping) {
            setImmediate(this.#resumeRun);
            return;
          }
        }
        if (this.#isStopping) {
          this.#endRun(undefined);
          return;
        }
        next = this.#beginIteration(undefined, this.#onRunReady, this.#onRunFailed);
        if (next === null) return;
      }
    } catch (error) {
      this.#endRun(error);
    }
  }

  /** run() is over: `error` rejects its promise, undefined resolves it. */
  #endRun(error: unknown): void {
    const running = this.#running;
    this.#running = undefined;
    this.#isRunning = false;
    this.#isStopping = false;
    this.#cancelAlarm();
    if (error === undefined) running?.resolve();
    else running?.reject(error);
  }

  /**
   * Arms the clock to end a wait at `at`, the earliest timer's time. The alarm outlives the wait: the
   * earliest timer rarely changes between iterations (an idle timeout re-arms itself lazily), and
   * keeping one alarm saves a setTimeout and a clearTimeout per iteration. One that fires while
   * nothing waits does nothing (wakeup() then has no wait to end). run() and iterate() cancel it
   * when they return.
   */
  #wakeAt(at: number): void {
    const alarm = this.#alarm;
    if (alarm !== undefined && alarm.at === at) return;
    alarm?.cancel();
    const armed = { at, cancel: this.clock.wakeAt(at, () => {
      if (this.#alarm === armed) this.#alarm = undefined;
      this.wakeup();
    }) };
    this.#alarm = armed;
  }

  #cancelAlarm(): void {
    this.#alarm?.cancel();
    this.#alarm = undefined;
  }

  stop(): void {
    if (!this.#isRunning) return;
    this.#isStopping = true;
    if (this.#isWaiting) this.wakeup();
  }

  /** An iteration's wait: the handlers ready now, or null when `onReady` will get them. */
  #beginIteration(timeout: number | undefined, onReady: ReadyCallback, onFailed: (error: unknown) => void): ReadyHandlers | null {
    const next = this.#timers.peek();
    const mustNotWait = this.#soon.length > 0 || this.#isStopping || (next !== undefined && next.time <= this.clock.seconds());
    const wait = mustNotWait ? 0 : (timeout ?? null);
    if (wait !== 0 && next !== undefined) this.#wakeAt(next.time);
    const ready = this.waitForReady(wait, onReady, onFailed);
    this.#isWaiting = ready === null && wait !== 0;
    return ready;
  }

  /** The rest of an iteration, once its wait is over: dispatch, then soon-calls and due timers. */
  #endIteration(ready: ReadyHandlers): IterationStats {
    this.#isWaiting = false;
    const errors = this.#dispatch(ready.errors, this.errorWatchers, 'errorReady');
    const reads = this.#dispatch(ready.reads, this.readers, 'readReady');
    const writes = this.#dispatch(ready.writes, this.writers, 'writeReady');
    const timers = this.#runSoonAndTimers();
    return { reads, writes, errors, timers };
  }

  #dispatch(handlers: readonly IOHandler[], set: ReadonlySet<IOHandler>, method: 'readReady' | 'writeReady' | 'errorReady'): number {
    let count = 0;
    for (let i = 0; i < handlers.length; i++) {
      const handler = handlers[i];
      // A handler removed by an earlier one in this iteration is not called.
      if (handler === undefined || !set.has(handler)) continue;
      count += 1;
      try {
        // Called by name, not handler[method]: a keyed property load here is megamorphic (every
        // handler class is another shape), and it ran once per ready handler.
        if (method === 'readReady') handler.readReady?.();
        else if (method === 'writeReady') handler.writeReady?.();
        else handler.errorReady?.();
      } catch (error) {
        this.#handlerFailed(handler, method, error);
      }
    }
    return count;
  }

  /**
   * One handler threw (a protocol's bug, in its dataReceived say): that handler's connection ends,
   * the loop and every other connection go on, and the error is reported once, here: crash-only is
   * not an answer for a server with many peers (issue 13).
   */
  #handlerFailed(handler: IOHandler, method: string, error: unknown): void {
    const who = `${handler.constructor.name}.${method}()`;
    if (handler.handlerFailed === undefined) {
      this.removeAll(handler);
      this.#onError(error, `${who} threw and the handler has no handlerFailed(); it was removed from the reactor`);
      return;
    }
    this.#onError(error, `${who} threw; handed to its handlerFailed() (a connection closes, a listener goes on)`);
    try {
      handler.handlerFailed(error);
    } catch (second) {
      this.removeAll(handler);
      this.#onError(second, 'handlerFailed() threw');
    }
  }

  reportError(error: unknown, context: string): void {
    this.#onError(error, context);
  }

  #runSoonAndTimers(): number {
    let count = 0;
    const soon = this.#soon;
    if (soon.length > 0) {
      // Calls queued while these run wait for the next iteration, so a callSoon loop cannot starve I/O.
      this.#soon = [];
      for (const fn of soon) {
        count += 1;
        this.#runTimer(fn);
      }
    }
    const now = this.clock.seconds();
    const due: ScheduledCall[] = [];
    for (let top = this.#timers.peek(); top !== undefined && top.time <= now; top = this.#timers.peek()) {
      this.#timers.pop();
      due.push(top);
    }
    // Timers added by these with no delay are due next iteration, never in this one. One of these
    // may cancel or move a later one (Twisted's and asyncio's loops skip a cancelled handle too).
    for (const call of due) {
      if (!call.active() || this.#timers.has(call)) continue;
      count += 1;
      this.#runTimer(() => call.run());
    }
    return count;
  }

  #runTimer(fn: () => void): void {
    try {
      fn();
    } catch (error) {
      this.#onError(error, 'a timed call threw');
    }
  }
}

function defaultOnError(error: unknown, context: string): void {
  console.error(`switchboard reactor: ${context}:`, error);
}
