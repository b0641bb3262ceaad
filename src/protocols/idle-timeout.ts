// Closes a connection that has been silent both ways for too long: the dead-peer guard for a peer
// that vanished without a FIN (or a slow-loris that sends nothing). Wraps any byte protocol.
import type { Factory, Protocol, Transport } from '../contract/index.js';
import { ProtocolWrapper } from './protocol-wrapper.js';
import type { Cancellable, Scheduler } from './scheduler.js';
import { wrapFactory } from './wrap-factory.js';

/** The reason a connection closed by the idle timeout reports in connectionLost. */
export class IdleTimeoutError extends Error {
  /** `'IdleTimeoutError'`. */
  override name = 'IdleTimeoutError';
  /** Always `'ERR_IDLE_TIMEOUT'`, for a `switch (err.code)`. */
  readonly code = 'ERR_IDLE_TIMEOUT' as const;
  /** The idle time allowed, in seconds, that the connection reached. */
  readonly seconds: number;

  constructor(seconds: number) {
    super(`No data in either direction for ${seconds} s: the connection was closed`);
    this.seconds = seconds;
  }
}

/**
 * The idle timeouts of one scheduler and one length, in order of last activity (a doubly linked list
 * through the IdleTimeouts themselves), under ONE pending timer: due when the least recently active
 * connection is. Twisted's TimeoutMixin and asyncio hold a timer per connection; 10,000 idle
 * connections would hold 10,000 DelayedCalls and closures (~190 B each), this holds 12 B each.
 */
interface IdleQueue {
  readonly scheduler: Scheduler;
  readonly seconds: number;
  head: IdleTimeout<unknown> | undefined;
  tail: IdleTimeout<unknown> | undefined;
  /** Pending exactly while the queue is not empty. */
  timer: Cancellable | undefined;
  /** The timer's function, made once per queue. */
  readonly fire: () => void;
}

/** The queues by scheduler, then by timeout length in seconds. */
const queues = new WeakMap<Scheduler, Map<number, IdleQueue>>();

/**
 * A Protocol wrapper that aborts the connection once nothing was received or written for `seconds`;
 * the inner protocol's connectionLost then gets an IdleTimeoutError. Every other event and call
 * passes through unchanged (ProtocolWrapper); a protocol switch keeps the timer running for the next
 * protocol. With a scheduler that has `seconds()`, activity costs no timer operation and every
 * connection of the same scheduler and length shares one pending timer (an IdleQueue). The transport
 * calls throw NotConnectedError before connectionMade. Build it with withIdleTimeout, or
 * idleTimeoutFactory for every connection of a factory.
 */
export class IdleTimeout<M = Uint8Array> extends ProtocolWrapper<M> {
  readonly #seconds: number;
  readonly #scheduler: Scheduler;
  /** The own timer, only with a scheduler that has no clock (`seconds()`): re-armed on every activity. */
  #timer: Cancellable | undefined;
  #timedOut = false;
  #lastActivity = 0;
  /** The shared queue, with a scheduler that has a clock; this timeout's neighbours in it. */
  #queue: IdleQueue | undefined;
  #prev: IdleTimeout<unknown> | undefined;
  #next: IdleTimeout<unknown> | undefined;

  constructor(inner: Protocol<M, M>, seconds: number, scheduler: Scheduler) {
    super(inner, 'the idle timeout layer');
    this.#seconds = seconds;
    this.#scheduler = scheduler;
  }

