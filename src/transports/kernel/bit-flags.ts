// Booleans kept as bits of one number: a boolean field costs 8 bytes on a 64-bit node (no pointer
// compression), so an object with many of them (one per idle connection) pays for each. Subclasses
// keep ordinary boolean properties whose accessors call hasFlag/setFlag with their bit.

/** The base of a class whose yes/no facts are bits of one number behind boolean properties. */
export class BitFlags {
  #bits: number;

  /** `initial`: the bits set at construction. */
  protected constructor(initial = 0) {
    this.#bits = initial;
  }

  /** Whether `bit` is set. */
  protected hasFlag(bit: number): boolean {
    return (this.#bits & bit) !== 0;
  }

  /** Sets `bit` when `on`, clears it otherwise. */
  protected setFlag(bit: number, on: boolean): void {
    this.#bits = on ? this.#bits | bit : this.#bits & ~bit;
  }
}
