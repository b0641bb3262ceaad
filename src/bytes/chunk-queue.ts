// The one queue of byte chunks under every buffer in switchboard: the emulated kernel's receive
// queue, SocketFile's read buffer, the TLS record buffer, the codecs' partial frames, a throttle's
// held bytes. Chunks are kept as they arrived (never re-joined on arrival); a take within the first
// chunk is a view, a take across chunks is one copy; a search resumes from a remembered chunk, so
// that parsing costs O(bytes received) however the input was split. It counts what it scans and
// copies, so tests can check that linearity by counting instead of timing.
import { DelimiterSearch } from './delimiter-search.js';

/** What a ChunkQueue (or a parser built on one) has done since it was made: the proof that parsing is linear. */
export interface ByteCounters {
  /** Bytes examined by a search. Linear parsing keeps it O(bytes received). */
  scanned: number;
  /** Bytes copied to join chunks (take, peek across chunks). Linear parsing keeps it O(bytes received). */
  copied: number;
}

/** Below this size a backing store is Node's shared pool or the chunk itself: not counted as pinned. */
const SMALL_BACKING = 8192;

/** The chunk array of every empty queue: shared, so never written (push and pushFront replace it). */
const NO_CHUNKS: Uint8Array[] = [];

/**
 * A FIFO of bytes kept as the chunks they arrived in. Pushed chunks are kept, not copied: the
 * pusher must not modify them afterwards. What take() and peek() return may be a view of a chunk:
 * do not modify it either.
 */
export class ChunkQueue {
  #chunks: Uint8Array[] = NO_CHUNKS;
  /** Index of the first live chunk: taken ones before it are dropped in batches (see #compact). */
  #head = 0;
  #bytes = 0;
  /** Where the last search stopped: a live chunk's index in #chunks and its offset from the front. */
  #cursorChunk = 0;
  #cursorStart = 0;
  // Made on first use: most queues (an idle connection's receive queue) never copy or search.
  #counters: ByteCounters | undefined;

  /** Bytes scanned and copied so far: see ByteCounters. */
  get counters(): ByteCounters {
    this.#counters ??= { scanned: 0, copied: 0 };
    return this.#counters;
  }

  /** Bytes held. */
  get bytes(): number {
    return this.#bytes;
  }

  /** True when no byte is held. */
  get isEmpty(): boolean {
    return this.#bytes === 0;
  }

  /** Chunks held. */
  get chunkCount(): number {
    return this.#chunks.length - this.#head;
  }

  /**
   * The memory the held chunks keep alive: a chunk that is a view of a larger buffer (over 8 KiB,
   * past Node's shared pool) counts that whole buffer, since the view pins it. Limits on memory
   * count this rather than `bytes`. Computed when asked (O(chunks held)): the hot path pays nothing.
   */
  get retainedBytes(): number {
    let retained = 0;
    for (let index = this.#head; index < this.#chunks.length; index += 1) {
      const chunk = this.#chunks[index];
      if (chunk !== undefined) retained += retainedSize(chunk);
    }
    return retained;
  }