  /** Starts the timer (again after a protocol switch: the connection was active) and connects the inner protocol. */
  override connectionMade(transport: Transport<M>): void {
    this.#touch();
    super.connectionMade(transport);
  }
  /** Counts as activity, then passes `data` up. */
  override dataReceived(data: M): void {
    this.#touch();
    super.dataReceived(data);
  }
  /** Stops the timer; the inner protocol gets IdleTimeoutError as the reason if the timeout closed the connection. */
  override connectionLost(reason?: Error): void {
    this.#stopTimer();
    super.connectionLost(this.#timedOut ? new IdleTimeoutError(this.#seconds) : reason);
  }
  /** Counts as activity, then writes below. */
  override write(data: M): void {
    this.#touch();
    super.write(data);
  }

  #stopTimer(): void {
    // A timer that already fired cannot be cancelled (Twisted's rule): only cancel a pending one.
    if (this.#timer?.active() === true) this.#timer.cancel();
    this.#timer = undefined;
    const queue = this.#queue;
    if (queue === undefined) return;
    IdleTimeout.#unlink(queue, this);
    if (queue.head === undefined) IdleTimeout.#cancelQueueTimer(queue);
  }

  #touch(): void {
    // Called per message: the clock is called as a method, never bound (a bound function per call).
    const now = this.#scheduler.seconds?.();
    if (now === undefined) {
      this.#stopTimer();
      this.#arm(this.#seconds);
      return;
    }
    // Per message only a time is noted and this timeout moves to the queue's tail (the most recently
    // active end); the queue's one timer, when it fires, closes what is due and re-arms for the rest.
    this.#lastActivity = now;
    const queue = (this.#queue ??= IdleTimeout.#queueFor(this.#scheduler, this.#seconds));
    if (queue.tail === this) return;
    IdleTimeout.#unlink(queue, this);
    IdleTimeout.#append(queue, this);
    queue.timer ??= queue.scheduler.callLater(queue.seconds, queue.fire);
  }

  /** The own timer of a scheduler without a clock: fires after `after` seconds and closes the connection. */
  #arm(after: number): void {
    this.#timer = this.#scheduler.callLater(after, () => {
      this.#timer = undefined;
      this.#expire();
    });
  }

  #expire(): void {
    this.#timedOut = true;
    this.transportBelowIfAny?.abort();
  }

  static #queueFor(scheduler: Scheduler, seconds: number): IdleQueue {
    let bySeconds = queues.get(scheduler);
    if (bySeconds === undefined) queues.set(scheduler, (bySeconds = new Map()));
    let queue = bySeconds.get(seconds);
    if (queue === undefined) {
      const made: IdleQueue = { scheduler, seconds, head: undefined, tail: undefined, timer: undefined, fire: () => IdleTimeout.#expireDue(made) };
      bySeconds.set(seconds, (queue = made));
    }
    return queue;
  }

  /** The queue's timer fired: closes every connection idle for its whole length, then re-arms for the next. */
  static #expireDue(queue: IdleQueue): void {
    queue.timer = undefined;
    const now = queue.scheduler.seconds?.() ?? Number.POSITIVE_INFINITY;
    try {
      for (let head = queue.head; head !== undefined && now - head.#lastActivity >= queue.seconds; head = queue.head) {
        IdleTimeout.#unlink(queue, head);
        head.#expire();
      }
    } finally {
      // Re-armed even when an abort threw (the reactor reports it): the others must still time out. A
      // timer armed meanwhile (a connection touched from an abort's connectionLost) is for a later one.
      IdleTimeout.#cancelQueueTimer(queue);
      const head = queue.head;
      if (head !== undefined) queue.timer = queue.scheduler.callLater(head.#lastActivity + queue.seconds - now, queue.fire);
    }
  }

  static #cancelQueueTimer(queue: IdleQueue): void {
    if (queue.timer?.active() === true) queue.timer.cancel();
    queue.timer = undefined;
  }

  static #unlink(queue: IdleQueue, timeout: IdleTimeout<unknown>): void {
    const prev = timeout.#prev;
    const next = timeout.#next;
    if (prev === undefined && queue.head !== timeout) return; // not in the queue
    if (prev === undefined) queue.head = next;
    else prev.#next = next;
    if (next === undefined) queue.tail = prev;
    else next.#prev = prev;
    timeout.#prev = undefined;
    timeout.#next = undefined;
  }

  static #append(queue: IdleQueue, timeout: IdleTimeout<unknown>): void {
    const tail = queue.tail;
    timeout.#prev = tail;
    if (tail === undefined) queue.head = timeout;
    else tail.#next = timeout;
    queue.tail = timeout;
  }
}

/** Wraps `protocol` so its connection closes after `seconds` of silence; 0 or less: no timeout. */
export function withIdleTimeout<M>(protocol: Protocol<M, M>, seconds: number | undefined, scheduler: Scheduler): Protocol<M, M> {
  return seconds === undefined || seconds <= 0 ? protocol : new IdleTimeout(protocol, seconds, scheduler);
}

/**
 * A factory whose every connection closes after `seconds` of silence (withIdleTimeout on each
 * protocol); `factory`'s refusal and connectionFailed are kept. 0 or less: `factory` itself.
 */
export function idleTimeoutFactory<M>(factory: Factory<M, M>, seconds: number | undefined, scheduler: Scheduler): Factory<M, M> {
  if (seconds === undefined || seconds <= 0) return factory;
  return wrapFactory(factory, (protocol) => new IdleTimeout(protocol, seconds, scheduler));
}
