// DelimitedCodec with no sockets: every split of each input, a naive reference for self-overlapping
// delimiters, limits, the discard mode, EOF and encoding.
import test from 'ava';
import { FrameSyntaxError, FrameTooLongError, type Codec } from '../../../src/protocols/framing/codec.js';
import { DelimitedCodec, type DelimitedCodecOptions } from '../../../src/protocols/framing/delimited-codec.js';
import { bytes, checkSplits, decode, join, randomBytes, randomInt, seededRandom, texts } from '../../helpers/splits.js';

const crlf = (options: Partial<DelimitedCodecOptions> = {}): DelimitedCodec =>
  new DelimitedCodec({ delimiter: '\r\n', maxFrameLength: 8, ...options });

/** A codec whose frames and discard reports arrive in one stream, so checkSplits compares both. */
function reportingDiscards(options: DelimitedCodecOptions): Codec<Uint8Array | FrameTooLongError> {
  let sink: ((item: Uint8Array | FrameTooLongError) => void) | undefined;
  const codec = new DelimitedCodec({ ...options, discardOverlong: true, onDiscard: (error) => sink?.(error) });
  return {
    feed(chunk, emit) {
      sink = emit;
      codec.feed(chunk, emit);
    },
    end(emit) {
      sink = emit;
      codec.end(emit);
    },
    encode: (frame) => (frame instanceof Uint8Array ? codec.encode(frame) : new Uint8Array(0)),
  };
}

test('DelimitedCodec decodes CRLF frames, empty ones included, however the input is split', (t) => {
  const { frames, error } = checkSplits(t, () => crlf(), 'ab\r\n\r\ncdef\r\n\r\n');
  t.is(error, undefined);
  t.deepEqual(texts(frames), ['ab', '', 'cdef', '']);
});

test('DelimitedCodec finds a delimiter split across chunks in a long input', (t) => {
  const input = Array.from({ length: 30 }, (_, i) => 'x'.repeat(i % 7)).join('\r\n') + '\r\n';
  const { frames } = checkSplits(t, () => crlf(), input);
  t.is(frames.length, 30);
  t.deepEqual(texts(frames).slice(0, 8), ['', 'x', 'xx', 'xxx', 'xxxx', 'xxxxx', 'xxxxxx', '']);
});

test('DelimitedCodec matches a naive split for self-overlapping delimiters', (t) => {
  const random = seededRandom(7);
  for (const delimiter of ['aab', 'abab', 'aa', 'aaa', 'abaab']) {
    for (let round = 0; round < 200; round += 1) {
      const input = Array.from({ length: randomInt(random, 40) }, () => (random() < 0.6 ? 'a' : 'b')).join('');
      const expected = input.split(delimiter);
      const rest = expected.pop() ?? '';
      const { frames, error } = decode(new DelimitedCodec({ delimiter, maxFrameLength: 64, emitPartialAtEOF: true }), [bytes(input)]);
      t.is(error, undefined);
      t.deepEqual(texts(frames), rest === '' ? expected : [...expected, rest], `${delimiter} in ${input}`);
    }
  }
  checkSplits(t, () => new DelimitedCodec({ delimiter: 'abab', maxFrameLength: 16 }), 'aabababbabaabababab');
  checkSplits(t, () => new DelimitedCodec({ delimiter: 'aab', maxFrameLength: 6 }), 'aaaaabaaaabaabaaaaaaaab');
});

test('DelimitedCodec keeps the delimiter when asked', (t) => {
  const { frames } = checkSplits(t, () => crlf({ stripDelimiter: false }), 'ab\r\n\r\n');
  t.deepEqual(texts(frames), ['ab\r\n', '\r\n']);
});

test('DelimitedCodec accepts a frame of exactly the limit', (t) => {
  const { frames, error } = checkSplits(t, () => crlf({ maxFrameLength: 4 }), 'abcd\r\nabcd\r\n');
  t.is(error, undefined);
  t.deepEqual(texts(frames), ['abcd', 'abcd']);
});

test('DelimitedCodec rejects an overlong frame split across chunks, after the frames before it', (t) => {
  const { frames, error } = checkSplits(t, () => crlf({ maxFrameLength: 4 }), 'ab\r\nabcdef\r\n', { end: false });
  t.deepEqual(texts(frames), ['ab']);
  t.true(error instanceof FrameTooLongError);
  t.like(error, { code: 'ERR_FRAME_TOO_LONG', limit: 4, atLeast: 6, length: undefined });
});

