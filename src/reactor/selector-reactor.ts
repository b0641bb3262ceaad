// The default reactor: driven by a Selector's ready set, so an iteration costs O(ready handlers),
// not O(registered), and every ready handler is dispatched in one iteration (one trip through
// Node's event loop for many ready connections, not one each).
import { BaseReactor, type ReadyCallback, type ReadyHandlers } from './base-reactor.js';
import type { IOHandler } from './reactor.js';
import type { Selectable } from './selectable.js';
import { EVENT_ERROR, EVENT_READ, EVENT_WRITE, Selector, type SelectorKey } from './selector.js';

/**
 * The handlers interested in one selectable: nearly always one handler, held alone (an array would
 * cost some 50 bytes more per connection, a Set some 200, and idle connections come in tens of
 * thousands); an array when several share the selectable.
 */
type Interested = IOHandler | IOHandler[];

/** Shared by every iteration that found no handler of a kind: most find readers only. */
const NONE: readonly IOHandler[] = Object.freeze([]);
const NOTHING_NOW: ReadyHandlers = { errors: NONE, reads: NONE, writes: NONE, waited: false };
const NOTHING_AFTER_WAIT: ReadyHandlers = { errors: NONE, reads: NONE, writes: NONE, waited: true };

/** `interested` as a list (a one-element array for a lone handler: on an interest change, never per message). */
function handlersOf(interested: Interested | undefined): readonly IOHandler[] {
  if (interested === undefined) return NONE;
  return Array.isArray(interested) ? interested : [interested];
}

/**
 * The default reactor: driven by a Selector's ready set, so an iteration costs O(ready handlers), not
 * O(registered), and every handler found ready is dispatched in one iteration. Each selectable is
 * registered once, for the union of what its handlers want.
 */
export class SelectorReactor extends BaseReactor {
  readonly #selector = new Selector<Selectable, Interested>();
  /**
   * The handlers of selectables that are not registered (closed ones still in a set); a registered
   * selectable's handlers live in its selector key's data only (one record per connection, not two).
   */
  readonly #unregistered = new Map<Selectable, Interested>();

  protected interestChanged(handler: IOHandler): void {
    const selectable = handler.selectable;
    const current = this.#selector.getMap().get(selectable)?.data ?? this.#unregistered.get(selectable);
    const wants = this.interestOf(handler);
    let next: Interested | undefined = current;
    if (wants.read || wants.write || wants.error) {
      if (current === undefined) next = handler;
      else if (!Array.isArray(current)) next = current === handler ? current : [current, handler];
      else if (!current.includes(handler)) next = [...current, handler];
    } else if (current === handler) {
      next = undefined;
    } else if (Array.isArray(current) && current.includes(handler)) {
      const rest = current.filter((h) => h !== handler);
      next = rest.length === 1 ? rest[0] : rest;
    }
    this.#sync(selectable, next);
  }

  #sync(selectable: Selectable, interested: Interested | undefined): void {
    let events = 0;
    for (const handler of handlersOf(interested)) {
      const wants = this.interestOf(handler);
      events |= (wants.read ? EVENT_READ : 0) | (wants.write ? EVENT_WRITE : 0) | (wants.error ? EVENT_ERROR : 0);
    }
    const registered = this.#selector.getMap().has(selectable);
    if (events === 0 || interested === undefined) {
      if (registered) this.#selector.unregister(selectable);
      this.#unregistered.delete(selectable);
      return;
    }
    if (selectable.fileno() < 0) {
      if (registered) this.#selector.unregister(selectable);
      this.#unregistered.set(selectable, interested);
      return;
    }
    this.#unregistered.delete(selectable);
    if (registered) this.#selector.modify(selectable, events, interested);
    else this.#selector.register(selectable, events, interested);
  }

  /** The pending wait's callback (one wait at a time). */
  #onReady: ReadyCallback | undefined;
  // This iteration's ready handlers per kind, filled by #visit; null until the first of a kind.
  #reads: IOHandler[] | null = null;
  #writes: IOHandler[] | null = null;
  #errors: IOHandler[] | null = null;
  // Bound once: a wait and a collection cost no closure per iteration.
  readonly #onWake = (): void => {
    const onReady = this.#onReady;
    this.#onReady = undefined;
    onReady?.(this.#collect(true) ?? NOTHING_AFTER_WAIT);
  };
  readonly #visit = (key: SelectorKey<Selectable, Interested>, events: number): void => {
    const interested = key.data;
    if (interested === undefined) return;
    if (!Array.isArray(interested)) {
      this.#collectOne(interested, events);
      return;
    }
    // Indexed, not for-of: this runs per ready key, and the array iterator showed in the profile.
    for (let i = 0; i < interested.length; i++) {
      const handler = interested[i];
      if (handler !== undefined) this.#collectOne(handler, events);
    }
  };

  /** Files `handler` under each kind of `events` it is interested in. */
  #collectOne(handler: IOHandler, events: number): void {
    // A literal for the first (push onto [] would reserve room for 17).
    if ((events & EVENT_READ) !== 0 && this.readers.has(handler)) {
      if (this.#reads === null) this.#reads = [handler];
      else this.#reads.push(handler);
    }
    if ((events & EVENT_WRITE) !== 0 && this.writers.has(handler)) {
      if (this.#writes === null) this.#writes = [handler];
      else this.#writes.push(handler);
    }
    if ((events & EVENT_ERROR) !== 0 && this.errorWatchers.has(handler)) {
      if (this.#errors === null) this.#errors = [handler];
      else this.#errors.push(handler);
    }
  }

  protected waitForReady(timeout: number | null, onReady: ReadyCallback): ReadyHandlers | null {
    const now = this.#collect(false);
    if (now !== null || timeout === 0) return now ?? NOTHING_NOW;
    this.#onReady = onReady;
    this.#selector.waitThen(timeout, this.#onWake);
    return null;
  }

  /** The handlers ready now, each kind in the order its handlers were added; null when none is. */
  #collect(waited: boolean): ReadyHandlers | null {
    this.#reads = this.#writes = this.#errors = null;
    if (this.#selector.forEachReady(this.#visit) === 0) return null;
    const reads = this.#reads;
    const writes = this.#writes;
    const errors = this.#errors;
    this.#reads = this.#writes = this.#errors = null;
    return {
      reads: reads === null ? NONE : this.inAddedOrder(reads, this.readers),
      writes: writes === null ? NONE : this.inAddedOrder(writes, this.writers),
      errors: errors === null ? NONE : this.inAddedOrder(errors, this.errorWatchers),
      waited,
    };
  }

  protected wakeup(): void {
    this.#selector.wakeup();
  }
}
