// The emulated kernel receive buffer: chunks as they arrived, handed out without copying when one
// chunk answers a recv() (a view), copied only when a recv() spans several chunks.

/** A socket's received, unread bytes, as a queue of chunks; its size is checked against SO_RCVBUF by the socket. */
export class ReceiveQueue {
  #chunks: Buffer[] = [];
  #head = 0;
  #bytes = 0;

  /** Bytes queued. */
  get bytes(): number {
    return this.#bytes;
  }

  /** True when no byte is queued. */
  get isEmpty(): boolean {
    return this.#bytes === 0;
  }

  /** Queues a received chunk as is (no copy; empty chunks are ignored). */
  push(chunk: Buffer): void {
    if (chunk.length === 0) return;
    this.#chunks.push(chunk);
    this.#bytes += chunk.length;
  }

  /** Takes up to `n` bytes (n > 0) from the front; an empty buffer when the queue is empty. */
  take(n: number): Buffer {
    const first = this.#chunks[this.#head];
    if (first === undefined) return Buffer.alloc(0);
    // One chunk answers when it holds n bytes or is all there is: a view, never a copy.
    if (first.length >= n || first.length === this.#bytes) return this.#takeFromFirst(first, n);
    const size = Math.min(n, this.#bytes);
    const out = Buffer.allocUnsafe(size);
    let filled = 0;
    while (filled < size) {
      const chunk = this.#chunks[this.#head];
      if (chunk === undefined) break;
      const part = this.#takeFromFirst(chunk, size - filled);
      part.copy(out, filled);
      filled += part.length;
    }
    return out;
  }

  /** Drops everything (a reset discards what was queued). */
  clear(): void {
    this.#chunks = [];
    this.#head = 0;
    this.#bytes = 0;
  }

  #takeFromFirst(first: Buffer, n: number): Buffer {
    if (first.length <= n) {
      this.#chunks[this.#head] = EMPTY;
      this.#head += 1;
      // Compact now and then, so the array does not grow with every chunk ever received.
      if (this.#head === this.#chunks.length) {
        this.#chunks = [];
        this.#head = 0;
      } else if (this.#head >= 1024) {
        this.#chunks = this.#chunks.slice(this.#head);
        this.#head = 0;
      }
      this.#bytes -= first.length;
      return first;
    }
    this.#chunks[this.#head] = first.subarray(n);
    this.#bytes -= n;
    return first.subarray(0, n);
  }
}

const EMPTY = Buffer.alloc(0);
