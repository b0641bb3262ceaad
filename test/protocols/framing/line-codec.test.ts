// LineCodec with no sockets: LF, CRLF and either, limits on the line without its ending, the
// discard mode for chat-like protocols, EOF and encoding.
import test from 'ava';
import { FrameSyntaxError, FrameTooLongError, type Codec } from '../../../src/protocols/framing/codec.js';
import { LineCodec, type LineCodecOptions } from '../../../src/protocols/framing/line-codec.js';
import { bytes, checkSplits, decode, join, randomInt, seededRandom, texts } from '../../helpers/splits.js';

/** Lines and discard reports in one stream, as strings: "too long: limit/length/atLeast". */
function reportingDiscards(options: LineCodecOptions): Codec<string> {
  let sink: ((item: string) => void) | undefined;
  const codec = new LineCodec({ ...options, discardOverlong: true, onDiscard: (e) => sink?.(`too long: ${e.limit}/${e.length}/${e.atLeast}`) });
  const wrap = (emit: (item: string) => void) => {
    sink = emit;
    return (line: Uint8Array) => emit(new TextDecoder().decode(line));
  };
  return {
    feed: (chunk, emit) => codec.feed(chunk, wrap(emit)),
    end: (emit) => codec.end(wrap(emit)),
    encode: (line) => codec.encode(bytes(line)),
  };
}

test('LineCodec splits LF lines, empty ones included, however the input is split', (t) => {
  const { frames, error } = checkSplits(t, () => new LineCodec({ maxLineLength: 8 }), 'one\n\ntwo\r\nthree\n');
  t.is(error, undefined);
  t.deepEqual(texts(frames), ['one', '', 'two\r', 'three']);
});

test('LineCodec with CRLF endings keeps a bare LF inside a line', (t) => {
  const { frames } = checkSplits(t, () => new LineCodec({ maxLineLength: 8, ending: 'crlf' }), 'a\nb\r\n\r\nc\r\n');
  t.deepEqual(texts(frames), ['a\nb', '', 'c']);
});

test('LineCodec with any ending accepts LF and CRLF and strips the CR', (t) => {
  const { frames } = checkSplits(t, () => new LineCodec({ maxLineLength: 4, ending: 'any' }), 'ab\r\ncd\n\r\n\n\r\r\nabcd\r\n');
  t.deepEqual(texts(frames), ['ab', 'cd', '', '', '\r', 'abcd']);
});

test('LineCodec rejects an overlong line split across chunks', (t) => {
  const { frames, error } = checkSplits(t, () => new LineCodec({ maxLineLength: 4 }), 'ok\nabcdefgh\n', { end: false });
  t.deepEqual(texts(frames), ['ok']);
  t.true(error instanceof FrameTooLongError);
  t.like(error, { limit: 4, atLeast: 5, length: undefined });
});

test('LineCodec with any ending rejects after maxLineLength + 2 bytes with no LF', (t) => {
  const codec = new LineCodec({ maxLineLength: 4, ending: 'any' });
  codec.feed(bytes('abcde'), () => t.fail());
  const error = t.throws(() => codec.feed(bytes('f'), () => t.fail()), { instanceOf: FrameTooLongError });
  t.like(error, { limit: 4, atLeast: 5 });
  t.is(t.throws(() => codec.feed(bytes('\n'), () => t.fail())), error);
  const split = checkSplits(t, () => new LineCodec({ maxLineLength: 4, ending: 'any' }), 'abcd\r\nabcdef');
  t.deepEqual(texts(split.frames), ['abcd']);
  t.like(split.error, { limit: 4, atLeast: 5 });
});

test('LineCodec with any ending rejects an overlong line ended by a bare LF', (t) => {
  const { frames, error } = checkSplits(t, () => new LineCodec({ maxLineLength: 4, ending: 'any' }), 'abcd\nabcde\n');
  t.deepEqual(texts(frames), ['abcd']);
  t.like(error, { limit: 4, length: 5 });
});

test('LineCodec in discard mode skips overlong lines and goes on', (t) => {
  const input = 'hi\nthis line is long\nbye\n';
  t.deepEqual(checkSplits(t, () => reportingDiscards({ maxLineLength: 4 }), input).frames, ['hi', 'too long: 4/undefined/5', 'bye']);
  const crlf = checkSplits(t, () => reportingDiscards({ maxLineLength: 4, ending: 'crlf' }), 'hi\r\nabcde\r\nbye\r\n');
  t.deepEqual(crlf.frames, ['hi', 'too long: 4/undefined/5', 'bye']);
  const any = checkSplits(t, () => reportingDiscards({ maxLineLength: 4, ending: 'any' }), 'hi\r\nabcdef\r\nabcde\nbye\r\n');
  t.deepEqual(any.frames, ['hi', 'too long: 4/undefined/5', 'too long: 4/5/undefined', 'bye']);
});

