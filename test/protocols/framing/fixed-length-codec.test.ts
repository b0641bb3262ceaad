// FixedLengthCodec with no sockets: every split, EOF inside a frame, encoding checks.
import test from 'ava';
import { FrameSyntaxError } from '../../../src/protocols/framing/codec.js';
import { FixedLengthCodec } from '../../../src/protocols/framing/fixed-length-codec.js';
import { bytes, checkSplits, decode, join, randomBytes, seededRandom, texts } from '../../helpers/splits.js';

test('FixedLengthCodec cuts frames of the given size however the input is split', (t) => {
  const { frames, error } = checkSplits(t, () => new FixedLengthCodec({ frameLength: 3 }), 'abcdefghijkl');
  t.is(error, undefined);
  t.deepEqual(texts(frames), ['abc', 'def', 'ghi', 'jkl']);
  t.deepEqual(texts(checkSplits(t, () => new FixedLengthCodec({ frameLength: 1 }), 'xyz').frames), ['x', 'y', 'z']);
  t.is(checkSplits(t, () => new FixedLengthCodec({ frameLength: 5 }), 'a'.repeat(100)).frames.length, 20);
});

test('FixedLengthCodec rejects EOF in the middle of a frame', (t) => {
  const { frames, error } = checkSplits(t, () => new FixedLengthCodec({ frameLength: 4 }), 'abcdefg');
  t.deepEqual(texts(frames), ['abcd']);
  t.true(error instanceof FrameSyntaxError);
  t.is((error as Error).message, 'Cannot decode frame: the stream ended 3 bytes into a 4-byte frame');
  t.deepEqual(checkSplits(t, () => new FixedLengthCodec({ frameLength: 4 }), '').frames, []);
});

test('FixedLengthCodec stays failed after EOF inside a frame', (t) => {
  const codec = new FixedLengthCodec({ frameLength: 2 });
  codec.feed(bytes('a'), () => t.fail());
  const error = t.throws(() => codec.end(() => t.fail()), { instanceOf: FrameSyntaxError });
  t.is(t.throws(() => codec.feed(bytes('b'), () => t.fail())), error);
});

test('FixedLengthCodec round-trips seeded random frames', (t) => {
  const random = seededRandom(1);
  const codec = new FixedLengthCodec({ frameLength: 7 });
  const frames = Array.from({ length: 40 }, () => randomBytes(random, 7));
  const wire = join(frames.map((frame) => codec.encode(frame)));
  const decoded = decode(new FixedLengthCodec({ frameLength: 7 }), [wire]).frames;
  t.deepEqual(decoded, frames);
  t.deepEqual(join(decoded.map((frame) => codec.encode(frame))), wire);
});

test('FixedLengthCodec encodes frames of exactly its length', (t) => {
  const codec = new FixedLengthCodec({ frameLength: 3 });
  const frame = bytes('abc');
  t.is(codec.encode(frame), frame);
  t.throws(() => codec.encode(bytes('ab')), { instanceOf: RangeError, message: 'Cannot encode frame: length 2 is not the frame length 3' });
  t.throws(() => new FixedLengthCodec({ frameLength: 0 }), { instanceOf: RangeError, message: /frameLength/ });
});
