// The listener list behind Selectable.watch/unwatch, for Selectables built on other Selectables.
import type { ReadinessListener, Selectable } from './selectable.js';

/** The listeners of one Selectable's watch()/unwatch(), told in order when its readiness may have changed. */
export class ReadinessListeners {
  #listeners: readonly ReadinessListener[] = [];

  /** Adding the same listener twice has no effect. */
  add(listener: ReadinessListener): void {
    if (!this.#listeners.includes(listener)) this.#listeners = [...this.#listeners, listener];
  }

  remove(listener: ReadinessListener): void {
    if (this.#listeners.includes(listener)) this.#listeners = this.#listeners.filter((l) => l !== listener);
  }

  /** Tells every listener; copy-on-write, so one that unwatches during the loop does not disturb it. */
  notify(source: Selectable): void {
    for (const listener of this.#listeners) listener(source);
  }
}
