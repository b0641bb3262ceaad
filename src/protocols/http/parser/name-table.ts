// Strings found from their bytes: the method and the common header names of a request are turned
// into strings by a lookup (by length and first byte, then a byte compare) that returns one shared
// string, instead of a new string per request (and, for a header name, a second one lower-cased).

/** ASCII lower case of one byte (field names compare without case, RFC 9110 section 5.1). */
const foldByte = (byte: number): number => (byte >= 0x41 && byte <= 0x5a ? byte + 0x20 : byte);

/**
 * A fixed set of ASCII names, each found from `bytes[start, end)`: exactly (methods are
 * case-sensitive), or ignoring ASCII case with the name returned in lower case (field names).
 */
export class NameTable {
  readonly #byShape = new Map<number, readonly string[]>();
  readonly #isCaseless: boolean;

  /** `names` in the case find() returns them (lower case when `isCaseless`). */
  constructor(names: readonly string[], isCaseless: boolean) {
    this.#isCaseless = isCaseless;
    const built = new Map<number, string[]>();
    for (const name of names) {
      const shape = name.length * 256 + name.charCodeAt(0);
      built.set(shape, [...(built.get(shape) ?? []), name]);
    }
    for (const [shape, list] of built) this.#byShape.set(shape, list);
  }

  /** The name `bytes[start, end)` spells, as given to the constructor; undefined if it is not one. */
  find(bytes: Uint8Array, start: number, end: number): string | undefined {
    const first = bytes[start];
    if (first === undefined || end <= start) return undefined;
    const fold = this.#isCaseless;
    const candidates = this.#byShape.get((end - start) * 256 + (fold ? foldByte(first) : first));
    if (candidates === undefined) return undefined;
    for (const name of candidates) {
      let i = 1;
      while (start + i < end && (fold ? foldByte(bytes[start + i] ?? 0) : bytes[start + i]) === name.charCodeAt(i)) i++;
      if (start + i === end) return name;
    }
    return undefined;
  }
}
