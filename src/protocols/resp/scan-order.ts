// The order SCAN walks a keyspace in, and what its cursor means. Redis walks its hash table with a
// reverse-binary cursor so that a rehash never skips a key; we have no buckets, so the cursor is a
// position in insertion order instead: every key gets the next sequence number when it is created
// (a key deleted and created again gets a new one), and the cursor is the sequence number to go on
// from. A key present for the whole iteration keeps its number, and the cursor only moves forward
// over numbers it has visited, so that key is returned exactly once; a key created during the
// iteration may or may not be, as in redis. Deleted keys leave a tombstone, swept out in bulk once
// they outnumber the live keys (amortised O(1)); a sweep keeps the order, so cursors stay valid.

/** Tombstones tolerated before a sweep, whatever the live count. */
const MIN_TOMBSTONES_TO_SWEEP = 1024;

/** Keys by creation order, each with its sequence number; see the file comment. */
export class ScanOrder {
  /** The keys by sequence number ascending; undefined where a key was deleted. */
  #keys: (string | undefined)[] = [];
  /** Sequence numbers matching #keys, strictly ascending (so binary-searchable). */
  #seqs: number[] = [];
  readonly #seqOf = new Map<string, number>();
  #nextSeq = 1;
  #tombstones = 0;

  /** Appends `key`, which must not be present. */
  add(key: string): void {
    const seq = this.#nextSeq++;
    this.#seqOf.set(key, seq);
    this.#keys.push(key);
    this.#seqs.push(seq);
  }

  /** Leaves a tombstone where `key` was. */
  remove(key: string): void {
    const seq = this.#seqOf.get(key);
    if (seq === undefined) return;
    this.#seqOf.delete(key);
    this.#keys[this.#firstAtOrAfter(seq)] = undefined;
    this.#tombstones += 1;
    if (this.#tombstones > MIN_TOMBSTONES_TO_SWEEP && this.#tombstones > this.#seqOf.size) this.#sweep();
  }

  /** Forgets every key; sequence numbers go on growing, so an old cursor cannot land mid-order. */
  clear(): void {
    this.#keys = [];
    this.#seqs = [];
    this.#seqOf.clear();
    this.#tombstones = 0;
  }

  /**
   * Visits up to `count` keys with a sequence number of at least `cursor`, in order; returns the
   * cursor to go on from, or 0n once the end is reached. `visit` may remove the key it is given.
   */
  scan(cursor: bigint, count: number, visit: (key: string) => void): bigint {
    let at = cursor > BigInt(this.#nextSeq) ? this.#keys.length : this.#firstAtOrAfter(Number(cursor));
    const found: string[] = [];
    for (; at < this.#keys.length && found.length < count; at++) {
      const key = this.#keys[at];
      if (key !== undefined) found.push(key);
    }
    const next = at < this.#seqs.length ? BigInt(this.#seqs[at] ?? 0) : 0n;
    // Visited after the walk: a visit that deletes a key may sweep, which moves positions.
    for (const key of found) visit(key);
    return next;
  }

  #firstAtOrAfter(seq: number): number {
    let low = 0;
    let high = this.#seqs.length;
    while (low < high) {
      const middle = (low + high) >>> 1;
      if ((this.#seqs[middle] ?? Infinity) < seq) low = middle + 1;
      else high = middle;
    }
    return low;
  }

  #sweep(): void {
    const keys: string[] = [];
    const seqs: number[] = [];
    this.#keys.forEach((key, i) => {
      if (key !== undefined) {
        keys.push(key);
        seqs.push(this.#seqs[i] ?? 0);
      }
    });
    this.#keys = keys;
    this.#seqs = seqs;
    this.#tombstones = 0;
  }
}
