// A listening socket's accept queue, bounded by the backlog as Linux bounds it (backlog + 1 complete
// connections). What arrives past it: a client of this process is held as Linux holds a client whose
// SYN was dropped, and retried on the SYN retransmission schedule (1 s, then doubling, 6 retries as
// net.ipv4.tcp_syn_retries); a peer in another process has already connected (node:net accepts
// everything), so it is held unread, in order, up to SOMAXCONN, and reset past that.
// See backlog-overflow-syn-dropped and docs/semantics.md.

/** Linux's net.core.somaxconn: the most arrivals from other processes held beyond the backlog before more are reset. */
export const SOMAXCONN = 4096;
const SYN_RETRIES = 6;
const FIRST_RETRANSMIT_MS = 1000;

/** One connection that reached the listener. */
export interface Arrival<S> {
  /** The server-side socket that accept() will return. */
  readonly accepted: S;
  /** The connecting socket, when it lives in this process. */
  readonly client: S | undefined;
}

/** What the queue tells its listening socket. */
export interface AcceptQueueEvents<S> {
  /** The arrival entered the queue: its client, if any, has now connected. */
  admitted(arrival: Arrival<S>): void;
  /** An arrival gave up waiting for room (SYN retries exhausted, or too many held). */
  dropped(arrival: Arrival<S>, code: 'ETIMEDOUT' | 'ECONNRESET'): void;
}

interface Held<S> {
  readonly arrival: Arrival<S>;
  retries: number;
  timer: NodeJS.Timeout | undefined;
}

/** The bounded queue of connections waiting for accept(), with the held arrivals beyond it. */
export class AcceptQueue<S> {
  #backlog: number;
  readonly #events: AcceptQueueEvents<S>;
  #queue: Arrival<S>[] = [];
  #held: Held<S>[] = [];
  /** Clients of this process that have connected but whose arrival node:net has not reported yet. */
  #inFlight = 0;

  constructor(backlog: number, events: AcceptQueueEvents<S>) {
    this.#backlog = clampBacklog(backlog);
    this.#events = events;
  }

  /** Arrivals waiting for accept() (the held ones not counted). */
  get length(): number {
    return this.#queue.length;
  }

  /** listen() again with a new backlog: clamped as Linux clamps it; a larger one admits held peers at once. */
  set backlog(value: number) {
    this.#backlog = clampBacklog(value);
    this.#admitForeign();
  }

  /** Linux admits a connection while the queue holds at most `backlog` (so backlog + 1 fit). */
  get hasRoom(): boolean {
    return this.#queue.length + this.#inFlight <= this.#backlog;
  }

  /** A client of this process (AF_UNIX) connected synchronously; its arrival will follow. */
  reserve(): void {
    this.#inFlight += 1;
  }

  /**
   * A connection arrived: admitted if there is room (always, when `reserved` earlier), else held
   * (an in-process client retried on the SYN schedule), or dropped with ECONNRESET past SOMAXCONN held.
   */
  offer(arrival: Arrival<S>, reserved: boolean): void {
    if (reserved) {
      this.#inFlight -= 1;
      this.#queue.push(arrival);
      this.#events.admitted(arrival);
      return;
    }
    if (this.hasRoom && this.#held.length === 0) {
      this.#queue.push(arrival);
      this.#events.admitted(arrival);
      return;
    }
    if (this.#held.length >= SOMAXCONN) {
      this.#events.dropped(arrival, 'ECONNRESET');
      return;
    }
    const held: Held<S> = { arrival, retries: 0, timer: undefined };
    this.#held.push(held);
    if (arrival.client !== undefined) this.#scheduleRetransmit(held);
  }

  /** accept(): the oldest admitted arrival, making room for a held one; undefined when none waits. */
  shift(): Arrival<S> | undefined {
    const next = this.#queue.shift();
    if (next !== undefined) this.#admitForeign();
    return next;
  }

  /** Empties the queue and the held arrivals (the listener is closing). */
  drain(): Arrival<S>[] {
    const all = [...this.#queue, ...this.#held.map((h) => h.arrival)];
    for (const held of this.#held) clearTimeout(held.timer);
    this.#queue = [];
    this.#held = [];
    this.#inFlight = 0;
    return all;
  }

  /** Peers in other processes are already connected: admit them as soon as there is room. */
  #admitForeign(): void {
    while (this.hasRoom) {
      const index = this.#held.findIndex((h) => h.arrival.client === undefined);
      if (index < 0) return;
      const [held] = this.#held.splice(index, 1);
      if (held === undefined) return;
      this.#queue.push(held.arrival);
      this.#events.admitted(held.arrival);
    }
  }

  #scheduleRetransmit(held: Held<S>): void {
    const delay = FIRST_RETRANSMIT_MS * 2 ** held.retries;
    held.timer = setTimeout(() => this.#retransmit(held), delay);
    held.timer.unref();
  }

  #retransmit(held: Held<S>): void {
    const index = this.#held.indexOf(held);
    if (index < 0) return;
    if (this.hasRoom) {
      this.#held.splice(index, 1);
      this.#queue.push(held.arrival);
      this.#events.admitted(held.arrival);
      return;
    }
    held.retries += 1;
    if (held.retries > SYN_RETRIES) {
      this.#held.splice(index, 1);
      this.#events.dropped(held.arrival, 'ETIMEDOUT');
      return;
    }
    this.#scheduleRetransmit(held);
  }
}

function clampBacklog(backlog: number): number {
  return Math.min(Math.max(Math.trunc(backlog), 0), SOMAXCONN);
}
