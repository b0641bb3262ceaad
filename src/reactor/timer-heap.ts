// A binary min-heap of delayed calls by (time, sequence): O(log n) schedule, cancel and reset, and
// calls due at the same time run in the order they were scheduled.
import type { ScheduledCall } from './delayed-call.js';

/** The reactor's pending delayed calls, earliest first; each call keeps its own heap index. */
export class TimerHeap {
  #heap: ScheduledCall[] = [];

  /** How many calls are pending. */
  get size(): number {
    return this.#heap.length;
  }

  /** The call due first (ties: scheduled first), left in place; undefined when empty. */
  peek(): ScheduledCall | undefined {
    return this.#heap[0];
  }

  /** Adds a call that is not in the heap. */
  push(call: ScheduledCall): void {
    call.index = this.#heap.length;
    this.#heap.push(call);
    this.#up(call.index);
  }

  /** Takes the call due first off the heap (its index becomes -1); undefined when empty. */
  pop(): ScheduledCall | undefined {
    const top = this.#heap[0];
    if (top !== undefined) this.remove(top);
    return top;
  }

  /** Takes `call` off the heap. The call must be in it: one already popped (index -1) is not checked for. */
  remove(call: ScheduledCall): void {
    const index = call.index;
    const last = this.#heap.pop();
    call.index = -1;
    if (last === undefined || last === call) return;
    this.#heap[index] = last;
    last.index = index;
    this.update(last);
  }

  /** Restores order after `call.time` changed. */
  update(call: ScheduledCall): void {
    this.#up(call.index);
    this.#down(call.index);
  }

  #less(a: ScheduledCall, b: ScheduledCall): boolean {
    return a.time < b.time || (a.time === b.time && a.sequence < b.sequence);
  }

  #up(start: number): void {
    let i = start;
    for (;;) {
      const parent = (i - 1) >> 1;
      const node = this.#heap[i];
      const above = this.#heap[parent];
      if (i === 0 || node === undefined || above === undefined || !this.#less(node, above)) return;
      this.#swap(i, parent);
      i = parent;
    }
  }

  #down(start: number): void {
    let i = start;
    for (;;) {
      const left = 2 * i + 1;
      let smallest = i;
      for (const child of [left, left + 1]) {
        const c = this.#heap[child];
        const s = this.#heap[smallest];
        if (c !== undefined && s !== undefined && this.#less(c, s)) smallest = child;
      }
      if (smallest === i) return;
      this.#swap(i, smallest);
      i = smallest;
    }
  }

  #swap(i: number, j: number): void {
    const a = this.#heap[i];
    const b = this.#heap[j];
    if (a === undefined || b === undefined) return;
    this.#heap[i] = b;
    this.#heap[j] = a;
    a.index = j;
    b.index = i;
  }
}
