// The internal CodecGuard: the call grammar `feed* end?`, and a failed codec staying failed.
import test from 'ava';
import { CodecGuard } from '../../../src/protocols/framing/codec-guard.js';
import { concatBytes, requireCount } from '../../../src/protocols/framing/support.js';
import { readLengthField, requireFieldLength, writeLengthField } from '../../../src/protocols/framing/length-field.js';

test('CodecGuard runs steps until one throws, then rethrows that error', (t) => {
  const guard = new CodecGuard();
  let runs = 0;
  guard.feed(() => (runs += 1));
  const error = new Error('emit failed');
  t.is(t.throws(() => guard.feed(() => { throw error; })), error);
  t.is(t.throws(() => guard.feed(() => (runs += 1))), error);
  t.is(t.throws(() => guard.end(() => (runs += 1))), error);
  t.is(runs, 1);
});

test('CodecGuard refuses calls after end', (t) => {
  const guard = new CodecGuard();
  guard.end(() => undefined);
  t.throws(() => guard.feed(() => t.fail()), { message: 'Cannot feed: the stream has already ended' });
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
  t.is(readLengthField(writeLengthField(2 ** 32, 8, 'little'), 8, 'little', 0), 2 ** 32);
  t.is(readLengthField(writeLengthField(Number.MAX_SAFE_INTEGER, 8, 'big'), 8, 'big', 0), Number.MAX_SAFE_INTEGER);
});