test('DelimitedCodec rejects once max + delimiter length bytes have no delimiter, counting a partial one', (t) => {
  // "abcde\r": six bytes with no CRLF; the final CR may begin one, so five bytes are surely payload.
  const codec = crlf({ maxFrameLength: 4 });
  const frames: Uint8Array[] = [];
  codec.feed(bytes('abcde'), (f) => frames.push(f));
  const error = t.throws(() => codec.feed(bytes('\r'), (f) => frames.push(f)), { instanceOf: FrameTooLongError });
  t.like(error, { limit: 4, atLeast: 5 });
  t.deepEqual(frames, []);
});

test('DelimitedCodec stays failed after an overlong frame', (t) => {
  const codec = crlf({ maxFrameLength: 2 });
  const error = t.throws(() => codec.feed(bytes('abcd'), () => t.fail()), { instanceOf: FrameTooLongError });
  t.is(t.throws(() => codec.feed(bytes('\r\n'), () => t.fail())), error);
  t.is(t.throws(() => codec.end(() => t.fail())), error);
});

test('DelimitedCodec in discard mode skips an overlong frame and reports it once', (t) => {
  const { frames, error } = checkSplits(t, () => reportingDiscards({ delimiter: '\r\n', maxFrameLength: 3 }), 'ab\r\nabcdefgh\r\ncd\r\nwxyz\r\n\r\n');
  t.is(error, undefined);
  t.deepEqual(
    frames.map((f) => (f instanceof FrameTooLongError ? `too long: ${f.atLeast}` : new TextDecoder().decode(f))),
    ['ab', 'too long: 5', 'cd', 'too long: 4', ''],
  );
});

test('DelimitedCodec in discard mode finds a delimiter begun in the bytes that proved the frame too long', (t) => {
  const { frames } = checkSplits(t, () => reportingDiscards({ delimiter: 'abab', maxFrameLength: 2 }), 'xyzabab12abab');
  t.deepEqual(
    frames.map((f) => (f instanceof FrameTooLongError ? `too long: ${f.atLeast}` : new TextDecoder().decode(f))),
    ['too long: 3', '12'],
  );
});

test('DelimitedCodec in discard mode needs no onDiscard', (t) => {
  const { frames, error } = decode(crlf({ maxFrameLength: 1, discardOverlong: true }), [bytes('abc\r\nd\r\n')]);
  t.is(error, undefined);
  t.deepEqual(texts(frames), ['d']);
});

test('DelimitedCodec ends quietly in the middle of a discarded frame', (t) => {
  const { frames, error } = checkSplits(t, () => reportingDiscards({ delimiter: '\r\n', maxFrameLength: 1 }), 'a\r\nbcdef');
  t.is(error, undefined);
  t.is(frames.length, 2);
});

test('DelimitedCodec rejects EOF after a partial frame', (t) => {
  const { frames, error } = checkSplits(t, () => crlf(), 'ab\r\ncd\r');
  t.deepEqual(texts(frames), ['ab']);
  t.true(error instanceof FrameSyntaxError);
  t.like(error, { code: 'ERR_FRAME_SYNTAX' });
});

test('DelimitedCodec emits a partial frame at EOF when asked, within the limit', (t) => {
  t.deepEqual(texts(checkSplits(t, () => crlf({ emitPartialAtEOF: true }), 'ab\r\ncd\r').frames), ['ab', 'cd\r']);
  t.deepEqual(texts(checkSplits(t, () => crlf({ emitPartialAtEOF: true }), 'ab\r\n').frames), ['ab']);
  const over = checkSplits(t, () => crlf({ maxFrameLength: 4, emitPartialAtEOF: true }), 'abcde');
  t.like(over.error, { limit: 4, length: 5 });
  const discarded = checkSplits(t, () => reportingDiscards({ delimiter: '\r\n', maxFrameLength: 4, emitPartialAtEOF: true }), 'abcde');
  t.is(discarded.frames.length, 1);
  t.like(discarded.frames[0], { limit: 4, length: 5 });
});

test('DelimitedCodec takes an empty stream as no frames', (t) => {
  t.deepEqual(checkSplits(t, () => crlf(), '').frames, []);
});

