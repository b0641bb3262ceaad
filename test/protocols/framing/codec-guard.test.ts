// The internal CodecGuard: the call grammar `feed* end?`, and a failed codec staying failed.
import test from 'ava';
import { CodecGuard } from '../../../src/protocols/framing/codec-guard.js';
import { concatBytes, requireCount } from '../../../src/protocols/framing/support.js';
import { dataViewOf, readLengthField, requireFieldLength, writeLengthField } from '../../../src/protocols/framing/length-field.js';

test('CodecGuard runs steps until one throws, then rethrows that error', (t) => {
  const guard = new CodecGuard();
  const seen: string[] = [];
  const step = (input: string, emit: (item: string) => void): void => emit(input);
  guard.feed(step, 'a', (item) => seen.push(item));
  const error = new Error('emit failed');
  const failing = (): void => {
    throw error;
  };
  t.is(t.throws(() => guard.feed(step, 'b', failing)), error);
  t.is(t.throws(() => guard.feed(step, 'c', (item) => seen.push(item))), error);
  t.is(t.throws(() => guard.end(() => seen.push('end'))), error);
  t.deepEqual(seen, ['a']);
});

test('CodecGuard refuses calls after end', (t) => {
  const guard = new CodecGuard();
  guard.end(() => undefined);
  t.throws(() => guard.feed(() => t.fail(), undefined, undefined), { message: 'Cannot feed: the stream has already ended' });
  t.throws(() => guard.end(() => t.fail()), { message: 'Cannot end: the stream has already ended' });
});

test('requireCount and concatBytes check and join', (t) => {
  t.is(requireCount('x', 0), 0);
  t.is(requireCount('x', -5, -10), -5);
  t.throws(() => requireCount('x', 1, 2), { instanceOf: RangeError, message: 'Invalid x: 1 is not an integer of at least 2' });
  t.deepEqual(concatBytes(Uint8Array.of(1), new Uint8Array(0), Uint8Array.of(2, 3)), Uint8Array.of(1, 2, 3));
  t.deepEqual(concatBytes(), new Uint8Array(0));
});

test('length fields check their sizes and values', (t) => {
  t.is(requireFieldLength(8), 8);
  t.throws(() => requireFieldLength(3), { instanceOf: RangeError });
  t.throws(() => writeLengthField(1.5, 2, 'big'), { instanceOf: RangeError });
  t.throws(() => writeLengthField(-1, 2, 'big'), { instanceOf: RangeError });
  t.throws(() => writeLengthField(2 ** 32, 4, 'big'), { instanceOf: RangeError });
  t.is(readLengthField(dataViewOf(writeLengthField(2 ** 32, 8, 'little')), 0, 8, 'little', 0), 2 ** 32);
  t.is(readLengthField(dataViewOf(writeLengthField(Number.MAX_SAFE_INTEGER, 8, 'big')), 0, 8, 'big', 0), Number.MAX_SAFE_INTEGER);
  const padded = concatBytes(Uint8Array.of(9, 9), writeLengthField(0x0102, 2, 'little'));
  t.is(readLengthField(dataViewOf(padded.subarray(1)), 1, 2, 'little', 0), 0x0102);
});
