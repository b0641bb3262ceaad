// What the RESP parser holds for input it cannot emit yet, kept compact: a client that sends
// `*1048576` and then a million `$0\r\n\r\n` and never finishes must not make the server hold a
// million objects (about 200 bytes each in V8, so 200 MiB for 6 MiB of input). The bytes of every
// bulk string of an unfinished array are copied into one arena and each element costs one 8-byte
// end offset, so what is held is counted exactly (capacities, not payload) and stays close to the
// input's own size; the element Buffers are made as views only when the array is complete.
import type { RespValue } from './resp-parser.js';

const EMPTY = Buffer.alloc(0);
/** The first allocation of an arena: small, since most commands that get here are small. */
const FIRST_CAPACITY = 64;
/** The first element-offset slots of an array, unless its declared count is smaller. */
const FIRST_SLOTS = 16;
/**
 * What one element that is not a bulk string (a null or a nested array, only with maxDepth > 1) is
 * counted as, besides the bytes it holds: about what V8 spends on an array or a Buffer view.
 */
export const HELD_OBJECT_BYTES = 96;

/** Bytes appended in place, grown by doubling (at most twice what is used, and never more than asked for). */
export class ByteArena {
  #bytes: Buffer = EMPTY;
  #used = 0;

  /** Bytes appended so far. */
  get used(): number {
    return this.#used;
  }

  /** Bytes allocated: what the arena really holds. */
  get capacity(): number {
    return this.#bytes.length;
  }

  /**
   * Copies `data` in. `expected` (at least data.length) is how many more bytes the caller knows are
   * coming for what it is reading, so a growth never allocates past them.
   */
  append(data: Uint8Array, expected = data.length): void {
    const needed = this.#used + data.length;
    if (needed > this.#bytes.length) {
      const doubled = Math.max(FIRST_CAPACITY, this.#bytes.length * 2);
      const capacity = Math.max(needed, Math.min(doubled, this.#used + Math.max(expected, data.length)));
      const grown = Buffer.allocUnsafe(capacity);
      grown.set(this.#bytes.subarray(0, this.#used));
      this.#bytes = grown;
    }
    this.#bytes.set(data, this.#used);
    this.#used = needed;
  }

  /** A view of bytes [start, end): valid until clear() or the next growth. */
  view(start: number, end: number): Buffer {
    return this.#bytes.subarray(start, end);
  }

  /** Hands the bytes over (views of them stay valid) and starts empty. */
  clear(): void {
    this.#bytes = EMPTY;
    this.#used = 0;
  }
}

/**
 * The elements of one array being read: bulk strings as end offsets into one arena, anything else
 * (a null, a nested array) by index. take() makes the elements once, as views of the arena.
 */
export class HeldElements {
  readonly #declared: number;
  readonly #arena = new ByteArena();
  #ends = new Float64Array(0);
  #count = 0;
  #others: Map<number, RespValue> | undefined;
  #otherBytes = 0;

  /** `declared`: the array's element count, which bounds the offset slots. */
  constructor(declared: number) {
    this.#declared = declared;
  }

  /** Bytes held: the arena's and the offsets' allocations, and what other elements hold. */
  get heldBytes(): number {
    return this.#arena.capacity + this.#ends.byteLength + this.#otherBytes;
  }

  /** Appends bytes of the bulk string being read; `expected`: its bytes still to come, these included. */
  appendBulk(data: Uint8Array, expected: number): void {
    this.#arena.append(data, expected);
  }

  /** The bulk string being read is complete: everything appended since the last element. */
  endBulk(): void {
    this.#pushEnd();
  }

  /** Adds an element that is not a bulk string, counted as `heldBytes` plus one object. */
  addOther(value: RespValue, heldBytes: number): void {
    this.#others ??= new Map();
    this.#others.set(this.#count, value);
    this.#otherBytes += heldBytes + HELD_OBJECT_BYTES;
    this.#pushEnd();
  }

  /** The elements, in order; the holder is empty afterwards. */
  take(): RespValue[] {
    const items: RespValue[] = new Array<RespValue>(this.#count);
    let start = 0;
    for (let i = 0; i < this.#count; i++) {
      const end = this.#ends[i] ?? start;
      const other = this.#others?.get(i);
      items[i] = other !== undefined || this.#others?.has(i) === true ? (other ?? null) : this.#arena.view(start, end);
      start = end;
    }
    this.#arena.clear();
    this.#ends = new Float64Array(0);
    this.#count = 0;
    this.#others = undefined;
    this.#otherBytes = 0;
    return items;
  }

  #pushEnd(): void {
    if (this.#count === this.#ends.length) {
      const slots = Math.min(this.#declared, Math.max(FIRST_SLOTS, this.#ends.length * 2));
      const grown = new Float64Array(Math.max(slots, this.#count + 1));
      grown.set(this.#ends);
      this.#ends = grown;
    }
    this.#ends[this.#count] = this.#arena.used;
    this.#count += 1;
  }
}