test('DelimitedCodec refuses calls after end', (t) => {
  const codec = crlf();
  codec.end(() => t.fail());
  t.throws(() => codec.feed(bytes('a'), () => t.fail()), { message: 'Cannot feed: the stream has already ended' });
  t.throws(() => codec.end(() => t.fail()), { message: 'Cannot end: the stream has already ended' });
});

test('DelimitedCodec round-trips seeded random frames', (t) => {
  const random = seededRandom(42);
  for (const delimiter of ['\n', '\r\n', 'END', '\u0000\u0000']) {
    const codec = new DelimitedCodec({ delimiter, maxFrameLength: 64 });
    const delimiterBytes = bytes(delimiter);
    const frames = Array.from({ length: 50 }, () => randomBytes(random, randomInt(random, 65)).map((b) => (b === delimiterBytes[0] ? b ^ 1 : b)));
    const wire = join(frames.map((frame) => codec.encode(frame)));
    t.deepEqual(decode(new DelimitedCodec({ delimiter, maxFrameLength: 64 }), [wire]).frames, frames);
    const again = decode(new DelimitedCodec({ delimiter, maxFrameLength: 64 }), [wire]).frames.map((frame) => codec.encode(frame));
    t.deepEqual(join(again), wire);
  }
  const end = new DelimitedCodec({ delimiter: 'END', maxFrameLength: 64 });
  const lowBytes = Array.from({ length: 8 }, () => randomBytes(random, randomInt(random, 20)).map((b) => b & 0x3f));
  const split = checkSplits(t, () => new DelimitedCodec({ delimiter: 'END', maxFrameLength: 64 }), join(lowBytes.map((f) => end.encode(f))));
  t.deepEqual(split.frames, lowBytes);
});

test('DelimitedCodec encodes only what it would decode back', (t) => {
  t.deepEqual(texts([crlf().encode(bytes('ab'))]), ['ab\r\n']);
  t.deepEqual(texts([crlf({ stripDelimiter: false }).encode(bytes('ab\r\n'))]), ['ab\r\n']);
  t.throws(() => crlf().encode(bytes('a\r\nb')), { instanceOf: RangeError });
  t.deepEqual(texts([crlf().encode(bytes('ab\r'))]), ['ab\r\r\n']);
  // "xa" then "aa" would decode as "x", then "a" still waiting for its delimiter.
  const aa = new DelimitedCodec({ delimiter: 'aa', maxFrameLength: 8 });
  t.throws(() => aa.encode(bytes('xa')), { instanceOf: RangeError, message: /delimiter must occur exactly once/ });
  t.throws(() => crlf().encode(bytes('123456789')), {
    instanceOf: RangeError,
    message: 'Cannot encode frame: length 9 exceeds the limit of 8 bytes',
  });
  t.throws(() => crlf({ stripDelimiter: false }).encode(bytes('ab')), { instanceOf: RangeError });
  t.throws(() => crlf({ stripDelimiter: false }).encode(bytes('\r\n\r\n')), { instanceOf: RangeError });
});

test('DelimitedCodec copies its delimiter and checks its options', (t) => {
  const delimiter = Uint8Array.of(0);
  const codec = new DelimitedCodec({ delimiter, maxFrameLength: 4 });
  delimiter[0] = 1;
  t.deepEqual(codec.delimiter, Uint8Array.of(0));
  t.deepEqual(texts(decode(codec, [Uint8Array.of(0x61, 1, 0)]).frames), ['a\u0001']);
  t.throws(() => new DelimitedCodec({ delimiter: '', maxFrameLength: 4 }), { instanceOf: RangeError });
  t.throws(() => new DelimitedCodec({ delimiter: '\n', maxFrameLength: Number.POSITIVE_INFINITY }), { instanceOf: RangeError });
  t.throws(() => new DelimitedCodec({ delimiter: '\n', maxFrameLength: -1 }), { instanceOf: RangeError });
});

test('DelimitedCodec decodes a long frame fed one byte at a time', (t) => {
  const codec = new DelimitedCodec({ delimiter: '\r\n', maxFrameLength: 100_000 });
  const input = bytes(`${'x'.repeat(99_999)}\r\r\nz\r\n`);
  const frames: Uint8Array[] = [];
  for (let i = 0; i < input.length; i += 1) codec.feed(input.subarray(i, i + 1), (f) => frames.push(f));
  t.deepEqual(frames.map((f) => f.length), [100_000, 1]);
});
