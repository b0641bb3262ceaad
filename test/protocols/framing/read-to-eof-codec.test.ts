// ReadToEofCodec with no sockets: the whole stream as one frame, the limit as bytes arrive.
import test from 'ava';
import { FrameTooLongError } from '../../../src/protocols/framing/codec.js';
import { ReadToEofCodec } from '../../../src/protocols/framing/read-to-eof-codec.js';
import { bytes, checkSplits, decode, randomBytes, seededRandom, texts } from '../../helpers/splits.js';

test('ReadToEofCodec emits the whole stream at EOF however it is split', (t) => {
  const { frames, error } = checkSplits(t, () => new ReadToEofCodec({ maxFrameLength: 64 }), 'HTTP/1.0 200 OK\r\n\r\nbody');
  t.is(error, undefined);
  t.deepEqual(texts(frames), ['HTTP/1.0 200 OK\r\n\r\nbody']);
  t.deepEqual(texts(checkSplits(t, () => new ReadToEofCodec({ maxFrameLength: 0 }), '').frames), ['']);
});

test('ReadToEofCodec emits nothing before EOF', (t) => {
  t.deepEqual(checkSplits(t, () => new ReadToEofCodec({ maxFrameLength: 64 }), 'abc', { end: false }).frames, []);
});

test('ReadToEofCodec rejects a stream over the limit as the bytes arrive', (t) => {
  const { error } = checkSplits(t, () => new ReadToEofCodec({ maxFrameLength: 10 }), 'abcdefghijk', { end: false });
  t.true(error instanceof FrameTooLongError);
  t.like(error, { limit: 10, atLeast: 11 });
  const codec = new ReadToEofCodec({ maxFrameLength: 3 });
  codec.feed(bytes('abc'), () => t.fail());
  const thrown = t.throws(() => codec.feed(bytes('d'), () => t.fail()), { instanceOf: FrameTooLongError });
  t.is(t.throws(() => codec.end(() => t.fail())), thrown);
});

test('ReadToEofCodec round-trips a seeded random stream', (t) => {
  const body = randomBytes(seededRandom(2), 200);
  const codec = new ReadToEofCodec({ maxFrameLength: 200 });
  t.is(codec.encode(body), body);
  t.deepEqual(decode(new ReadToEofCodec({ maxFrameLength: 200 }), [body.subarray(0, 50), body.subarray(50)]).frames, [body]);
  t.throws(() => new ReadToEofCodec({ maxFrameLength: 199 }).encode(body), { instanceOf: RangeError });
  t.throws(() => new ReadToEofCodec({ maxFrameLength: Number.NaN }), { instanceOf: RangeError });
});
