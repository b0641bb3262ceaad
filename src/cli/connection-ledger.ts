// The connection limits of `serve --workers`, kept in the primary: it alone sees every connection,
// so `--max-connections 2 --workers 2` serves 2, not 2 per worker. A worker reports each connection's
// end; a worker that dies frees all of its places at once.

/** The limits the ledger enforces (undefined: none). */
export interface LedgerLimits {
  /** Connections open at once over all workers. */
  readonly maxConnections?: number | undefined;
  /** Connections open at once from one peer address over all workers. */
  readonly maxConnectionsPerPeer?: number | undefined;
}

interface Entry {
  readonly owner: unknown;
  peer: string | undefined;
}

/** Every open connection of the workers, by the primary's id; the global counts. */
export class ConnectionLedger {
  readonly #limits: LedgerLimits;
  readonly #open = new Map<number, Entry>();
  readonly #perPeer = new Map<string, number>();

  constructor(limits: LedgerLimits) {
    this.#limits = limits;
  }

  /** Connections open now, over all workers. */
  get size(): number {
    return this.#open.size;
  }

  /** True if one more connection would pass --max-connections. */
  isFull(): boolean {
    return this.#open.size >= (this.#limits.maxConnections ?? Number.POSITIVE_INFINITY);
  }

  /** True if one more connection from `peer` would pass --max-connections-per-peer. */
  isPeerFull(peer: string): boolean {
    return (this.#perPeer.get(peer) ?? 0) >= (this.#limits.maxConnectionsPerPeer ?? Number.POSITIVE_INFINITY);
  }

  /** Records connection `id`, served by `owner`; `peer` counts it per peer (undefined: counted later by setPeer). */
  add(id: number, owner: unknown, peer: string | undefined): void {
    this.#open.set(id, { owner, peer: undefined });
    if (peer !== undefined) this.setPeer(id, peer);
  }

  /**
   * Counts connection `id` for `peer` (the client a PROXY header named, known only after it): false,
   * and not counted, when that peer is at its limit or the connection is gone.
   */
  setPeer(id: number, peer: string): boolean {
    const entry = this.#open.get(id);
    if (entry === undefined || entry.peer !== undefined || this.isPeerFull(peer)) return false;
    entry.peer = peer;
    this.#perPeer.set(peer, (this.#perPeer.get(peer) ?? 0) + 1);
    return true;
  }

  /** Connection `id` ended: its places are free. Unknown ids are ignored (reported twice, or already freed). */
  release(id: number): void {
    const entry = this.#open.get(id);
    if (entry === undefined) return;
    this.#open.delete(id);
    if (entry.peer === undefined) return;
    const left = (this.#perPeer.get(entry.peer) ?? 1) - 1;
    if (left > 0) this.#perPeer.set(entry.peer, left);
    else this.#perPeer.delete(entry.peer);
  }

  /** Every connection `owner` served ends with it (a worker that died or exited). */
  releaseOwner(owner: unknown): void {
    for (const [id, entry] of this.#open) if (entry.owner === owner) this.release(id);
  }
}
