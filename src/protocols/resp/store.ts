// The RESP server's keyspace: binary-safe string keys and values, with expiry in milliseconds.
// An expired key vanishes when touched (redis's lazy expireIfNeeded) and, given a scheduler, in a
// periodic sweep (redis's active expire cycle), so keys nobody reads again do not pile up.
// Not a cache: no eviction, no memory limit. Keys are byte strings, one char per byte (latin1).
// Values are never changed in place (APPEND makes a new Buffer), so a reply may hand a stored
// Buffer to the transport uncopied. Times are exact: one past 2^53 ms is kept as a bigint.
import type { Cancellable, Scheduler } from '../scheduler.js';
import { globMatch } from './glob-match.js';
import { ScanOrder } from './scan-order.js';

/** An expiry time in ms since the epoch: a number when exact, a bigint past 2^53 (PXAT 2^63 - 1). */
export type ExpiryTime = number | bigint;

/** `at` as an ExpiryTime: a number whenever that is exact. */
export function expiryTime(at: bigint): ExpiryTime {
  return at <= BigInt(Number.MAX_SAFE_INTEGER) && at >= BigInt(Number.MIN_SAFE_INTEGER) ? Number(at) : at;
}

/**
 * KEYS and SCAN MATCH: redis reads the pattern `*` as "every key" without matching, and that is
 * not the same as globbing, since its glob never matches the empty string (stringmatchlen).
 */
export function matchesKeyPattern(pattern: string, key: string): boolean {
  return pattern === '*' || globMatch(pattern, key);
}

/** One SCAN step: the keys found and where to go on from. */
export interface ScanPage {
  /** The cursor for the next step; 0n once the iteration is complete. */
  readonly next: bigint;
  /** Live keys walked in this step (before MATCH and TYPE filter them). */
  readonly keys: string[];
}

/** Told when a key it watches may have changed (WATCH); see RespStore.watch. */
export interface KeyWatcher {
  /** `key` of `store` was written, deleted, expired or flushed. */
  keyTouched(store: RespStore, key: string): void;
}

/** How a RespStore tells time and sweeps. */
export interface StoreOptions {
  /** The clock, in milliseconds since the epoch (EXAT/PXAT are wall-clock); default Date.now. */
  readonly now?: () => number;
  /** Runs the sweep; without one, expired keys go only when touched or listed. */
  readonly scheduler?: Scheduler;
  /** Seconds between sweeps (default 0.1: redis's hz 10). */
  readonly sweepInterval?: number;
  /** Keys with a time to live examined per sweep (default 1000). */
  readonly sweepBatch?: number;
}

const DEFAULT_SWEEP_INTERVAL = 0.1;
const NO_SET_OPTIONS: { readonly keepTtl?: boolean } = Object.freeze({});
const DEFAULT_SWEEP_BATCH = 1000;

/**
 * An in-memory keyspace shared by every connection of a factory. Reads take the clock once per
 * call: a key whose time has passed (now > expiresAt, as redis's keyIsExpired) is deleted then.
 */
export class RespStore {
  /** The clock every expiry is measured on (commands read it for EX, PX and TTL too). */
  readonly now: () => number;
  readonly #data = new Map<string, Buffer>();
  /** Absolute expiry times of the keys that have one. */
  readonly #expires = new Map<string, ExpiryTime>();
  /** The keys in insertion order, for SCAN's cursor. */
  readonly #order = new ScanOrder();
  /** Who watches which key (WATCH): empty unless a transaction is being prepared. */
  #watchers = new Map<string, Set<KeyWatcher>>();
  readonly #scheduler: Scheduler | undefined;
  readonly #sweepInterval: number;
  readonly #sweepBatch: number;
  /** Where the sweep resumes, so each sweep looks at different keys. */
  #cursor: Iterator<[string, ExpiryTime]> | undefined;
  #timer: Cancellable | undefined;
  #isClosed = false;

  constructor(options: StoreOptions = {}) {
    this.now = options.now ?? Date.now;
    this.#scheduler = options.scheduler;
    this.#sweepInterval = options.sweepInterval ?? DEFAULT_SWEEP_INTERVAL;
    this.#sweepBatch = options.sweepBatch ?? DEFAULT_SWEEP_BATCH;
  }

  /**
   * Keys held, as redis's DBSIZE: O(1), so it counts expired keys not yet swept or touched.
   */
  get size(): number {
    return this.#data.size;
  }

  /** Keys with a time to live (INFO keyspace's `expires`), expired ones not yet removed included. */
  get expiringCount(): number {
    return this.#expires.size;
  }

  /** The value of `key`, or undefined if it does not exist or has expired. */
  get(key: string): Buffer | undefined {
    const value = this.#data.get(key);
    if (value === undefined || !this.#hasExpired(key)) return value;
    this.#remove(key);
    return undefined;
  }

  /** True if `key` exists and has not expired. */
  has(key: string): boolean {
    return this.#isLive(key);
  }

  /**
   * Sets `key` to a copy of `value` (the caller's Buffer may be a view of a chunk it will reuse); its
   * time to live is cleared unless `keepTtl` (SET KEEPTTL, INCR).
   */
  set(key: string, value: Uint8Array, options: { readonly keepTtl?: boolean } = NO_SET_OPTIONS): void {
    // An expired key is gone first, so KEEPTTL never keeps a time that already passed.
    this.#isLive(key);
    // allocUnsafe + set: a pooled allocation and a memcpy, the cheapest copy Node has for small values.
    const owned = Buffer.allocUnsafe(value.length);
    owned.set(value);
    this.#put(key, owned);
    if (options.keepTtl !== true) this.#expires.delete(key);
  }

  /**
   * Sets `key` to `value` itself, uncopied: for a Buffer the store made and nobody else holds
   * (APPEND's concatenation). Keeps the time to live.
   */
  adopt(key: string, value: Buffer): void {
    this.#isLive(key);
    this.#put(key, value);
  }

  /**
   * Up to `count` live keys from `cursor` on, in insertion order, and the cursor to go on from
   * (0: done). A key present for the whole iteration is returned once: see ScanOrder.
   */
  scan(cursor: bigint, count: number): ScanPage {
    const now = this.now();
    const keys: string[] = [];
    const next = this.#order.scan(cursor, count, (key) => {
      if (!this.#hasExpired(key, now)) keys.push(key);
      else this.#remove(key);
    });
    return { next, keys };
  }

