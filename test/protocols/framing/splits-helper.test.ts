// The split helper itself (test/helpers/splits.ts): which splits it makes, and that it catches a
// codec whose output depends on the chunking.
import test from 'ava';
import type { Codec } from '../../../src/protocols/framing/codec.js';
import { bytes, checkSplits, cut, decode, describe, seededRandom, splits, texts } from '../../helpers/splits.js';

const lengths = (chunks: readonly Uint8Array[]): string => chunks.map((c) => c.length).join(',');

test('splits gives every split of a short input, and empty chunks', (t) => {
  const all = [...splits(Uint8Array.of(1, 2, 3, 4))].map(lengths);
  t.deepEqual(all.slice(0, 8).sort(), ['1,1,1,1', '1,1,2', '1,2,1', '1,3', '2,1,1', '2,2', '3,1', '4']);
  t.deepEqual(all.slice(8), ['0,1,0,1,0,1,0,1,0']);
  t.deepEqual([...splits(new Uint8Array(0))].map(lengths), ['', '0']);
  t.is([...splits(new Uint8Array(12))].length, 2 ** 11 + 1);
});

test('splits gives single cuts, pairs, bytes and random splits of a longer input', (t) => {
  const input = Uint8Array.from({ length: 20 }, (_, i) => i);
  const all = [...splits(input)];
  t.is(all.length, 1 + 19 + (19 * 18) / 2 + 1 + 100 + 1);
  for (const chunks of all) t.deepEqual(Uint8Array.from(chunks.flatMap((c) => [...c])), input);
  t.is([...splits(new Uint8Array(300))].length, 1 + 299 + 1 + 100 + 1);
  t.is(JSON.stringify([...splits(input)].map(lengths)), JSON.stringify(all.map(lengths)));
});

test('checkSplits reports a codec whose frames depend on the chunking', async (t) => {
  const chunkEcho: Codec<number> = { feed: (chunk, emit) => emit(chunk.length), end: () => undefined, encode: () => new Uint8Array(0) };
  const result = decode(chunkEcho, [Uint8Array.of(1, 2)]);
  t.deepEqual(result, { frames: [2] });
  t.deepEqual(describe({ e: new RangeError('x'), b: Uint8Array.of(255) }), {
    e: { class: 'RangeError', code: undefined, message: 'x', limit: undefined, length: undefined, atLeast: undefined },
    b: { hex: 'ff' },
  });
  const attempt = await t.try((tt) => {
    checkSplits(tt, () => chunkEcho, 'ab');
  });
  const passed = attempt.passed;
  attempt.discard();
  t.false(passed);
});

test('seededRandom repeats its sequence for a seed', (t) => {
  const a = seededRandom(99);
  const b = seededRandom(99);
  const first = [a(), a(), a()];
  t.deepEqual([b(), b(), b()], first);
  t.true(first.every((x) => x >= 0 && x < 1));
});

test('cut splits at points taken modulo the length + 1, deduplicated and sorted, as views', (t) => {
  const input = bytes('abcdef');
  const parts = cut(input, [4, 2, 9, 2, 13]);
  t.deepEqual(texts(parts), ['ab', 'cd', 'ef', '']);
  t.true(parts.every((part) => part.buffer === input.buffer));
  t.deepEqual(texts(cut(input, [])), ['abcdef']);
});
