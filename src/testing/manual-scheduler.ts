// A Scheduler on a manual clock (Twisted's task.Clock): a protocol's timers run when the test
// advances time, never on their own, so timer tests never sleep.
import type { Cancellable, Scheduler } from '../protocols/scheduler.js';

interface Pending {
  readonly at: number;
  readonly sequence: number;
  readonly fn: () => void;
  isActive: boolean;
}

/**
 * A Scheduler whose time moves only when the test calls advance() (Twisted's `task.Clock`): give it
 * to a protocol's factory in place of the reactor. Time starts at 0 seconds.
 */
export class ManualScheduler implements Scheduler {
  #now = 0;
  #sequence = 0;
  #pending: Pending[] = [];

  seconds(): number {
    return this.#now;
  }

  callLater(seconds: number, fn: () => void): Cancellable {
    const call: Pending = { at: this.#now + Math.max(0, seconds), sequence: this.#sequence++, fn, isActive: true };
    this.#pending.push(call);
    return {
      cancel: () => {
        call.isActive = false;
      },
      active: () => call.isActive,
    };
  }

  /** The calls still waiting, soonest first. */
  get pendingCalls(): readonly {
    /** When the call is due, in this scheduler's seconds. */
    at: number
  }[] {
    return this.#due(Number.POSITIVE_INFINITY);
  }

  /** Moves time forward, running what falls due in order (calls they schedule too, if due). */
  advance(seconds: number): void {
    const target = this.#now + seconds;
    for (;;) {
      const [next] = this.#due(target);
      if (next === undefined) break;
      this.#now = next.at;
      next.isActive = false;
      next.fn();
    }
    this.#now = target;
    this.#pending = this.#pending.filter((p) => p.isActive);
  }

  #due(until: number): Pending[] {
    return this.#pending.filter((p) => p.isActive && p.at <= until).sort((a, b) => a.at - b.at || a.sequence - b.sequence);
  }
}
