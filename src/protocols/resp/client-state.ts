// What one connection carries between its commands: its id and name (CLIENT), the protocol it
// speaks (HELLO), the database it selected, and a transaction being prepared (MULTI ... EXEC)
// with the keys it watches. Redis keeps the same in its `client` struct.
import type { CommandArgs, CommandSpec } from './command.js';
import type { RespVersion } from './resp-encoder.js';
import type { RespServerState } from './server-state.js';
import type { KeyWatcher, RespStore } from './store.js';

/** One command queued by MULTI, with what it resolved to when it was queued. */
export interface QueuedCommand {
  readonly spec: CommandSpec;
  readonly args: CommandArgs;
}

/** A transaction being prepared: the queued commands, and whether one of them was refused. */
export interface Transaction {
  readonly queue: QueuedCommand[];
  /** Bytes of the queued arguments plus a fixed cost each: what maxQueryBytes bounds. */
  heldBytes: number;
  /** A command was refused while queuing (unknown, wrong arity): EXEC answers EXECABORT. */
  isAborted: boolean;
}

/** The state of one client connection; see the file comment. */
export class ClientState implements KeyWatcher {
  /** CLIENT ID: unique for the server's life. */
  readonly id: number;
  readonly #server: RespServerState;
  /** CLIENT SETNAME's name; undefined for none. */
  name: Buffer | undefined;
  /** The protocol replies are encoded in. */
  version: RespVersion = 2;
  /** The selected database, 0 to 15. */
  db = 0;
  /** Set by MULTI until EXEC or DISCARD. */
  transaction: Transaction | undefined;
  /** A watched key changed since WATCH: the next EXEC fails. */
  isWatchTouched = false;
  /** Watched keys by database index: a watch stays with the index through SWAPDB, as in redis. */
  readonly #watched = new Map<number, Set<string>>();
  #watchedCount = 0;

  constructor(server: RespServerState) {
    this.#server = server;
    this.id = server.nextClientId();
  }

  /** The selected database. */
  get store(): RespStore {
    return this.#server.database(this.db);
  }

  /** Keys watched now. */
  get watchedCount(): number {
    return this.#watchedCount;
  }

  /** WATCH `key` in the selected database. */
  watch(key: string): void {
    let keys = this.#watched.get(this.db);
    if (keys === undefined) {
      keys = new Set();
      this.#watched.set(this.db, keys);
    }
    if (keys.has(key)) return;
    keys.add(key);
    this.#watchedCount += 1;
    this.store.watch(key, this);
  }

  /** UNWATCH, and what EXEC and DISCARD do after them. */
  unwatchAll(): void {
    for (const [db, keys] of this.#watched) for (const key of keys) this.#server.database(db).unwatch(key, this);
    this.#watched.clear();
    this.#watchedCount = 0;
    this.isWatchTouched = false;
  }

  /** A watched key changed: the next EXEC answers the null array (KeyWatcher). */
  keyTouched(): void {
    this.isWatchTouched = true;
  }

  /** The connection is up: it counts in INFO's connected_clients until disconnected(). */
  connected(): void {
    this.#server.clientConnected();
  }

  /** The connection closed: stop watching, leave the server's count. */
  disconnected(): void {
    this.unwatchAll();
    this.transaction = undefined;
    this.#server.clientDisconnected();
  }
}
