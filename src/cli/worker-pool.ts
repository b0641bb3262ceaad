// The primary's workers (node:cluster): started, restarted when one dies, replaced one at a time on
// SIGHUP (a rolling restart), drained on a stop. A worker that dies is replaced, up to
// MAX_RESTARTS_PER_MINUTE; past that the primary gives up and exits 1, so a supervisor (systemd,
// Kubernetes) sees the failure and restarts it. Replacements a rolling restart makes are not counted.
import cluster, { type Worker } from 'node:cluster';
import type { Socket as NetSocket } from 'node:net';
import { DRAIN_TIMED_OUT_EXIT } from './drain.js';
import { type ToPrimary, type ToWorker, isMessage } from './worker-messages.js';

/** Restarts allowed per minute before the primary gives up (a worker that dies at once, forever). */
export const MAX_RESTARTS_PER_MINUTE = 10;
/** Exit status of a primary whose workers kept dying. */
export const CRASH_LOOP_EXIT = 1;

/** What the pool tells its owner. */
export interface PoolEvents {
  /** Every worker of the first `count` is ready: the server takes connections. */
  allReady(): void;
  /** A message from `worker` (anything but `ready`). */
  message(worker: Worker, message: ToPrimary): void;
  /** `worker` exited: its connections are gone. */
  exited(worker: Worker): void;
  /** One line for stderr. */
  say(line: string): void;
}

/** Sends `message` to `worker` if its channel is up; false (and nothing sent) otherwise. */
export function sendTo(worker: Worker, message: ToWorker, handle?: NetSocket, done?: (error: Error | null) => void): boolean {
  if (!worker.isConnected()) return false;
  try {
    if (handle === undefined) worker.send(message);
    else worker.send(message, handle, done);
    return true;
  } catch {
    return false;
  }
}

/** The primary's workers, and the round robin that picks one per connection. */
export class WorkerPool {
  readonly #count: number;
  readonly #env: (id: number) => Record<string, string>;
  readonly #events: PoolEvents;
  /** Workers taking connections, in round-robin order. */
  readonly #ready: Worker[] = [];
  readonly #retiring = new Set<Worker>();
  readonly #whenReady = new Map<Worker, () => void>();
  readonly #restarts: number[] = [];
  #next = 0;
  #forked = 0;
  #isStopping = false;
  #isRolling = false;
  #isAnnounced = false;
  #exitCode = 0;
  #finished: ((code: number) => void) | undefined;
  /** Resolves with the primary's exit status once every worker is gone after stop() or a crash loop. */
  readonly done: Promise<number>;

  constructor(count: number, env: (id: number) => Record<string, string>, events: PoolEvents) {
    this.#count = count;
    this.#env = env;
    this.#events = events;
    this.done = new Promise((resolve) => (this.#finished = resolve));
    cluster.on('exit', (worker, code, signal) => this.#exited(worker, code, signal));
    for (let i = 0; i < count; i++) this.#fork();
  }

  /** The next ready worker in round-robin order, or undefined if none is. */
  pick(): Worker | undefined {
    if (this.#ready.length === 0) return undefined;
    this.#next = (this.#next + 1) % this.#ready.length;
    return this.#ready[this.#next];
  }

  /** Drains every worker and resolves `done` once all exited (DRAIN_TIMED_OUT_EXIT if one timed out). */
  stop(): void {
    if (this.#isStopping) return;
    this.#isStopping = true;
    this.#ready.length = 0;
    for (const worker of this.#workers()) sendTo(worker, { type: 'drain' });
    this.#finishIfEmpty();
  }

  /** Stops at once: every worker is killed (the drain ran out of time). */
  kill(): void {
    this.#exitCode = Math.max(this.#exitCode, DRAIN_TIMED_OUT_EXIT);
    for (const worker of this.#workers()) worker.process.kill('SIGKILL');
  }

  /**
   * Replaces the workers one at a time: a new one starts, and once it is ready the old one stops
   * taking connections and drains, so at every moment some worker takes connections. Resolves when done.
   */
  async rollingRestart(): Promise<void> {
    if (this.#isRolling || this.#isStopping) return;
    this.#isRolling = true;
    try {
      for (const old of this.#workers()) {
        if (this.#isStopping || this.#retiring.has(old)) continue;
        const fresh = this.#fork();
        const isUp = await new Promise<boolean>((resolve) => {
          this.#whenReady.set(fresh, () => resolve(true));
          fresh.once('exit', () => resolve(false));
        });
        if (!isUp || this.#isStopping) break;
        await this.#retire(old);
      }
    } finally {
      this.#isRolling = false;
    }
  }

  #retire(worker: Worker): Promise<void> {
    this.#retiring.add(worker);
    this.#unready(worker);
    const exited = new Promise<void>((resolve) => worker.once('exit', () => resolve()));
    if (!sendTo(worker, { type: 'drain' })) worker.process.kill('SIGTERM');
    return exited;
  }

  #workers(): Worker[] {
    return Object.values(cluster.workers ?? {}).filter((w): w is Worker => w !== undefined);
  }

  #fork(): Worker {
    this.#forked += 1;
    const id = this.#forked;
    const worker = cluster.fork(this.#env(id));
    // A worker that died cannot take a connection: stop handing it any as soon as its channel goes.
    worker.on('error', () => {});
    worker.on('disconnect', () => this.#unready(worker));
    worker.on('message', (message: unknown) => {
      if (!isMessage(message)) return;
      if (message.type !== 'ready') {
        this.#events.message(worker, message as ToPrimary);
        return;
      }
      if (this.#isStopping) {
        sendTo(worker, { type: 'drain' });
        return;
      }
      this.#ready.push(worker);
      this.#whenReady.get(worker)?.();
      this.#whenReady.delete(worker);
      // The first workers may say ready in any order: announce once all of them did.
      if (!this.#isAnnounced && this.#ready.length === this.#count) {
        this.#isAnnounced = true;
        this.#events.allReady();
      } else if (id > this.#count) this.#events.say(`worker ${id} ready (pid ${String(worker.process.pid)})`);
    });
    return worker;
  }

  #unready(worker: Worker): void {
    const at = this.#ready.indexOf(worker);
    if (at >= 0) this.#ready.splice(at, 1);
  }

  #exited(worker: Worker, code: number | null, signal: string | null): void {
    this.#unready(worker);
    this.#events.exited(worker);
    if (this.#retiring.delete(worker) && !this.#isStopping) return;
    if (this.#isStopping) {
      if (code === DRAIN_TIMED_OUT_EXIT) this.#exitCode = Math.max(this.#exitCode, DRAIN_TIMED_OUT_EXIT);
      this.#finishIfEmpty();
      return;
    }
    const now = Date.now();
    this.#restarts.push(now);
    while ((this.#restarts[0] ?? now) < now - 60000) this.#restarts.shift();
    if (this.#restarts.length > MAX_RESTARTS_PER_MINUTE) {
      this.#events.say(`workers keep dying (${this.#restarts.length} restarts in a minute); stopping with exit status ${CRASH_LOOP_EXIT}`);
      this.#exitCode = CRASH_LOOP_EXIT;
      this.stop();
      return;
    }
    this.#events.say(`a worker died (${signal ?? `exit ${String(code)}`}); starting another`);
    this.#fork();
  }

  #finishIfEmpty(): void {
    if (this.#isStopping && this.#workers().length === 0) this.#finished?.(this.#exitCode);
  }
}
