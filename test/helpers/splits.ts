// Every way a byte stream can arrive in chunks, and a check that a codec decodes them all alike: all
// 2^(n-1) splits up to 12 bytes; beyond that every single cut, every pair of cuts up to 256 bytes,
// one byte at a time, empty chunks between bytes, and 100 seeded random splits.
import type { ExecutionContext } from 'ava';
import type { Codec } from '../../src/protocols/framing/codec.js';

/** Inputs up to this length get every split there is. */
const EXHAUSTIVE_UP_TO = 12;
/** Inputs up to this length get every pair of cuts (about n²/2 splits). */
const PAIRS_UP_TO = 256;
const RANDOM_SPLITS = 100;
const SEED = 0x5eed_f00d;

/** mulberry32: a small seeded PRNG, so that random inputs and splits are the same on every run. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let z = state;
    z = Math.imul(z ^ (z >>> 15), z | 1);
    z ^= z + Math.imul(z ^ (z >>> 7), z | 61);
    return ((z ^ (z >>> 14)) >>> 0) / 4294967296;
  };
}

/** An integer in [0, bound). */
export function randomInt(random: () => number, bound: number): number {
  return Math.floor(random() * bound);
}

/** `length` random bytes. */
export function randomBytes(random: () => number, length: number): Uint8Array {
  return Uint8Array.from({ length }, () => randomInt(random, 256));
}

/** The UTF-8 bytes of `text` (latin1 would do for ASCII, but tests also use é). */
export function bytes(text: string): Uint8Array {
  return new TextEncoder().encode(text);
}

/** The frames of an outcome as strings (UTF-8), for readable assertions. */
export function texts(frames: readonly Uint8Array[]): string[] {
  return frames.map((frame) => new TextDecoder().decode(frame));
}

/** `parts` joined into one array. */
export function join(parts: readonly Uint8Array[]): Uint8Array {
  return Uint8Array.from(parts.flatMap((part) => [...part]));
}

/** The chunks of `input` cut at the increasing positions `cuts` (views, not copies). */
function cutAt<B extends Uint8Array>(input: B, cuts: readonly number[]): B[] {
  const chunks: B[] = [];
  let start = 0;
  for (const cut of [...cuts, input.length]) {
    chunks.push(input.subarray(start, cut) as B);
    start = cut;
  }
  return chunks;
}

/**
 * `bytes` cut at `points` taken modulo its length + 1, deduplicated and sorted (views, not copies):
 * the random splits the property tests (fast-check's `fc.nat()` arrays) feed to their decoders.
 */
export function cut<B extends Uint8Array>(bytes: B, points: readonly number[]): B[] {
  return cutAt(bytes, [...new Set(points.map((p) => p % (bytes.length + 1)))].sort((a, b) => a - b));
}

/** Every split of `input` this helper tries (see the file's header), each as its list of chunks. */
export function* splits(input: Uint8Array): Generator<Uint8Array[]> {
  const n = input.length;
  if (n === 0) {
    yield [];
    yield [input];
    return;
  }
  if (n <= EXHAUSTIVE_UP_TO) {
    for (let mask = 0; mask < 2 ** (n - 1); mask += 1) {
      yield cutAt(input, Array.from({ length: n - 1 }, (_, i) => i + 1).filter((cut) => (mask & (1 << (cut - 1))) !== 0));
    }
  } else {
    yield [input];
    for (let i = 1; i < n; i += 1) yield cutAt(input, [i]);
    if (n <= PAIRS_UP_TO) {
      for (let i = 1; i < n; i += 1) for (let j = i + 1; j < n; j += 1) yield cutAt(input, [i, j]);
    }
    yield cutAt(input, Array.from({ length: n - 1 }, (_, i) => i + 1));
    const random = seededRandom(SEED ^ n);
    for (let k = 0; k < RANDOM_SPLITS; k += 1) {
      // Mostly small chunks, sometimes large ones: the mean chunk size is itself random.
      const mean = 1 + randomInt(random, 1 + randomInt(random, n));
      const cuts: number[] = [];
      for (let at = 1 + randomInt(random, mean); at < n; at += 1 + randomInt(random, mean)) cuts.push(at);
      yield cutAt(input, cuts);
    }
  }
  // Empty chunks around every byte: a codec must take them as no news.
  const empty = input.subarray(0, 0);
  yield [empty, ...cutAt(input, Array.from({ length: n - 1 }, (_, i) => i + 1)).flatMap((chunk) => [chunk, empty])];
}

/** What decoding gave: the frames emitted, and the error thrown if one was (after those frames). */
export interface Outcome<F> {
  readonly frames: F[];
  readonly error?: unknown;
}

/** Feeds `chunks` to `codec` and, unless `end` is false, ends the stream; stops at the first error. */
export function decode<F, D = Uint8Array>(codec: Codec<F, D>, chunks: Iterable<D>, options: { readonly end?: boolean } = {}): Outcome<F> {
  const frames: F[] = [];
  const emit = (frame: F): void => {
    frames.push(frame);
  };
  try {
    for (const chunk of chunks) codec.feed(chunk, emit);
    if (options.end !== false) codec.end(emit);
  } catch (error) {
    return { frames, error };
  }
  return { frames };
}

/**
 * A comparable form of an outcome: bytes as hex, errors as their class, code, message and data
 * fields (what the style guide says a split must not change).
 */
export function describe(value: unknown): unknown {
  if (value instanceof Uint8Array) return { hex: Buffer.from(value.buffer, value.byteOffset, value.length).toString('hex') };
  if (value instanceof Error) {
    const { code, limit, length, atLeast } = value as Error & Record<string, unknown>;
    return { class: value.constructor.name, code, message: value.message, limit, length, atLeast };
  }
  if (Array.isArray(value)) return value.map(describe);
  if (typeof value === 'object' && value !== null) return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, describe(v)]));
  return value;
}

/**
 * Decodes every split of `input` (see `splits`) with a fresh codec from `makeCodec`, and asserts that
 * each gives the same outcome as the input in one chunk: frames, and error class, code and fields.
 * Returns that one-chunk outcome for further assertions.
 */
export function checkSplits<F>(
  t: ExecutionContext,
  makeCodec: () => Codec<F>,
  input: Uint8Array | string,
  options: { readonly end?: boolean } = {},
): Outcome<F> {
  const data = typeof input === 'string' ? bytes(input) : input;
  const expected = decode(makeCodec(), [data], options);
  const expectedKey = JSON.stringify(describe(expected));
  let count = 0;
  for (const chunks of splits(data)) {
    count += 1;
    const actual = decode(makeCodec(), chunks, options);
    if (JSON.stringify(describe(actual)) !== expectedKey) {
      t.deepEqual(describe(actual), describe(expected), `split into chunks of ${chunks.map((c) => c.length).join(', ')} bytes`);
      return expected;
    }
  }
  t.pass(`${count} splits agree`);
  return expected;
}
