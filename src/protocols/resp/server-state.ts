// What every connection of one RESP server shares: redis's 16 databases, the client ids, the
// connection count and start time INFO reports. One per factory.
import { RespStore, type StoreOptions } from './store.js';

/** Redis's default `databases`: SELECT takes 0 to 15. */
export const DATABASE_COUNT = 16;

/** The databases and counters of one server. */
export class RespServerState {
  /** The clock INFO's uptime is read on: database 0's. */
  readonly now: () => number;
  readonly #databases: RespStore[];
  readonly #startedAt: number;
  #nextClientId = 1;
  #connectedClients = 0;

  /** `first` becomes database 0 (a store the caller made); the others are made with `options`. */
  constructor(options: StoreOptions = {}, first?: RespStore) {
    this.#databases = Array.from({ length: DATABASE_COUNT }, (_, i) => (i === 0 && first !== undefined ? first : new RespStore(options)));
    this.now = first?.now ?? options.now ?? Date.now;
    this.#startedAt = this.now();
  }

  /** Database `index` (0 to 15); throws RangeError outside that. */
  database(index: number): RespStore {
    const store = this.#databases[index];
    if (store === undefined) throw new RangeError(`Database index must be an integer from 0 to ${DATABASE_COUNT - 1}, not ${index}`);
    return store;
  }

  /** When the server started, on `now`'s clock (INFO's uptime). */
  get startedAt(): number {
    return this.#startedAt;
  }

  /** Connections open now (INFO's connected_clients). */
  get connectedClients(): number {
    return this.#connectedClients;
  }

  /** A client id (CLIENT ID) for a new connection: unique and increasing, as redis's. */
  nextClientId(): number {
    return this.#nextClientId++;
  }

  /** A connection is up (counted until clientDisconnected). */
  clientConnected(): void {
    this.#connectedClients += 1;
  }

  /** A connection closed. */
  clientDisconnected(): void {
    this.#connectedClients -= 1;
  }

  /**
   * SWAPDB: the two databases trade contents; a client that selected one sees the other's keys
   * from now on. Watchers of a key that exists in either are told (redis's touchAllWatchedKeysInDb),
   * and watches stay with the index, as in redis.
   */
  swap(a: number, b: number): void {
    const first = this.database(a);
    const second = this.database(b);
    first.touchWatched(second);
    second.touchWatched(first);
    first.tradeWatchers(second);
    this.#databases[a] = second;
    this.#databases[b] = first;
  }

  /** FLUSHALL. */
  flushAll(): void {
    for (const store of this.#databases) store.flush();
  }

  /** Stops every database's sweep (shutdown). */
  close(): void {
    for (const store of this.#databases) store.close();
  }
}
