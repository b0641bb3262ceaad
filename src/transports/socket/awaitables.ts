// The awaitable forms of the blocking calls, shared by Socket and SSLSocket: try the non-blocking
// call, and while it would block (BlockingIOError, SSLWantReadError ...) wait for readiness, bounded
// by the socket's timeout (Python's settimeout) and an AbortSignal. A timeout longer than one
// setTimeout can hold (2^31-1 ms) is waited in legs, so it never fires at once.
import { EVENT_READ, EVENT_WRITE, type Selectable } from '../../reactor/selectable.js';
import { DeadlineExceeded, type WaitOptions, waitReady } from '../../reactor/wait-ready.js';
import { type SocketData, bytesOf } from '../bytes-like.js';
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

/** What the awaitable calls drive: a socket's non-blocking send and recv (Socket, SSLSocket). */
export interface BlockingTarget extends Selectable {
  /** Bytes accepted; throws BlockingIOError (or an SSLWant*Error) when none fit now. */
  send(data: Uint8Array): number;
  /** Up to `size` bytes, empty at EOF; throws BlockingIOError when nothing is there yet. */
  recv(size: number): Buffer;
}

/**
 * A socket's timeout and the awaitable calls it bounds, one per socket: Socket and SSLSocket both
 * keep one, so settimeout() means the same for a TLS socket as for a plain one.
 */
export class AwaitableCalls {
  readonly #target: BlockingTarget;
  /** settimeout()'s value: null waits forever, 0 never waits. */
  timeout: Timeout;

  constructor(target: BlockingTarget, timeout: Timeout = null) {
    this.#target = target;
    this.timeout = timeout;
  }

  /** One call's bounds, its deadline taken now (so a whole sendall shares one). */
  call(syscall: string, events: number, options: WaitOptions | undefined): AwaitedCall {
    return { syscall, events, timeout: this.timeout, deadline: deadlineAfter(this.timeout), options };
  }

  /** `attempt()` until it does not would-block, waiting for `events` in between (see retry). */
  wait<T>(syscall: string, events: number, options: WaitOptions | undefined, attempt: () => T): Promise<T> {
    return retry(this.#target, this.call(syscall, events, options), attempt);
  }

  /** sendall(): every byte accepted by the send buffer; the timeout bounds the whole call. */
  async sendall(data: SocketData, options: WaitOptions | undefined): Promise<void> {
    const target = this.#target;
    let rest = bytesOf(data, 'sendall');
    const call = this.call('send', EVENT_WRITE, options);
    while (rest.length > 0) {
      const sent = await retry(target, call, () => target.send(rest));
      rest = rest.subarray(sent);
    }
  }

  /** sendAsync(): Python's blocking send(), which waits only until something fits and returns the count. */
  sendAsync(data: SocketData, options: WaitOptions | undefined): Promise<number> {
    const target = this.#target;
    const bytes = bytesOf(data, 'send');
    return retry(target, this.call('send', EVENT_WRITE, options), () => target.send(bytes));
  }

  /** recvAsync(): recv() that waits for data, EOF or an error. */
  recvAsync(size: number, options: WaitOptions | undefined): Promise<Buffer> {
    const target = this.#target;
    return retry(target, this.call('recv', EVENT_READ, options), () => target.recv(size));
  }
}
