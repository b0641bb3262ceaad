// Utf8Codec with no sockets: one string per frame, strict both ways, stacked on a LineCodec.
import test from 'ava';
import { FrameSyntaxError, isRecoverable, type Codec } from '../../../src/protocols/framing/codec.js';
import { LineCodec } from '../../../src/protocols/framing/line-codec.js';
import { Utf8Codec } from '../../../src/protocols/framing/utf8-codec.js';
import { bytes, checkSplits, decode, randomInt, seededRandom } from '../../helpers/splits.js';

/** A LineCodec under a Utf8Codec, as one codec from bytes to strings (what FramingLayer stacks do). */
function utf8Lines(): Codec<string> {
  const lines = new LineCodec({ maxLineLength: 32, ending: 'any' });
  const text = new Utf8Codec();
  return {
    feed: (chunk, emit) => lines.feed(chunk, (line) => text.feed(line, emit)),
    end: (emit) => {
      lines.end((line) => text.feed(line, emit));
      text.end(emit);
    },
    encode: (line) => lines.encode(text.encode(line)),
  };
}

test('Utf8Codec decodes each frame into one string, multi-byte characters split across chunks included', (t) => {
  const { frames, error } = checkSplits(t, utf8Lines, 'héllo\r\n\n日本語\n🎉!\n');
  t.is(error, undefined);
  t.deepEqual(frames, ['héllo', '', '日本語', '🎉!']);
});

test('Utf8Codec keeps a byte order mark', (t) => {
  t.deepEqual(decode(new Utf8Codec(), [Uint8Array.of(0xef, 0xbb, 0xbf, 0x61)]).frames, ['\ufeffa']);
});

test('Utf8Codec rejects a frame of invalid UTF-8 recoverably and decodes the next frame', (t) => {
  const codec = new Utf8Codec();
  const emitted: string[] = [];
  codec.feed(bytes('ok'), (s) => emitted.push(s));
  for (const bad of [Uint8Array.of(0xff), Uint8Array.of(0xc3), Uint8Array.of(0xed, 0xa0, 0x80), Uint8Array.of(0xc0, 0xaf)]) {
    const error = decode(new Utf8Codec(), [bad]).error;
    t.true(error instanceof FrameSyntaxError);
    t.true((error as Error).cause instanceof TypeError);
  }
  const error = t.throws(() => codec.feed(Uint8Array.of(0x80), () => t.fail()), {
    instanceOf: FrameSyntaxError,
    message: 'Cannot decode frame: invalid UTF-8',
  });
  t.true(error?.recoverable);
  t.true(isRecoverable(error));
  codec.feed(bytes('fine'), (s) => emitted.push(s));
  t.deepEqual(emitted, ['ok', 'fine']);
  const split = checkSplits(t, utf8Lines, Uint8Array.of(0x61, 0x0a, 0xc3, 0x0a, 0x62, 0x0a));
  t.deepEqual(split.frames, ['a']);
  t.true(split.error instanceof FrameSyntaxError);
});

test('Utf8Codec round-trips seeded random strings', (t) => {
  const random = seededRandom(8);
  const pool = ['a', 'é', '€', '𝄞', '\u0000', ' ', '\ufeff'];
  const codec = new Utf8Codec();
  for (let round = 0; round < 100; round += 1) {
    const text = Array.from({ length: randomInt(random, 20) }, () => pool[randomInt(random, pool.length)]).join('');
    t.deepEqual(decode(new Utf8Codec(), [codec.encode(text)]).frames, [text]);
  }
});

test('Utf8Codec refuses to encode a lone surrogate', (t) => {
  const codec = new Utf8Codec();
  t.throws(() => codec.encode('a\ud800b'), { instanceOf: RangeError, message: /lone surrogate/ });
  t.throws(() => codec.encode('\udfff'), { instanceOf: RangeError });
  t.deepEqual([...codec.encode('𝄞')], [0xf0, 0x9d, 0x84, 0x9e]);
});

test('Utf8Codec ends without emitting and refuses calls after end', (t) => {
  const codec = new Utf8Codec();
  codec.end(() => t.fail());
  t.throws(() => codec.feed(bytes('a'), () => t.fail()), { message: /already ended/ });
});
