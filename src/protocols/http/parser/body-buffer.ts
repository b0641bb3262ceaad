// One growing buffer per request body: bytes are copied in as they arrive (a chunked body in 1-byte
// chunks is one buffer, not one Buffer per chunk), capacity doubling up to the body limit, so what a
// request holds is at most the limit however its body is cut (issue 13 item 4).

const EMPTY = Buffer.alloc(0);
/** The first allocation when the final size is not known (chunked). */
const FIRST_CAPACITY = 1024;

/** A bounded, growing byte buffer; take() hands the bytes over and starts afresh. */
export class BodyBuffer {
  #bytes: Buffer = EMPTY;
  #length = 0;

  /** Bytes held. */
  get length(): number {
    return this.#length;
  }

  /** Bytes allocated (at most `limit` of the appends so far). */
  get capacity(): number {
    return this.#bytes.length;
  }

  /**
   * Copies `source[start, end)` in. `limit` caps the capacity: the final size when known (a
   * Content-Length), else the body limit. The caller has checked that the bytes fit under it.
   */
  append(source: Uint8Array, start: number, end: number, limit: number): void {
    const need = this.#length + (end - start);
    if (need > this.#bytes.length) {
      const grown = Math.max(need, this.#bytes.length * 2, FIRST_CAPACITY);
      const next = Buffer.allocUnsafe(Math.min(grown, Math.max(limit, need)));
      this.#bytes.copy(next, 0, 0, this.#length);
      this.#bytes = next;
    }
    this.#bytes.set(source.subarray(start, end), this.#length);
    this.#length = need;
  }

  /** The bytes appended since the last take(), as one Buffer; the buffer is then empty. */
  take(): Buffer {
    const out = this.#length === 0 ? EMPTY : this.#bytes.subarray(0, this.#length);
    this.#bytes = EMPTY;
    this.#length = 0;
    return out;
  }

  /** Drops what is held (after an error). */
  clear(): void {
    this.#bytes = EMPTY;
    this.#length = 0;
  }
}
