// select(2) over Selectables, as Python's select.select: wait until any listed object is ready or the
// timeout passes. It never polls: it sleeps on readiness notifications and wakes on the first change.
import { EVENT_ERROR, EVENT_READ, EVENT_WRITE, type Selectable } from './selectable.js';
import { setLongTimeout } from './long-timer.js';
import { ValueError } from './value-error.js';

/** What select() resolves to: the ready subsets of its r-, w- and x-lists, as Python's `select.select` returns. */
export type SelectResult<T extends Selectable> = [readable: T[], writable: T[], exceptional: T[]];


/**
 * Python's `select.select`: resolves with the ready subsets of the three lists, each in input order.
 * `timeout` is in seconds: `undefined`/`null` waits forever, `0` polls. The exceptional list holds
 * objects with an error pending (Node has no out-of-band data; see docs/semantics.md). An object may
 * be in several lists. A select that may wait lets the event loop run once before it looks, so what
 * a loopback peer has already done is seen; `0` looks at once. `signal` rejects it with its reason.
 * Rejects with ValueError for a negative or non-finite timeout, or a closed object in a list.
 */
export function select<T extends Selectable>(
  rlist: readonly T[],
  wlist: readonly T[],
  xlist: readonly T[],
  timeout?: number | null,
  signal?: AbortSignal,
): Promise<SelectResult<T>> {
  // Python checks the timeout before it looks at the lists.
  if (timeout != null && (!Number.isFinite(timeout) || timeout < 0)) {
    return Promise.reject(new ValueError('timeout must be non-negative'));
  }
  for (const list of [rlist, wlist, xlist]) {
    for (const item of list) {
      if (item.fileno() < 0) return Promise.reject(new ValueError('file descriptor cannot be a negative integer (-1)'));
    }
  }
  if (timeout === 0) return Promise.resolve(collect(rlist, wlist, xlist) ?? [[], [], []]);
  return waitForReady(rlist, wlist, xlist, timeout, signal);
}

async function waitForReady<T extends Selectable>(
  rlist: readonly T[],
  wlist: readonly T[],
  xlist: readonly T[],
  timeout: number | null | undefined,
  signal: AbortSignal | undefined,
): Promise<SelectResult<T>> {
  // A select that may wait first lets the event loop run once, so that what a loopback peer has
  // already done (and the kernel would already show) is seen, even when another listed object is
  // ready now. Rule 1 of the kernel README: a positive timeout is how scenarios wait for the peer.
  await new Promise<void>((resolve) => setImmediate(resolve));
  const now = collect(rlist, wlist, xlist);
  if (now !== undefined) return now;
  if (signal?.aborted) throw signal.reason;
  return new Promise((resolve, reject) => {
    const watched = new Set<T>([...rlist, ...wlist, ...xlist]);
    let cancelTimer: (() => void) | undefined;
    const finish = (): void => {
      for (const item of watched) item.unwatch(onChange);
      cancelTimer?.();
      signal?.removeEventListener('abort', onAbort);
    };
    const onChange = (): void => {
      const ready = collect(rlist, wlist, xlist);
      if (ready === undefined) return;
      finish();
      resolve(ready);
    };
    const onAbort = (): void => {
      finish();
      reject(signal?.reason);
    };
    for (const item of watched) item.watch(onChange);
    signal?.addEventListener('abort', onAbort, { once: true });
    if (timeout != null) {
      cancelTimer = setLongTimeout(() => {
        finish();
        resolve([[], [], []]);
      }, timeout * 1000);
    }
    // Nothing keeps the event loop alive but the timer: a select over idle sockets with no timeout
    // holds the process open only while something else does, as a blocked thread would not.
  });
}

function collect<T extends Selectable>(rlist: readonly T[], wlist: readonly T[], xlist: readonly T[]): SelectResult<T> | undefined {
  const r = rlist.filter((item) => (item.readiness() & EVENT_READ) !== 0);
  const w = wlist.filter((item) => (item.readiness() & EVENT_WRITE) !== 0);
  const x = xlist.filter((item) => (item.readiness() & EVENT_ERROR) !== 0);
  return r.length + w.length + x.length === 0 ? undefined : [r, w, x];
}
