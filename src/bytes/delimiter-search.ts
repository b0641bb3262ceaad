// Finding a delimiter of any length in a stream that arrives in chunks, scanning each byte once
// (Knuth-Morris-Pratt): the match state carries over chunk boundaries, so a delimiter split across
// chunks is found without rescanning. The delimiter codecs and ChunkQueue.indexOf use it.

/**
 * An incremental search for one delimiter. `next` scans a range of a chunk, continuing from the
 * state the previous call left, and stops just after the first delimiter it completes.
 */
export class DelimiterSearch {
  /** The bytes searched for (not copied: the owner must not change them). */
  readonly delimiter: Uint8Array;
  readonly #first: number;
  /** `#borders[m]`: the longest proper prefix of the delimiter that ends its first m bytes. */
  readonly #borders: readonly number[];
  #matched = 0;
  #scanned = 0;

  /** Throws RangeError for an empty delimiter (it would match between every two bytes). */
  constructor(delimiter: Uint8Array) {
    const [first] = delimiter;
    if (first === undefined) throw new RangeError('Cannot search for an empty delimiter');
    this.delimiter = delimiter;
    this.#first = first;
    this.#borders = borders(delimiter);
  }

  /** Bytes examined by next() so far, over all calls: O(bytes searched) when each byte is searched once. */
  get scanned(): number {
    return this.#scanned;
  }

  /** How many of the last bytes scanned are the start of a delimiter (0 after a match). */
  get matched(): number {
    return this.#matched;
  }

  /**
   * Scans `bytes[from, to)`. Returns the index just past the first delimiter completed there (the
   * delimiter may have begun in earlier calls), or -1 if none was, keeping the partial match.
   */
  next(bytes: Uint8Array, from: number, to: number): number {
    const delimiter = this.delimiter;
    let matched = this.#matched;
    let index = from;
    while (index < to) {
      if (matched === 0) {
        // Nothing matched yet: let the native scan skip to the next possible start.
        const start = bytes.indexOf(this.#first, index);
        if (start < 0 || start >= to) break;
        matched = 1;
        index = start + 1;
      } else {
        const byte = bytes[index];
        while (matched > 0 && byte !== delimiter[matched]) matched = elementAt(this.#borders, matched);
        if (byte === delimiter[matched]) matched += 1;
        index += 1;
      }
      if (matched === delimiter.length) {
        this.#matched = 0;
        this.#scanned += index - from;
        return index;
      }
    }
    this.#matched = matched;
    this.#scanned += to - from;
    return -1;
  }

  /** Forgets any partial match. */
  reset(): void {
    this.#matched = 0;
  }
}

/** The KMP failure table: for each prefix length m, the length of its longest proper border. */
function borders(delimiter: Uint8Array): number[] {
  const table = [0, 0];
  let border = 0;
  for (let m = 1; m < delimiter.length; m += 1) {
    const byte = delimiter[m];
    while (border > 0 && byte !== delimiter[border]) border = elementAt(table, border);
    if (byte === delimiter[border]) border += 1;
    table[m + 1] = border;
  }
  return table;
}

/** `table[index]`, which the KMP loops only read inside the table (checked, for noUncheckedIndexedAccess). */
function elementAt(table: readonly number[], index: number): number {
  const value = table[index];
  if (value === undefined) throw new RangeError(`Index ${index} is outside 0..${table.length - 1}`);
  return value;
}

/** Whether the first delimiter in `bytes` ends exactly where `bytes` ends (encoders check this). */
export function endsAtFirstDelimiter(bytes: Uint8Array, delimiter: Uint8Array): boolean {
  return new DelimiterSearch(delimiter).next(bytes, 0, bytes.length) === bytes.length;
}
