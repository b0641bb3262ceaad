// Waiting for one object's readiness: the building block of the awaitable socket calls. Sleeps on
// readiness notifications (never polls), bounded by a deadline and an AbortSignal.
import { setLongTimeout } from './long-timer.js';
import type { Selectable } from './selectable.js';

/** Options of every awaitable socket call (`sendall`, `recvAsync`, `acceptAsync`, `connectAsync` ...). */
export interface WaitOptions {
  /** Aborts the wait with the signal's reason, as Node's own promise APIs do. */
  readonly signal?: AbortSignal;
}

/** Thrown when the deadline passes; the caller decides the error class (TimeoutError for sockets). */
export class DeadlineExceeded extends Error {
  /** `'DeadlineExceeded'`. */
  override name = 'DeadlineExceeded';
}

/**
 * Resolves once `(source.readiness() & events) !== 0` or the source is closed; rejects with
 * DeadlineExceeded at `deadline` (a performance.now() value; null waits forever).
 */
export function waitReady(source: Selectable, events: number, deadline: number | null, signal?: AbortSignal): Promise<void> {
  if (signal?.aborted) return Promise.reject(signal.reason);
  if (isReady(source, events)) return Promise.resolve();
  return new Promise((resolve, reject) => {
    let cancelTimer: (() => void) | undefined;
    const finish = (): void => {
      source.unwatch(onChange);
      signal?.removeEventListener('abort', onAbort);
      cancelTimer?.();
    };
    const onChange = (): void => {
      if (!isReady(source, events)) return;
      finish();
      resolve();
    };
    const onAbort = (): void => {
      finish();
      reject(signal?.reason);
    };
    source.watch(onChange);
    signal?.addEventListener('abort', onAbort, { once: true });
    if (deadline !== null) {
      cancelTimer = setLongTimeout(() => {
        finish();
        reject(new DeadlineExceeded('timed out'));
      }, deadline - performance.now());
    }
  });
}

function isReady(source: Selectable, events: number): boolean {
  return source.fileno() < 0 || (source.readiness() & events) !== 0;
}
