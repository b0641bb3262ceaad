// A selectors-style Selector (Python's selectors.DefaultSelector) over Selectables. It keeps a ready
// set fed by readiness notifications, so one select() costs O(ready), not O(registered): an object
// is looked at only after it said its readiness may have changed, and while it stays ready
// (level-triggered, as epoll without EPOLLET).
import { EVENT_ERROR, EVENT_READ, EVENT_WRITE, type ReadinessListener, type Selectable } from './selectable.js';
import { setLongTimeout } from './long-timer.js';
import { RegisteredKey } from './registered-key.js';
import { ValueError } from './value-error.js';

export { EVENT_READ, EVENT_WRITE, EVENT_ERROR };

const ALL_EVENTS = EVENT_READ | EVENT_WRITE | EVENT_ERROR;

/** One registration, as Python's `selectors.SelectorKey`; `register` and `modify` return a new one. */
export interface SelectorKey<T extends Selectable, D = unknown> {
  /** The registered object. */
  readonly fileobj: T;
  /** `fileobj.fileno()` at registration (it stays the same after the object closes). */
  readonly fd: number;
  /** The events watched: a non-zero mask of EVENT_READ, EVENT_WRITE and EVENT_ERROR. */
  readonly events: number;
  /** The caller's value given to `register` or `modify` (typically the handler to dispatch to). */
  readonly data: D | undefined;
}

/** Registration misuse, as Python raises KeyError (unknown or duplicate object). */
export class KeyError extends Error {
  /** `'KeyError'`. */
  override name = 'KeyError';
}

/** One entry of `Selector.select()`'s result: the key and the events that hold now (a subset of `key.events`). */
export type SelectorEvent<T extends Selectable, D> = [key: SelectorKey<T, D>, events: number];

/**
 * Python's `selectors.DefaultSelector` over Selectables: register objects with the events to watch,
 * then `select()` for those that are ready. Level-triggered: an object is reported by every select
 * while it stays ready. It keeps a ready set fed by readiness notifications, so a select costs
 * O(ready), not O(registered). Every method of a closed selector throws ValueError, except `close`,
 * `getKey`, `getMap`, `wakeup` and `readyNow`.
 */