  /** Calls `watcher.keyTouched` whenever `key` changes, until unwatch. */
  watch(key: string, watcher: KeyWatcher): void {
    let set = this.#watchers.get(key);
    if (set === undefined) {
      set = new Set();
      this.#watchers.set(key, set);
    }
    set.add(watcher);
  }

  /** Stops watching `key` for `watcher`. */
  unwatch(key: string, watcher: KeyWatcher): void {
    const set = this.#watchers.get(key);
    if (set?.delete(watcher) === true && set.size === 0) this.#watchers.delete(key);
  }

  /**
   * SWAPDB: redis keeps watched keys with the database index, not its contents, so the two stores
   * trade their watchers when they trade places.
   */
  tradeWatchers(other: RespStore): void {
    const mine = this.#watchers;
    this.#watchers = other.#watchers;
    other.#watchers = mine;
  }

  /** Tells the watchers of every watched key that exists here or in `other` (FLUSHDB, SWAPDB). */
  touchWatched(other: RespStore = this): void {
    for (const key of [...this.#watchers.keys()]) if (this.has(key) || other.has(key)) this.#touch(key);
  }

  /** Deletes `key`; false if it did not exist (or had expired). */
  delete(key: string): boolean {
    if (!this.#isLive(key)) return false;
    this.#remove(key);
    return true;
  }

  /** Sets when `key` expires (ms since the epoch); false if it does not exist. */
  expireAt(key: string, at: ExpiryTime): boolean {
    if (!this.#isLive(key)) return false;
    this.#expires.set(key, at);
    this.#touch(key);
    this.#armSweep();
    return true;
  }

  /** When `key` expires, or undefined if it has no time to live or does not exist. */
  expiresAt(key: string): ExpiryTime | undefined {
    return this.#isLive(key) ? this.#expires.get(key) : undefined;
  }

  /** Removes `key`'s time to live; false if it had none or does not exist. */
  persist(key: string): boolean {
    const isPersisted = this.#isLive(key) && this.#expires.delete(key);
    if (isPersisted) this.#touch(key);
    return isPersisted;
  }

  /** The live keys matching the glob `pattern` (KEYS); expired ones met on the way are deleted. */
  keys(pattern = '*'): string[] {
    const now = this.now();
    const found: string[] = [];
    for (const key of this.#data.keys()) {
      if (this.#hasExpired(key, now)) this.#remove(key);
      else if (matchesKeyPattern(pattern, key)) found.push(key);
    }
    return found;
  }

  /** Deletes every key (FLUSHDB). */
  flush(): void {
    this.touchWatched();
    this.#data.clear();
    this.#expires.clear();
    this.#order.clear();
    this.#cursor = undefined;
  }

  /** Stops the sweep for good (the server is shutting down); lazy expiry goes on. */
  close(): void {
    this.#isClosed = true;
    this.#timer?.cancel();
    this.#timer = undefined;
  }

  #isLive(key: string): boolean {
    if (!this.#hasExpired(key)) return this.#data.has(key);
    this.#remove(key);
    return false;
  }

  /** The clock is read only for keys that have a time to live: most have none. */
  #hasExpired(key: string, now?: number): boolean {
    if (this.#expires.size === 0) return false;
    const at = this.#expires.get(key);
    return at !== undefined && (now ?? this.now()) > at;
  }

  #put(key: string, value: Buffer): void {
    // A new key grows the map: one lookup instead of has() then set().
    const size = this.#data.size;
    this.#data.set(key, value);
    if (this.#data.size !== size) this.#order.add(key);
    this.#touch(key);
  }

  #remove(key: string): void {
    if (this.#data.delete(key)) this.#order.remove(key);
    this.#expires.delete(key);
    this.#touch(key);
  }

  #touch(key: string): void {
    if (this.#watchers.size === 0) return;
    const set = this.#watchers.get(key);
    if (set !== undefined) for (const watcher of [...set]) watcher.keyTouched(this, key);
  }

  /** The sweep runs only while some key has a time to live: an idle store schedules nothing. */
  #armSweep(): void {
    const scheduler = this.#scheduler;
    if (scheduler === undefined || this.#timer !== undefined || this.#isClosed) return;
    this.#timer = scheduler.callLater(this.#sweepInterval, () => {
      this.#timer = undefined;
      this.#sweep();
      if (this.#expires.size > 0) this.#armSweep();
    });
  }

  /** Examines up to sweepBatch keys with a time to live, resuming where the last sweep stopped. */
  #sweep(): void {
    const now = this.now();
    for (let examined = 0; examined < this.#sweepBatch; examined++) {
      this.#cursor ??= this.#expires.entries();
      const next = this.#cursor.next();
      if (next.done === true) {
        // Start over next time; stop now so one sweep never examines a key twice.
        this.#cursor = undefined;
        return;
      }
      const [key, at] = next.value;
      if (now > at) this.#remove(key);
    }
  }
}
