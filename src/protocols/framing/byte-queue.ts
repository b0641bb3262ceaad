// The bytes a codec holds between chunks: a list of the chunks as they arrived, never re-joined on
// arrival. A take within the first chunk is a view of it; only a take across chunks copies.
// Internal to the framing folder (not exported from its index).

/** A FIFO of bytes kept as chunks, so holding a partial frame costs no copy per chunk. */
export class ByteQueue {
  #chunks: Uint8Array[] = [];
  #bytes = 0;

  /** How many bytes are held. */
  get bytes(): number {
    return this.#bytes;
  }

  /** Appends `chunk` (kept, not copied: the caller must not modify it afterwards). */
  push(chunk: Uint8Array): void {
    if (chunk.length === 0) return;
    this.#chunks.push(chunk);
    this.#bytes += chunk.length;
  }

  /**
   * Removes and returns the first `n` bytes (0 <= n <= bytes): a view of the first chunk when it holds
   * them all, otherwise a fresh copy. Throws RangeError for any other `n`.
   */
  take(n: number): Uint8Array {
    const out = this.peek(n);
    this.drop(n);
    return out;
  }

  /** The first `n` bytes without removing them, a view or a copy as for `take`. */
  peek(n: number): Uint8Array {
    this.#check(n);
    const [first] = this.#chunks;
    if (first === undefined) return new Uint8Array(0);
    if (first.length >= n) return first.subarray(0, n);
    const out = new Uint8Array(n);
    let filled = 0;
    for (const chunk of this.#chunks) {
      const part = chunk.subarray(0, n - filled);
      out.set(part, filled);
      filled += part.length;
      if (filled === n) break;
    }
    return out;
  }

  /** Drops the first `n` bytes (0 <= n <= bytes). */
  drop(n: number): void {
    this.#check(n);
    let left = n;
    let consumed = 0;
    for (const chunk of this.#chunks) {
      if (chunk.length > left) {
        this.#chunks[consumed] = chunk.subarray(left);
        break;
      }
      left -= chunk.length;
      consumed += 1;
      if (left === 0) break;
    }
    // One splice per call, not a shift per chunk: a line fed one byte at a time is thousands of chunks.
    this.#chunks.splice(0, consumed);
    this.#bytes -= n;
  }

  /** Drops everything. */
  clear(): void {
    this.#chunks = [];
    this.#bytes = 0;
  }

  #check(n: number): void {
    if (!Number.isInteger(n) || n < 0 || n > this.#bytes) {
      throw new RangeError(`Cannot take ${n} bytes from a queue of ${this.#bytes}`);
    }
  }
}
