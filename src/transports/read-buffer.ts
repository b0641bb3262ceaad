// SocketFile's read buffer: chunks kept as received and joined once, when taken, so reading n bytes
// costs O(n) however many chunks they came in; and a byte search that resumes where the last one
// stopped, so readline() looks at each byte once however the line was split.

/** Received, unread bytes as a queue of chunks, with a resumable search (for readline's '\n'). */
export class ReadBuffer {
  #chunks: Buffer[] = [];
  /** Index of the first unread chunk: the ones before it are taken, dropped in batches. */
  #head = 0;
  #bytes = 0;
  /** Where the last indexOf() stopped: a chunk's index, and that chunk's offset in the unread bytes. */
  #scanChunk = 0;
  #scanStart = 0;

  /** Bytes buffered. */
  get bytes(): number {
    return this.#bytes;
  }

  /** Appends a chunk as is (no copy; an empty one is ignored). */
  push(chunk: Buffer): void {
    if (chunk.length === 0) return;
    this.#chunks.push(chunk);
    this.#bytes += chunk.length;
  }

  /**
   * The offset of the first `byte` at or after `from` in the unread bytes, or -1. Called again with a
   * `from` at or past the last call's, it resumes from the chunk where that call stopped.
   */
  indexOf(byte: number, from: number): number {
    if (from < this.#scanStart) this.#rewind();
    for (; this.#head + this.#scanChunk < this.#chunks.length; this.#scanChunk++) {
      const chunk = this.#chunks[this.#head + this.#scanChunk];
      if (chunk === undefined) break;
      const end = this.#scanStart + chunk.length;
      if (from < end) {
        const at = chunk.indexOf(byte, Math.max(0, from - this.#scanStart));
        if (at >= 0) return this.#scanStart + at;
      }
      this.#scanStart = end;
    }
    return -1;
  }

  /** Takes the first `n` bytes (all, if fewer are buffered): a view when one chunk holds them, else one copy. */
  take(n: number): Buffer {
    const size = Math.min(n, this.#bytes);
    const parts: Buffer[] = [];
    let taken = 0;
    while (taken < size) {
      const first = this.#chunks[this.#head];
      if (first === undefined) break;
      const wanted = size - taken;
      if (first.length <= wanted) {
        parts.push(first);
        this.#head += 1;
        taken += first.length;
      } else {
        parts.push(first.subarray(0, wanted));
        this.#chunks[this.#head] = first.subarray(wanted);
        taken += wanted;
      }
    }
    this.#bytes -= taken;
    this.#compact();
    this.#rewind();
    const [only] = parts;
    return parts.length === 1 && only !== undefined ? only : Buffer.concat(parts, taken);
  }

  #rewind(): void {
    this.#scanChunk = 0;
    this.#scanStart = 0;
  }

  #compact(): void {
    // Taken chunks go once they are half the array: O(1) per chunk over time, where a shift or a
    // splice per take would cost O(chunks left) each time (a line fed a byte at a time is many).
    if (this.#head * 2 < this.#chunks.length) return;
    this.#chunks.splice(0, this.#head);
    this.#head = 0;
  }
}
