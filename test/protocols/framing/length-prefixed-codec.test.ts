// LengthPrefixedCodec with no sockets: every field size and byte order, Netty's layouts, limits
// checked from the header alone, malformed lengths, EOF and a seeded round trip.
import test from 'ava';
import { FrameSyntaxError, FrameTooLongError } from '../../../src/protocols/framing/codec.js';
import {
  LengthPrefixedCodec,
  type LengthFieldLength,
  type LengthPrefixedCodecOptions,
} from '../../../src/protocols/framing/length-prefixed-codec.js';
import { bytes, checkSplits, decode, join, randomBytes, randomInt, seededRandom, texts } from '../../helpers/splits.js';

const hex = (text: string): Uint8Array => Uint8Array.from(Buffer.from(text.replace(/\s+/g, ''), 'hex'));
const codec = (options: Partial<LengthPrefixedCodecOptions> = {}): LengthPrefixedCodec =>
  new LengthPrefixedCodec({ lengthFieldLength: 2, maxFrameLength: 64, ...options });

test('LengthPrefixedCodec decodes 2-byte big-endian frames, empty ones included, however the input is split', (t) => {
  const { frames, error } = checkSplits(t, () => codec(), join([hex('0005'), bytes('hello'), hex('0000 0002'), bytes('ab'), hex('0000')]));
  t.is(error, undefined);
  t.deepEqual(texts(frames), ['hello', '', 'ab', '']);
});

test('LengthPrefixedCodec reads every field size in both byte orders', (t) => {
  const cases: [LengthFieldLength, 'big' | 'little', string][] = [
    [1, 'big', '03'],
    [2, 'little', '0300'],
    [4, 'big', '00000003'],
    [4, 'little', '03000000'],
    [8, 'big', '0000000000000003'],
    [8, 'little', '0300000000000000'],
  ];
  for (const [lengthFieldLength, byteOrder, field] of cases) {
    const make = (): LengthPrefixedCodec => codec({ lengthFieldLength, byteOrder });
    const { frames } = checkSplits(t, make, join([hex(field), bytes('abc'), hex(field), bytes('xyz')]));
    t.deepEqual(texts(frames), ['abc', 'xyz'], `${lengthFieldLength} ${byteOrder}`);
    t.deepEqual(make().encode(bytes('abc')), join([hex(field), bytes('abc')]));
  }
});

test('LengthPrefixedCodec rejects a length of 2^32-1 as soon as the header is in', (t) => {
  const decoder = new LengthPrefixedCodec({ lengthFieldLength: 4, maxFrameLength: 64 * 1024 });
  decoder.feed(hex('0000 0001 41'), (frame) => t.deepEqual(texts([frame]), ['A']));
  decoder.feed(hex('ffff'), () => t.fail());
  const error = t.throws(() => decoder.feed(hex('ffff'), () => t.fail()), { instanceOf: FrameTooLongError });
  t.like(error, { code: 'ERR_FRAME_TOO_LONG', limit: 65536, length: 2 ** 32 - 1, atLeast: undefined });
  t.is(error?.message, 'Cannot decode frame: length 4294967295 exceeds the limit of 65536 bytes');
  t.is(t.throws(() => decoder.feed(hex('00'), () => t.fail())), error);
  t.is(t.throws(() => decoder.end(() => t.fail())), error);
});

test('LengthPrefixedCodec rejects an oversized frame split across chunks, after the frames before it', (t) => {
  const { frames, error } = checkSplits(t, () => codec({ maxFrameLength: 4 }), join([hex('0002'), bytes('ok'), hex('0005'), bytes('hello')]));
  t.deepEqual(texts(frames), ['ok']);
  t.true(error instanceof FrameTooLongError);
  t.like(error, { limit: 4, length: 5 });
});

test('LengthPrefixedCodec rejects an 8-byte length beyond Number.MAX_SAFE_INTEGER', (t) => {
  const { frames, error } = checkSplits(t, () => codec({ lengthFieldLength: 8 }), hex('0020 0000 0000 0000'), { end: false });
  t.deepEqual(frames, []);
  t.like(error, { limit: 64, atLeast: 2 ** 53, length: undefined });
  const largestSafe = decode(codec({ lengthFieldLength: 8, byteOrder: 'little' }), [hex('ffff ffff ffff 1f00')]);
  t.like(largestSafe.error, { length: Number.MAX_SAFE_INTEGER });
});

test('LengthPrefixedCodec follows Netty: a header kept, and a length that counts the header', (t) => {
  // Netty's example 3: lengthAdjustment -2 there is lengthIncludesHeader here; no bytes stripped.
  const whole = join([hex('000e'), bytes('HELLO, WORLD')]);
  const { frames } = checkSplits(t, () => codec({ lengthIncludesHeader: true, initialBytesToStrip: 0 }), whole);
  t.deepEqual(frames, [whole]);
  t.deepEqual(codec({ lengthIncludesHeader: true }).encode(bytes('HELLO, WORLD')), whole);
});

