// NetstringCodec with no sockets: Bernstein's examples, strict syntax, the limit checked from the
// digits, EOF and a seeded round trip.
import test from 'ava';
import { FrameSyntaxError, FrameTooLongError } from '../../../src/protocols/framing/codec.js';
import { NetstringCodec } from '../../../src/protocols/framing/netstring-codec.js';
import { bytes, checkSplits, decode, join, randomBytes, randomInt, seededRandom, texts } from '../../helpers/splits.js';

const codec = (maxFrameLength = 64): NetstringCodec => new NetstringCodec({ maxFrameLength });

test('NetstringCodec decodes netstrings, empty ones included, however the input is split', (t) => {
  const { frames, error } = checkSplits(t, () => codec(), '12:hello world!,0:,3:a,b,10:0123456789,');
  t.is(error, undefined);
  t.deepEqual(texts(frames), ['hello world!', '', 'a,b', '0123456789']);
});

test('NetstringCodec rejects malformed lengths and missing commas', (t) => {
  const cases: [string, RegExp][] = [
    [':abc,', /at least one digit/],
    ['01:a,', /leading zero/],
    ['00:,', /leading zero/],
    ['1a:a,', /byte 97 in a netstring length/],
    [' 1:a,', /byte 32/],
    ['-1:a,', /byte 45/],
    ['3:abc;', /expected "," after a 3-byte payload, got byte 59/],
    ['0:;', /got byte 59/],
  ];
  for (const [input, message] of cases) {
    const { frames, error } = checkSplits(t, () => codec(), `2:ok,${input}`);
    t.deepEqual(texts(frames), ['ok'], input);
    t.true(error instanceof FrameSyntaxError, input);
    t.regex((error as Error).message, message, input);
  }
});

test('NetstringCodec rejects a length over the limit at the digit that proves it', (t) => {
  const decoder = codec(100);
  decoder.feed(bytes('10'), () => t.fail());
  const error = t.throws(() => decoder.feed(bytes('1'), () => t.fail()), { instanceOf: FrameTooLongError });
  t.like(error, { limit: 100, atLeast: 101 });
  t.is(t.throws(() => decoder.end(() => t.fail())), error);
  // The digits of a huge length stop at the first past the limit: 3 digits here, not 40.
  const { frames, error: huge } = checkSplits(t, () => codec(100), `1:a,${'9'.repeat(40)}:`, { end: false });
  t.deepEqual(texts(frames), ['a']);
  t.like(huge, { limit: 100, atLeast: 999 });
  t.like(checkSplits(t, () => codec(0), '1:').error, { limit: 0, atLeast: 1 });
  t.deepEqual(texts(checkSplits(t, () => codec(0), '0:,').frames), ['']);
});

test('NetstringCodec rejects EOF inside a netstring', (t) => {
  for (const input of ['1', '1:', '1:a', '12:hello world!']) {
    t.true(checkSplits(t, () => codec(), input).error instanceof FrameSyntaxError, input);
  }
  t.deepEqual(checkSplits(t, () => codec(), '').frames, []);
});

test('NetstringCodec round-trips seeded random payloads', (t) => {
  const random = seededRandom(9);
  const payloads = Array.from({ length: 50 }, () => randomBytes(random, randomInt(random, 65)));
  const wire = join(payloads.map((payload) => codec().encode(payload)));
  const decoded = decode(codec(), [wire]).frames;
  t.deepEqual(decoded, payloads);
  t.deepEqual(join(decoded.map((payload) => codec().encode(payload))), wire);
  const few = payloads.slice(0, 6).map((p) => p.subarray(0, 12));
  t.deepEqual(checkSplits(t, () => codec(), join(few.map((p) => codec().encode(p)))).frames, few);
});

test('NetstringCodec encodes within its limit only', (t) => {
  t.deepEqual(texts([codec().encode(bytes('hello world!'))]), ['12:hello world!,']);
  t.throws(() => codec(3).encode(bytes('abcd')), { instanceOf: RangeError, message: 'Cannot encode frame: length 4 exceeds the limit of 3 bytes' });
  t.throws(() => codec(-1), { instanceOf: RangeError });
});