test('LineCodec in discard mode needs no onDiscard', (t) => {
  const codec = new LineCodec({ maxLineLength: 2, ending: 'any', discardOverlong: true });
  t.deepEqual(texts(decode(codec, [bytes('abc\nabcd\nok\n')]).frames), ['ok']);
});

test('LineCodec rejects EOF in the middle of a line', (t) => {
  const { frames, error } = checkSplits(t, () => new LineCodec({ maxLineLength: 8, ending: 'crlf' }), 'a\r\nb\r');
  t.deepEqual(texts(frames), ['a']);
  t.true(error instanceof FrameSyntaxError);
});

test('LineCodec emits an unterminated last line at EOF when asked, keeping its CR', (t) => {
  const make = (): LineCodec => new LineCodec({ maxLineLength: 4, ending: 'any', emitPartialAtEOF: true });
  t.deepEqual(texts(checkSplits(t, make, 'a\r\nb\r').frames), ['a', 'b\r']);
  t.like(checkSplits(t, make, 'abcd\r').error, { limit: 4, length: 5 });
  const discarding = (): Codec<string> => reportingDiscards({ maxLineLength: 4, ending: 'any', emitPartialAtEOF: true });
  t.deepEqual(checkSplits(t, discarding, 'abcd\r').frames, ['too long: 4/5/undefined']);
  t.like(checkSplits(t, () => new LineCodec({ maxLineLength: 4, ending: 'crlf', emitPartialAtEOF: true }), 'abcde').error, { limit: 4, length: 5 });
});

test('LineCodec round-trips seeded random lines', (t) => {
  const random = seededRandom(3);
  const alphabet = 'ab \r\t';
  for (const ending of ['lf', 'crlf', 'any'] as const) {
    const randomLine = (): string => Array.from({ length: randomInt(random, 12) }, () => alphabet[randomInt(random, alphabet.length)]).join('');
    const lines = Array.from({ length: 40 }, randomLine)
      // A final CR is a CRLF's for 'any', and two lines that would fuse into "\r\n" for 'crlf'.
      .map((line) => (line.endsWith('\r') ? `${line}x` : line));
    const codec = new LineCodec({ maxLineLength: 13, ending });
    const wire = join(lines.map((line) => codec.encode(bytes(line))));
    const decoded = decode(new LineCodec({ maxLineLength: 13, ending }), [wire]).frames;
    t.deepEqual(texts(decoded), lines);
    t.deepEqual(join(decoded.map((line) => codec.encode(line))), wire);
  }
  t.deepEqual(texts([new LineCodec({ maxLineLength: 4, ending: 'any' }).encode(bytes('ab'))]), ['ab\n']);
  t.deepEqual(texts([new LineCodec({ maxLineLength: 4, ending: 'crlf' }).encode(bytes('ab'))]), ['ab\r\n']);
});

test('LineCodec encodes only lines it would decode back', (t) => {
  const any = new LineCodec({ maxLineLength: 4, ending: 'any' });
  t.throws(() => any.encode(bytes('abcde')), { instanceOf: RangeError, message: 'Cannot encode line: length 5 exceeds the limit of 4 bytes' });
  t.throws(() => any.encode(bytes('ab\r')), { instanceOf: RangeError, message: /ends with CR/ });
  t.throws(() => any.encode(bytes('a\nb')), { instanceOf: RangeError });
  t.throws(() => new LineCodec({ maxLineLength: 4 }).encode(bytes('abcde')), { instanceOf: RangeError });
  t.throws(() => new LineCodec({ maxLineLength: 4, ending: 'crlf' }).encode(bytes('a\r\nb')), { instanceOf: RangeError });
});

test('LineCodec refuses a bad maxLineLength and calls after end', (t) => {
  t.throws(() => new LineCodec({ maxLineLength: 1.5 }), { instanceOf: RangeError });
  const codec = new LineCodec({ maxLineLength: 4 });
  codec.end(() => t.fail());
  t.throws(() => codec.feed(bytes('a'), () => t.fail()), { message: /already ended/ });
});
