// A setTimeout of any length. Node stores a timer's delay in a signed 32-bit field: anything above
// 2^31 - 1 ms (24.8 days) is replaced by 1 ms, with a TimeoutOverflowWarning, so a 30-day select()
// returned after 1-3 ms and a reactor holding one 30-day timer woke every millisecond. Long delays
// are chained instead: each real timer waits at most MAX_TIMER_MS, then re-arms for what is left.

/** The longest delay Node's setTimeout honours, in milliseconds (2^31 - 1). */
export const MAX_TIMER_MS = 2 ** 31 - 1;

/**
 * Calls `fn` once after `ms` milliseconds (negative, NaN or 0: as soon as a timer can), however long
 * `ms` is; returns a function that cancels it (calling it again, or after `fn` ran, does nothing).
 * No real timer is ever armed for more than MAX_TIMER_MS. The due time is kept on performance.now(),
 * so a chained wait neither drifts nor fires early.
 */
export function setLongTimeout(fn: () => void, ms: number): () => void {
  const due = performance.now() + (ms > 0 ? ms : 0);
  let timer: NodeJS.Timeout | undefined;
  const arm = (): void => {
    const left = due - performance.now();
    if (left > MAX_TIMER_MS) {
      timer = setTimeout(arm, MAX_TIMER_MS);
      return;
    }
    timer = setTimeout(() => {
      timer = undefined;
      fn();
    }, Math.max(0, left));
  };
  arm();
  return () => {
    if (timer !== undefined) clearTimeout(timer);
    timer = undefined;
  };
}