export class Selector<T extends Selectable = Selectable, D = unknown> {
  readonly #keys = new Map<T, RegisteredKey<T, D>>();
  /**
   * The keys that may be ready, in the order they were notified: notified since they were last
   * found not ready. The first #candidateCount entries are live; each key's own state says whether
   * it is listed, so a notification of a listed key costs nothing.
   */
  readonly #candidates: (RegisteredKey<T, D> | undefined)[] = [];
  #candidateCount = 0;
  /** Who the pending wait (waitThen) calls; null when nothing waits. One wait at a time. */
  #onWake: (() => void) | null = null;
  /** The pending wait's end is scheduled (setImmediate or a microtask): later notifications only add candidates. */
  #isFinishing = false;
  #cancelTimer: (() => void) | undefined;
  #isClosed = false;
  // Bound once, not a closure per wait: a busy reactor waits once per iteration.
  readonly #finish = (): void => {
    const onWake = this.#onWake;
    if (onWake === null) return;
    this.#onWake = null;
    this.#isFinishing = false;
    const cancelTimer = this.#cancelTimer;
    this.#cancelTimer = undefined;
    cancelTimer?.();
    onWake();
  };
  readonly #onChange: ReadinessListener = (source) => {
    // The listener is only attached to registered objects, which are of type T.
    const fileobj = source as T;
    const key = this.#keys.get(fileobj);
    if (key === undefined) return;
    if (RegisteredKey.enlist(key)) this.#candidates[this.#candidateCount++] = key;
    if (this.#onWake === null || this.#isFinishing) return;
    // Only the notifier can have turned ready since the wait began (every candidate was found not
    // ready then, and a change of readiness comes with a notification): no scan of the others.
    if ((fileobj.readiness() & key.events) === 0) return;
    // Finish after the rest of this event-loop phase, so that every socket Node reads in the same
    // poll phase is reported by this one wait, not one each.
    this.#isFinishing = true;
    setImmediate(this.#finish);
  };

  /**
   * Starts watching `fileobj` for `events` (a non-zero mask of EVENT_READ, EVENT_WRITE, EVENT_ERROR),
   * with `data` carried in its key. Throws KeyError if it is registered already, ValueError for
   * invalid events or a closed object.
   */
  register(fileobj: T, events: number, data?: D): SelectorKey<T, D> {
    this.#checkOpen();
    checkEvents(events);
    if (fileobj.fileno() < 0) throw new ValueError('Invalid file object: its fileno() is -1');
    if (this.#keys.has(fileobj)) throw new KeyError(`${String(fileobj.fileno())} is already registered`);
    const key = new RegisteredKey(fileobj, fileobj.fileno(), events, data);
    this.#keys.set(fileobj, key);
    fileobj.watch(this.#onChange);
    this.#onChange(fileobj);
    return key;
  }

  /** Stops watching `fileobj` and returns its last key; KeyError if it is not registered. Unregister before closing an object. */
  unregister(fileobj: T): SelectorKey<T, D> {
    this.#checkOpen();
    const key = this.#keyOf(fileobj);
    this.#keys.delete(fileobj);
    RegisteredKey.retire(key);
    fileobj.unwatch(this.#onChange);
    return key;
  }

  /**
   * Changes what `fileobj` is watched for, and its data (omitted `data` becomes undefined, as in
   * Python); returns the new key. KeyError if it is not registered, ValueError for invalid events.
   */
  modify(fileobj: T, events: number, data?: D): SelectorKey<T, D> {
    this.#checkOpen();
    checkEvents(events);
    const old = this.#keyOf(fileobj);
    const key = new RegisteredKey(fileobj, old.fd, events, data);
    RegisteredKey.retire(old);
    this.#keys.set(fileobj, key);
    this.#onChange(fileobj);
    return key;
  }

  /** The key of a registered object; KeyError if it is not registered. */
  getKey(fileobj: T): SelectorKey<T, D> {
    return this.#keyOf(fileobj);
  }

  #keyOf(fileobj: T): RegisteredKey<T, D> {
    const key = this.#keys.get(fileobj);
    if (key === undefined) throw new KeyError(`${String(fileobj.fileno())} is not registered`);
    return key;
  }

  /** Every registration, object to key: a live read-only view (Python's `get_map()`), empty once closed. */
  getMap(): ReadonlyMap<T, SelectorKey<T, D>> {
    return this.#keys;
  }

  /**
   * The registered objects ready for their events, with the events that hold. `timeout` in seconds:
   * undefined/null waits forever, 0 polls. Resolves early, possibly with nothing, on wakeup().
   */
  select(timeout?: number | null): Promise<SelectorEvent<T, D>[]> {
    this.#checkOpen();
    const ready = this.readyNow();
    if (ready.length > 0 || timeout === 0) return Promise.resolve(ready);
    return new Promise((resolve) => {
      this.waitThen(timeout ?? null, () => resolve(this.#isClosed ? [] : this.readyNow()));
    });
  }

  /**
   * select() without a promise, for a loop that waits once per iteration (the SelectorReactor):
   * calls `onWake` once, never synchronously, when a registered object may be ready, after
   * `timeout` seconds (null: no limit), on wakeup() or on close(); the caller then collects with
   * readyNow() or forEachReady(). One wait at a time: a second call replaces the first's callback.
   */
  waitThen(timeout: number | null, onWake: () => void): void {
    this.#onWake = onWake;
    this.#isFinishing = false;
    this.#cancelTimer?.();
    this.#cancelTimer = timeout === null ? undefined : setLongTimeout(this.#finish, timeout * 1000);
    if (this.#isClosed) this.wakeup();
  }

  /** Ends a pending select() soon (asyncio's self-pipe write): it resolves with what is ready then. */
  wakeup(): void {
    if (this.#onWake === null || this.#isFinishing) return;
    // In a microtask, not now: the caller (a callSoon, a stop()) is in the middle of its own work.
    this.#isFinishing = true;
    queueMicrotask(this.#finish);
  }

  /** Collects what is ready now without waiting, dropping candidates that turned out not to be. */
  readyNow(): SelectorEvent<T, D>[] {
    const out: SelectorEvent<T, D>[] = [];
    this.forEachReady((key, events) => {
      out.push([key, events]);
    });
    return out;
  }

  /**
   * readyNow() without its arrays: calls `visit` with each ready key and the events that hold, in
   * the order the objects were notified; drops candidates that turned out not to be ready. Returns
   * how many were visited.
   */
  forEachReady(visit: (key: SelectorKey<T, D>, events: number) => void): number {
    let count = 0;
    // Compacted in place, in notification order: a key still ready keeps its place, one found not
    // ready (or retired) leaves the list. Keys listed during the walk are walked too.
    const list = this.#candidates;
    let kept = 0;
    for (let i = 0; i < this.#candidateCount; i++) {
      const key = list[i];
      if (key === undefined || !RegisteredKey.isCurrent(key)) continue;
      const events = key.fileobj.readiness() & key.events;
      if (events === 0) {
        RegisteredKey.dismiss(key);
        continue;
      }
      list[kept++] = key;
      count += 1;
      visit(key, events);
    }
    // Cleared, not truncated (a length store is a slow path): the array keeps its high-water size.
    for (let i = kept; i < this.#candidateCount; i++) list[i] = undefined;
    this.#candidateCount = kept;
    return count;
  }

  /** Unregisters everything and ends a pending select() with nothing; calling it again does nothing. */
  close(): void {
    if (this.#isClosed) return;
    this.#isClosed = true;
    for (const [fileobj, key] of this.#keys) {
      fileobj.unwatch(this.#onChange);
      RegisteredKey.retire(key);
    }
    this.#keys.clear();
    this.#candidates.length = 0;
    this.#candidateCount = 0;
    this.wakeup();
  }

  /** `using sel = new Selector()`: close() at the end of the block, as Python's `with selectors.DefaultSelector() as sel`. */
  [Symbol.dispose](): void {
    this.close();
  }

  /** `await using`: close() (which never waits). */
  [Symbol.asyncDispose](): Promise<void> {
    this.close();
    return Promise.resolve();
  }

  /** True once close() was called. */
  get isClosed(): boolean {
    return this.#isClosed;
  }

  #checkOpen(): void {
    if (this.#isClosed) throw new ValueError('I/O operation on a closed selector');
  }
}

function checkEvents(events: number): void {
  if (!Number.isInteger(events) || events === 0 || (events & ~ALL_EVENTS) !== 0) {
    throw new ValueError(`Invalid events: ${String(events)}`);
  }
}
