// The default reactor: driven by a Selector's ready set, so an iteration costs O(ready handlers),
// not O(registered), and every ready handler is dispatched in one iteration (one trip through
// Node's event loop for many ready connections, not one each).
import { BaseReactor, type ReadyHandlers } from './base-reactor.js';
import type { IOHandler } from './reactor.js';
import type { Selectable } from './selectable.js';
import { EVENT_ERROR, EVENT_READ, EVENT_WRITE, Selector, type SelectorEvent } from './selector.js';

/**
 * The handlers interested in one selectable: usually one handler in one to three sets, so an array
 * (a Set costs some 200 bytes more per connection, and idle connections come in tens of thousands).
 */
type Interested = IOHandler[];

/**
 * The default reactor: driven by a Selector's ready set, so an iteration costs O(ready handlers), not
 * O(registered), and every handler found ready is dispatched in one iteration. Each selectable is
 * registered once, for the union of what its handlers want.
 */
export class SelectorReactor extends BaseReactor {
  readonly #selector = new Selector<Selectable, Interested>();
  readonly #interested = new Map<Selectable, Interested>();

  protected interestChanged(handler: IOHandler): void {
    const selectable = handler.selectable;
    let handlers = this.#interested.get(selectable);
    const wants = this.interestOf(handler);
    if (wants.read || wants.write || wants.error) {
      if (handlers === undefined) {
        // A literal, sized for its one handler (push onto [] would reserve room for 17).
        handlers = [handler];
        this.#interested.set(selectable, handlers);
      } else if (!handlers.includes(handler)) {
        handlers.push(handler);
      }
    } else if (handlers !== undefined) {
      const at = handlers.indexOf(handler);
      if (at >= 0) handlers.splice(at, 1);
    }
    this.#sync(selectable, handlers);
  }

  #sync(selectable: Selectable, handlers: Interested | undefined): void {
    let events = 0;
    for (const handler of handlers ?? []) {
      const wants = this.interestOf(handler);
      events |= (wants.read ? EVENT_READ : 0) | (wants.write ? EVENT_WRITE : 0) | (wants.error ? EVENT_ERROR : 0);
    }
    const registered = this.#selector.getMap().has(selectable);
    if (events === 0 || selectable.fileno() < 0) {
      if (registered) this.#selector.unregister(selectable);
      if (events === 0) this.#interested.delete(selectable);
      return;
    }
    if (handlers === undefined) return;
    if (registered) this.#selector.modify(selectable, events, handlers);
    else this.#selector.register(selectable, events, handlers);
  }

  protected async waitForReady(timeout: number | null): Promise<ReadyHandlers> {
    let ready = this.#selector.readyNow();
    let waited = false;
    if (ready.length === 0 && timeout !== 0) {
      ready = await this.#selector.select(timeout);
      waited = true;
    }
    return this.#sort(ready, waited);
  }

  #sort(ready: readonly SelectorEvent<Selectable, Interested>[], waited: boolean): ReadyHandlers {
    const reads: IOHandler[] = [];
    const writes: IOHandler[] = [];
    const errors: IOHandler[] = [];
    for (const [key, events] of ready) {
      for (const handler of key.data ?? []) {
        if ((events & EVENT_READ) !== 0 && this.readers.has(handler)) reads.push(handler);
        if ((events & EVENT_WRITE) !== 0 && this.writers.has(handler)) writes.push(handler);
        if ((events & EVENT_ERROR) !== 0 && this.errorWatchers.has(handler)) errors.push(handler);
      }
    }
    return {
      reads: this.inAddedOrder(reads, this.readers),
      writes: this.inAddedOrder(writes, this.writers),
      errors: this.inAddedOrder(errors, this.errorWatchers),
      waited,
    };
  }

  protected wakeup(): void {
    this.#selector.wakeup();
  }
}
