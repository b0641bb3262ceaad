// The faithful reactor: every iteration calls select() over its three interest sets, as the HOWTO's
// loop does. O(registered) per iteration; SelectorReactor is the O(ready) default.
import { BaseReactor, type ReadyCallback, type ReadyHandlers } from './base-reactor.js';
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

  /** Always answers later: select() itself is a promise. */
  protected waitForReady(timeout: number | null, onReady: ReadyCallback, onFailed: (error: unknown) => void): null {
    this.#wait(timeout).then(onReady, onFailed);
    return null;
  }

  async #wait(timeout: number | null): Promise<ReadyHandlers> {
    const r = openHandlers(this.readers);
    const w = openHandlers(this.writers);
    const x = openHandlers(this.errorWatchers);
    let result: [Selectable[], Selectable[], Selectable[]];
    const abort = new AbortController();
    this.#abort = abort;
    try {
      result = await select(selectablesOf(r), selectablesOf(w), selectablesOf(x), timeout, abort.signal);
    } catch (error) {
      if (!abort.signal.aborted) throw error;
      result = [[], [], []];
    } finally {
      this.#abort = null;
    }
    const [rr, ww, xx] = result;
    return { reads: readyOf(r, rr), writes: readyOf(w, ww), errors: readyOf(x, xx), waited: timeout !== 0 };
  }

  protected wakeup(): void {
    this.#abort?.abort();
  }
}

/** The handlers of a set whose selectable is open, in the set's order: the order they were added. */
function openHandlers(set: ReadonlySet<IOHandler>): IOHandler[] {
  const open: IOHandler[] = [];
  for (const handler of set) if (handler.selectable.fileno() >= 0) open.push(handler);
  return open;
}

/** Each selectable once, however many handlers share it. */
function selectablesOf(handlers: readonly IOHandler[]): Selectable[] {
  return [...new Set(handlers.map((handler) => handler.selectable))];
}

function readyOf(handlers: readonly IOHandler[], ready: readonly Selectable[]): IOHandler[] {
  if (ready.length === 0) return [];
  // Filter the handlers rather than walk select()'s result: handlers sharing a selectable would
  // otherwise come out grouped by selectable, not in the order they were added (Reactor.iterate).
  const isReady = new Set(ready);
  return handlers.filter((handler) => isReady.has(handler.selectable));
}
