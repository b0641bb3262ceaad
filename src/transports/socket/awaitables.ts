// The awaitable forms of the blocking calls, shared by Socket and SSLSocket: try the non-blocking
// call, and while it would block (BlockingIOError, SSLWantReadError ...) wait for readiness, bounded
// by the socket's timeout (Python's settimeout) and an AbortSignal. A timeout longer than one
// setTimeout can hold (2^31-1 ms) is waited in legs, so it never fires at once.
import { type Selectable } from '../../reactor/selectable.js';
import { DeadlineExceeded, type WaitOptions, waitReady } from '../../reactor/wait-ready.js';
import { BlockingIOError, ValueError, timedOut } from '../errors.js';

/** The longest delay setTimeout holds (2^31-1 ms, about 24.8 days); a longer one fires at once. */
const MAX_TIMER_MS = 2 ** 31 - 1;

/** A socket's timeout, in seconds, as settimeout() sets it: null waits forever, 0 never waits. */
export type Timeout = number | null;

/** settimeout()'s argument, checked: ValueError for a negative or non-finite value, as Python's. */
export function checkedTimeout(seconds: Timeout): Timeout {
  if (seconds !== null && (!Number.isFinite(seconds) || seconds < 0)) throw new ValueError('Timeout value out of range');
  return seconds;
}

/** When a call that starts now must end (a performance.now() value), null for none. */
export function deadlineAfter(timeout: Timeout): number | null {
  return timeout === null ? null : performance.now() + timeout * 1000;
}

/** One awaitable call: its name (for TimeoutError's syscall), what it waits for, and its bounds. */
export interface AwaitedCall {
  readonly syscall: string;
  /** EVENT_READ, EVENT_WRITE or both. */
  readonly events: number;
  readonly timeout: Timeout;
  /** From deadlineAfter(timeout), taken when the whole call (e.g. all of sendall) started. */
  readonly deadline: number | null;
  readonly options: WaitOptions | undefined;
}

/**
 * `attempt()` until it does not throw BlockingIOError, waiting for `call.events` on `target` in
 * between. With timeout 0 the BlockingIOError is thrown; past the deadline, Python's
 * `socket.timeout` (TimeoutError `timed out`, no errno).
 */
export async function retry<T>(target: Selectable, call: AwaitedCall, attempt: () => T): Promise<T> {
  const { deadline } = call;
  for (;;) {
    try {
      return attempt();
    } catch (error) {
      if (!(error instanceof BlockingIOError) || call.timeout === 0) throw error;
    }
    try {
      await waitReady(target, call.events, deadline === null ? null : Math.min(deadline, performance.now() + MAX_TIMER_MS), call.options?.signal);
    } catch (error) {
      if (!(error instanceof DeadlineExceeded)) throw error;
      // A leg of a timeout longer than one timer can hold ended: wait again, up to the real deadline.
      if (deadline !== null && performance.now() < deadline) continue;
      throw timedOut(call.syscall);
    }
  }
}