test('LengthPrefixedCodec follows Netty: an offset field, an adjustment and a partial strip', (t) => {
  // Netty's example 6: HDR1 (1 byte), length (2), HDR2 (1), body; strip HDR1 and the length.
  const input = join([hex('ca 000c fe'), bytes('HELLO, WORLD'), hex('cb 0000 ff')]);
  const make = (): LengthPrefixedCodec => codec({ lengthFieldOffset: 1, lengthAdjustment: 1, initialBytesToStrip: 3 });
  const { frames, error } = checkSplits(t, make, input);
  t.is(error, undefined);
  t.deepEqual(frames, [join([hex('fe'), bytes('HELLO, WORLD')]), hex('ff')]);
  // encode takes what follows the field (HDR2 and body) and writes the bytes before it as zeros.
  t.deepEqual(make().encode(join([hex('fe'), bytes('HELLO, WORLD')])), join([hex('00 000c fe'), bytes('HELLO, WORLD')]));
});

test('LengthPrefixedCodec rejects a length that ends the frame inside its header', (t) => {
  const { frames, error } = checkSplits(t, () => codec({ lengthIncludesHeader: true }), join([hex('0003 41 0001')]), { end: false });
  t.deepEqual(texts(frames), ['A']);
  t.true(error instanceof FrameSyntaxError);
  t.regex(String(error), /length field 1 makes a frame of 1 bytes, fewer than the 2/);
  const stripped = decode(codec({ initialBytesToStrip: 5 }), [hex('0002 4142')]);
  t.true(stripped.error instanceof FrameSyntaxError);
});

test('LengthPrefixedCodec rejects EOF inside a header or a body', (t) => {
  t.true(checkSplits(t, () => codec(), hex('00')).error instanceof FrameSyntaxError);
  const body = checkSplits(t, () => codec(), hex('0001 41 0002 41'));
  t.deepEqual(texts(body.frames), ['A']);
  t.true(body.error instanceof FrameSyntaxError);
  t.deepEqual(checkSplits(t, () => codec(), new Uint8Array(0)).frames, []);
});

test('LengthPrefixedCodec round-trips seeded random frames', (t) => {
  const random = seededRandom(11);
  const layouts: Partial<LengthPrefixedCodecOptions>[] = [
    {},
    { lengthFieldLength: 1 },
    { lengthFieldLength: 4, byteOrder: 'little' },
    { lengthFieldLength: 8 },
    { lengthFieldOffset: 3 },
    { lengthIncludesHeader: true, lengthFieldOffset: 1 },
    { lengthAdjustment: -1 },
  ];
  for (const layout of layouts) {
    const frames = Array.from({ length: 30 }, () => randomBytes(random, randomInt(random, 65)));
    const wire = join(frames.map((frame) => codec(layout).encode(frame)));
    const decoded = decode(codec(layout), [wire]);
    t.deepEqual(decoded.frames, frames, JSON.stringify(layout));
    t.deepEqual(join(decoded.frames.map((frame) => codec(layout).encode(frame))), wire);
  }
  const few = Array.from({ length: 6 }, () => randomBytes(random, randomInt(random, 12)));
  t.deepEqual(checkSplits(t, () => codec({ lengthFieldOffset: 1 }), join(few.map((f) => codec({ lengthFieldOffset: 1 }).encode(f)))).frames, few);
});

test('LengthPrefixedCodec encodes only what it would decode back', (t) => {
  const oneByte = codec({ maxFrameLength: 300, lengthFieldLength: 1 });
  t.throws(() => oneByte.encode(new Uint8Array(256)), { instanceOf: RangeError, message: /does not fit in 1 bytes/ });
  t.throws(() => codec({ maxFrameLength: 4 }).encode(new Uint8Array(5)), {
    instanceOf: RangeError,
    message: 'Cannot encode frame: length 5 exceeds the limit of 4 bytes',
  });
  t.throws(() => codec({ lengthAdjustment: 3 }).encode(new Uint8Array(2)), { instanceOf: RangeError });
  t.deepEqual(codec({ lengthAdjustment: 3 }).encode(bytes('abc')), join([hex('0000'), bytes('abc')]));
});

test('LengthPrefixedCodec checks its options', (t) => {
  t.throws(() => codec({ lengthFieldLength: Number('3') as LengthFieldLength }), { instanceOf: RangeError, message: /lengthFieldLength/ });
  t.throws(() => codec({ lengthFieldOffset: -1 }), { instanceOf: RangeError, message: /lengthFieldOffset/ });
  t.throws(() => codec({ lengthAdjustment: 0.5 }), { instanceOf: RangeError, message: /lengthAdjustment/ });
  t.throws(() => codec({ initialBytesToStrip: Number.NaN }), { instanceOf: RangeError, message: /initialBytesToStrip/ });
  t.throws(() => codec({ maxFrameLength: 2 ** 53 }), { instanceOf: RangeError, message: /maxFrameLength/ });
});
