// The faithful reactor: every iteration calls select() over its three interest sets, as the HOWTO's
// loop does. O(registered) per iteration; SelectorReactor is the O(ready) default.
import { BaseReactor, type ReadyHandlers } from './base-reactor.js';
import type { IOHandler } from './reactor.js';
import type { Selectable } from './selectable.js';
import { select } from './select.js';

/**
 * The reactor that calls select() over its three interest sets every iteration, as the HOWTO's loop
 * does: faithful and simple, O(registered handlers) per iteration. A change to the sets during a wait
 * restarts the wait. Use SelectorReactor (the default) for many connections.
 */
export class SelectReactor extends BaseReactor {
  #abort: AbortController | null = null;

  /** The sets are read afresh each iteration; a wait in progress restarts to include the change. */
  protected interestChanged(): void {
    this.wakeup();
  }

  protected async waitForReady(timeout: number | null): Promise<ReadyHandlers> {
    const r = openSelectables(this.readers);
    const w = openSelectables(this.writers);
    const x = openSelectables(this.errorWatchers);
    let result: [Selectable[], Selectable[], Selectable[]];
    const abort = new AbortController();
    this.#abort = abort;
    try {
      result = await select([...r.keys()], [...w.keys()], [...x.keys()], timeout, abort.signal);
    } catch (error) {
      if (!abort.signal.aborted) throw error;
      result = [[], [], []];
    } finally {
      this.#abort = null;
    }
    const [rr, ww, xx] = result;
    return { reads: handlersOf(rr, r), writes: handlersOf(ww, w), errors: handlersOf(xx, x), waited: timeout !== 0 };
  }

  protected wakeup(): void {
    this.#abort?.abort();
  }
}

/** The open selectables of a set, each with its handlers in the order they were added. */
function openSelectables(set: ReadonlySet<IOHandler>): Map<Selectable, IOHandler[]> {
  const map = new Map<Selectable, IOHandler[]>();
  for (const handler of set) {
    const selectable = handler.selectable;
    if (selectable.fileno() < 0) continue;
    const list = map.get(selectable);
    if (list === undefined) map.set(selectable, [handler]);
    else list.push(handler);
  }
  return map;
}

function handlersOf(ready: readonly Selectable[], map: ReadonlyMap<Selectable, IOHandler[]>): IOHandler[] {
  if (ready.length === 0) return [];
  // select() keeps input order, and the map was built in the order the handlers were added.
  return ready.flatMap((selectable) => map.get(selectable) ?? []);
}