  /** Appends `chunk` as is (kept, not copied; an empty one is ignored). */
  push(chunk: Uint8Array): void {
    if (chunk.length === 0) return;
    // An empty queue shares NO_CHUNKS (never written): its first chunk gets a one-slot literal, as
    // most queues hold one chunk at a time (a push onto [] would reserve 17 slots, per message).
    if (this.#chunks.length === 0) this.#chunks = [chunk];
    else this.#chunks.push(chunk);
    this.#bytes += chunk.length;
  }

  /** Puts `chunk` back in front of everything held (a switch's leftover, bytes given back). */
  pushFront(chunk: Uint8Array): void {
    if (chunk.length === 0) return;
    if (this.#head > 0) {
      this.#head -= 1;
      this.#chunks[this.#head] = chunk;
    } else if (this.#chunks.length === 0) {
      this.#chunks = [chunk];
    } else {
      this.#chunks.unshift(chunk);
    }
    this.#bytes += chunk.length;
    this.#resetCursor();
  }

  /**
   * Removes and returns the first `n` bytes (0 <= n <= bytes): a view of the first chunk when it
   * holds them all, otherwise one copy. Throws RangeError for any other `n`.
   */
  take(n: number): Uint8Array {
    const first = this.#chunks[this.#head];
    // The hot path (a recv, a frame within one chunk): a view, no copy, no walk.
    if (first !== undefined && first.length >= n && Number.isInteger(n) && n > 0) {
      if (first.length === n) {
        this.#dropFirst(first);
        return first;
      }
      this.#chunks[this.#head] = first.subarray(n);
      this.#bytes -= n;
      this.#afterDrop(n);
      return first.subarray(0, n);
    }
    const out = this.peek(n);
    this.drop(n);
    return out;
  }

  /** Removes and returns up to `max` bytes of the first chunk (a view, never a copy), or undefined when empty or `max` < 1. */
  takeChunk(max = Infinity): Uint8Array | undefined {
    const first = this.#chunks[this.#head];
    if (first === undefined || !(max >= 1)) return undefined;
    const n = Math.min(first.length, Math.floor(max));
    const piece = n === first.length ? first : first.subarray(0, n);
    this.drop(n);
    return piece;
  }

  /** The first `n` bytes (0 <= n <= bytes) without removing them, a view or a copy as for take(). */
  peek(n: number): Uint8Array {
    this.#check(n);
    const first = this.#chunks[this.#head];
    if (first === undefined || n === 0) return EMPTY;
    if (first.length >= n) return first.length === n ? first : first.subarray(0, n);
    const out = this.allocate(n);
    let filled = 0;
    for (let index = this.#head; filled < n; index += 1) {
      const chunk = this.#chunks[index];
      if (chunk === undefined) break;
      const part = chunk.length <= n - filled ? chunk : chunk.subarray(0, n - filled);
      out.set(part, filled);
      filled += part.length;
    }
    this.counters.copied += n;
    return out;
  }

  /** Drops the first `n` bytes (0 <= n <= bytes); RangeError for any other `n`. */
  drop(n: number): void {
    this.#check(n);
    let left = n;
    while (left > 0) {
      const first = this.#chunks[this.#head];
      if (first === undefined) return;
      if (first.length > left) {
        this.#chunks[this.#head] = first.subarray(left);
        this.#bytes -= left;
        this.#afterDrop(left);
        return;
      }
      left -= first.length;
      this.#dropFirst(first);
    }
  }

  /** Removes the first chunk, whole. */
  #dropFirst(first: Uint8Array): void {
    this.#chunks[this.#head] = EMPTY;
    this.#head += 1;
    this.#bytes -= first.length;
    if (this.#head === this.#chunks.length) {
      this.#chunks = NO_CHUNKS;
      this.#head = 0;
      this.#resetCursor();
      return;
    }
    this.#afterDrop(first.length);
    this.#compact();
  }

  /** The cursor moves with the front: a search resumed later starts where this one had got to. */
  #afterDrop(n: number): void {
    this.#cursorStart -= n;
    if (this.#cursorChunk < this.#head || this.#cursorStart < 0) this.#resetCursor();
  }

  /** Drops everything. */
  clear(): void {
    this.#chunks = NO_CHUNKS;
    this.#head = 0;
    this.#bytes = 0;
    this.#resetCursor();
  }

