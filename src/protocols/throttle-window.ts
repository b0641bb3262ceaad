// The time base of a throttled connection: fixed windows on a grid (origin + k * length), and a byte
// budget per window and direction. Windows are computed from the clock, never chained from the last
// timer, so a timer that fires late does not push every later window back (no drift).
import { ChunkQueue } from '../bytes/chunk-queue.js';
import type { Cancellable, Scheduler } from './scheduler.js';

/** A Scheduler that can tell the time: throttling needs `seconds()` to place its windows. */
export type ClockedScheduler = Scheduler & {
  /** The clock's time in seconds: required here, optional in Scheduler. */
  seconds(): number
};

// A clock reading an ulp short of a boundary still counts as the new window.
const EPSILON = 1e-9;

/** The window grid of one connection, and the one timer that waits for the next window. */
export class WindowClock {
  readonly #scheduler: ClockedScheduler;
  readonly #length: number;
  readonly #origin: number;
  readonly #onRoll: () => void;
  #index = 0;
  #timer: Cancellable | undefined;

  /** `onRoll` runs when the timer armed by waitForNextWindow() reaches the next window. */
  constructor(scheduler: ClockedScheduler, lengthSeconds: number, onRoll: () => void) {
    this.#scheduler = scheduler;
    this.#length = lengthSeconds;
    this.#origin = scheduler.seconds();
    this.#onRoll = onRoll;
  }

  /** The index of the window the clock is in now (0 from the origin; never goes back). */
  current(): number {
    const elapsed = (this.#scheduler.seconds() - this.#origin) / this.#length;
    this.#index = Math.max(this.#index, Math.floor(elapsed + EPSILON));
    return this.#index;
  }

  /** Arms the timer for the start of the next window, unless it is armed already. */
  waitForNextWindow(): void {
    if (this.#timer !== undefined) return;
    const next = this.current() + 1;
    const delay = Math.max(0, this.#origin + next * this.#length - this.#scheduler.seconds());
    this.#timer = this.#scheduler.callLater(delay, () => {
      this.#timer = undefined;
      // The timer knows which window it waited for, whatever rounding the clock did on the way.
      this.#index = Math.max(this.#index, next);
      this.#onRoll();
    });
  }

  /** Cancels a pending timer (a fired one cannot be cancelled: Twisted's rule). */
  stop(): void {
    if (this.#timer?.active() === true) this.#timer.cancel();
    this.#timer = undefined;
  }
}

/** The bytes one direction may move per window; the count starts afresh in each new window. */
export class WindowBudget {
  readonly perWindow: number;
  #window = -1;
  #spent = 0;

  constructor(perWindow: number) {
    this.perWindow = perWindow;
  }

  /** What is left to spend in window `window`. */
  remaining(window: number): number {
    if (window !== this.#window) {
      this.#window = window;
      this.#spent = 0;
    }
    return this.perWindow - this.#spent;
  }

  spend(window: number, bytes: number): void {
    this.remaining(window);
    this.#spent += bytes;
  }
}

/**
 * Bytes waiting for a later window: a ChunkQueue of copies (the owner of a chunk may reuse its buffer
 * once dataReceived or write returns), taken from the front a piece at a time, as views.
 */
export class HeldBytes extends ChunkQueue {
  /** Keeps a copy of `chunk` after everything held. */
  keep(chunk: Uint8Array): void {
    if (chunk.length > 0) this.push(Buffer.copyBytesFrom(chunk));
  }

  /** Keeps copies of `chunks` ahead of everything held (a switch's leftover comes before the rest). */
  keepFirst(chunks: readonly Uint8Array[]): void {
    for (let index = chunks.length - 1; index >= 0; index -= 1) {
      const chunk = chunks[index];
      if (chunk !== undefined && chunk.length > 0) this.pushFront(Buffer.copyBytesFrom(chunk));
    }
  }
}

/** `seconds` if it is a positive number; RangeError otherwise. */
export function checkWindow(seconds: number): number {
  if (!(Number.isFinite(seconds) && seconds > 0)) throw new RangeError(`Cannot throttle: windowSeconds must be a positive number, got ${seconds}`);
  return seconds;
}

/** The budget for `bytesPerSecond` over one window (none when undefined); RangeError under one byte. */
export function budgetFor(name: string, bytesPerSecond: number | undefined, windowSeconds: number): WindowBudget | undefined {
  if (bytesPerSecond === undefined) return undefined;
  const perWindow = Math.floor(bytesPerSecond * windowSeconds);
  if (!(Number.isFinite(bytesPerSecond) && perWindow >= 1)) {
    throw new RangeError(`Cannot throttle: ${name} of ${bytesPerSecond} gives under one byte per ${windowSeconds} s window`);
  }
  return new WindowBudget(perWindow);
}
