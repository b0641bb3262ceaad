// A command read whole from one chunk, kept as offsets into that chunk instead of one Buffer view
// per argument (redis-server keeps offsets into its query buffer the same way). With 16 pipelined
// commands per read, the views and the key strings made from them were a quarter of the protocol's
// CPU; the hot commands (GET, SET) read their key straight from the chunk's bytes instead.

const NO_BYTES = Buffer.alloc(0);
/** The bounds of up to 64 arguments are kept between commands (512 bytes); a longer command's are let go. */
const KEPT_BOUNDS = 128;

/**
 * The arguments of one command as `[start, end)` byte ranges of `data`. The parser reuses one per
 * connection: it is valid only while the command it was emitted for runs; whoever keeps an argument
 * past that copies it (`views()` then Buffer.from, or RespStore.set, which copies).
 */
export class ArgumentOffsets {
  #data: Buffer = NO_BYTES;
  #count = 0;
  /**
   * start, end of argument i at 2i, 2i + 1. Grown as a command needs (a whole command in one chunk
   * has at most chunk length / 6 arguments), and let go of at the next command if it grew past
   * KEPT_BOUNDS, so one long command does not hold memory for the rest of the connection.
   */
  #bounds: number[] = [];

  /** The chunk the arguments lie in. */
  get data(): Buffer {
    return this.#data;
  }

  /** How many arguments, the command's name included. */
  get count(): number {
    return this.#count;
  }

  /** Starts a new command in `data`, with no arguments yet. */
  reset(data: Buffer): void {
    this.#data = data;
    this.#count = 0;
    if (this.#bounds.length > KEPT_BOUNDS) this.#bounds = [];
  }

  /** Lets go of the chunk (and of the bounds, if a long command grew them): the parser is done with it. */
  clear(): void {
    this.reset(NO_BYTES);
  }

  /** Adds the argument `data[start, end)`. */
  push(start: number, end: number): void {
    const at = this.#count * 2;
    this.#bounds[at] = start;
    this.#bounds[at + 1] = end;
    this.#count += 1;
  }

  /** Where argument `index` starts in `data`; throws RangeError for an argument it does not have. */
  start(index: number): number {
    return this.#bound(index, 0);
  }

  /** Where argument `index` ends in `data` (exclusive). */
  end(index: number): number {
    return this.#bound(index, 1);
  }

  /** Argument `index` as the store keys it (one char per byte), made from the bytes with no view between. */
  text(index: number): string {
    return this.#data.toString('latin1', this.start(index), this.end(index));
  }

  /** Argument `index` as a view of `data` (valid as long as the command is). */
  view(index: number): Buffer {
    return this.#data.subarray(this.start(index), this.end(index));
  }

  /** Every argument as a view: the command as the table's `run` takes it (throws RangeError if it has none). */
  views(): [name: Buffer, ...args: Buffer[]] {
    const views: [Buffer, ...Buffer[]] = [this.view(0)];
    for (let i = 1; i < this.#count; i++) views.push(this.view(i));
    return views;
  }

  #bound(index: number, side: 0 | 1): number {
    const value = index >= 0 && index < this.#count ? this.#bounds[index * 2 + side] : undefined;
    if (value === undefined) throw new RangeError(`Command has no argument ${index}: check its arity`);
    return value;
  }
}