  /**
   * The offset of the first occurrence of `needle` (a byte, or a sequence of bytes) at or after
   * `from` in the held bytes, or -1. Resumable: searching again from where the last search gave up
   * (for a sequence, its length - 1 before the end) starts at the chunk it stopped in, so a parser
   * that searches after every chunk scans each byte O(1) times. Bytes examined count in `counters.scanned`.
   * Throws RangeError for an empty sequence.
   */
  indexOf(needle: number | Uint8Array, from = 0): number {
    if (typeof needle !== 'number' && needle.length === 1) return this.indexOf(needle[0] ?? 0, from);
    const start = Math.max(0, from);
    if (start >= this.#bytes) return -1;
    this.#seek(start);
    const search = typeof needle === 'number' ? undefined : new DelimiterSearch(needle);
    for (; this.#cursorChunk < this.#chunks.length; this.#cursorChunk += 1) {
      const chunk = this.#chunks[this.#cursorChunk];
      if (chunk === undefined) break;
      const offset = Math.max(0, start - this.#cursorStart);
      if (offset < chunk.length) {
        const found = search === undefined ? chunk.indexOf(needle as number, offset) : search.next(chunk, offset, chunk.length);
        if (found >= 0) {
          this.counters.scanned += found + (search === undefined ? 1 : 0) - offset;
          return this.#cursorStart + (search === undefined ? found : found - search.delimiter.length);
        }
        this.counters.scanned += chunk.length - offset;
      }
      if (this.#cursorChunk + 1 === this.#chunks.length) break;
      this.#cursorStart += chunk.length;
    }
    return -1;
  }

  /** The byte at `offset` (0 <= offset < bytes), or undefined past the end. */
  byteAt(offset: number): number | undefined {
    if (!(offset >= 0 && offset < this.#bytes)) return undefined;
    this.#seek(offset);
    return this.#chunks[this.#cursorChunk]?.[offset - this.#cursorStart];
  }

  /** The held chunks, front first, as views (for writing them out without a join). */
  *chunks(): Generator<Uint8Array> {
    for (let index = this.#head; index < this.#chunks.length; index += 1) {
      const chunk = this.#chunks[index];
      if (chunk !== undefined) yield chunk;
    }
  }

  /** A new array for a join of `size` bytes; a subclass returns its own kind (a Buffer from the pool). */
  protected allocate(size: number): Uint8Array {
    return new Uint8Array(size);
  }

  /** Moves the cursor to the chunk holding `offset` (< bytes), walking from where it is, back or forth. */
  #seek(offset: number): void {
    while (offset < this.#cursorStart && this.#cursorChunk > this.#head) {
      this.#cursorChunk -= 1;
      this.#cursorStart -= this.#chunks[this.#cursorChunk]?.length ?? 0;
    }
    for (;;) {
      const chunk = this.#chunks[this.#cursorChunk];
      if (chunk === undefined || this.#cursorStart + chunk.length > offset) return;
      this.#cursorStart += chunk.length;
      this.#cursorChunk += 1;
    }
  }

  #resetCursor(): void {
    this.#cursorChunk = this.#head;
    this.#cursorStart = 0;
  }

  /** One compaction rule for every queue: taken slots go once they are half the array (O(1) per chunk over time). */
  #compact(): void {
    if (this.#head * 2 < this.#chunks.length || this.#head < 16) return;
    this.#chunks.splice(0, this.#head);
    this.#cursorChunk -= this.#head;
    this.#head = 0;
  }

  #check(n: number): void {
    if (!Number.isInteger(n) || n < 0 || n > this.#bytes) {
      throw new RangeError(`Cannot take ${n} bytes from a queue of ${this.#bytes}`);
    }
  }
}

const EMPTY = new Uint8Array(0);

/** The memory `chunk` keeps alive: its backing buffer when that is larger and not a small shared pool. */
function retainedSize(chunk: Uint8Array): number {
  const backing = chunk.buffer.byteLength;
  return backing > SMALL_BACKING && backing > chunk.byteLength && !isPoolSlice(chunk, backing) ? backing : chunk.byteLength;
}

/** Slack over Buffer.poolSize in the pool's allocation (Node 26 allocates 65,600 bytes for 65,536). */
const POOL_SLACK = 256;

/**
 * A Buffer sliced from Node's shared pool, which every small Buffer shares (Buffer.from('x')), so
 * no one chunk pins it. The pool is Buffer.poolSize: 8 KiB up to Node 22, 64 KiB from Node 24, where
 * SMALL_BACKING alone would count every small Buffer as pinning 64 KiB.
 */
function isPoolSlice(chunk: Uint8Array, backing: number): boolean {
  const pool = Buffer.poolSize;
  return Buffer.isBuffer(chunk) && chunk.byteLength <= pool >>> 1 && backing >= pool && backing <= pool + POOL_SLACK;
}
