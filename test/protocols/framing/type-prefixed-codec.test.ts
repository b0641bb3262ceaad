// TypePrefixedCodec with no sockets: fixed and length-field types, unknown types, limits, EOF and a
// seeded round trip.
import test from 'ava';
import { FrameSyntaxError, FrameTooLongError } from '../../../src/protocols/framing/codec.js';
import {
  TypePrefixedCodec,
  type MessageTypeSpec,
  type TypedFrame,
  type TypePrefixedCodecOptions,
} from '../../../src/protocols/framing/type-prefixed-codec.js';
import { bytes, checkSplits, decode, join, randomBytes, randomInt, seededRandom } from '../../helpers/splits.js';

const hex = (text: string): Uint8Array => Uint8Array.from(Buffer.from(text.replace(/\s+/g, ''), 'hex'));
const TYPES = {
  1: { kind: 'fixed', length: 2 },
  2: { kind: 'length-field', lengthFieldLength: 1 },
  3: { kind: 'length-field', lengthFieldLength: 2, byteOrder: 'little' },
  4: { kind: 'fixed', length: 0 },
  200: { kind: 'length-field', lengthFieldLength: 8 },
} as const satisfies Record<number, MessageTypeSpec>;
const codec = (maxFrameLength = 16): TypePrefixedCodec => new TypePrefixedCodec({ types: TYPES, maxFrameLength });
const shown = (frames: readonly TypedFrame[]): string[] => frames.map(({ type, payload }) => `${type}:${new TextDecoder().decode(payload)}`);

test('TypePrefixedCodec decodes fixed and length-field types however the input is split', (t) => {
  const input = join([
    ...[hex('01'), bytes('hi'), hex('02 03'), bytes('abc'), hex('04 03 0100'), bytes('z')],
    ...[hex('02 00 c8 0000000000000001'), bytes('!')],
  ]);
  const { frames, error } = checkSplits(t, codec, input);
  t.is(error, undefined);
  t.deepEqual(shown(frames), ['1:hi', '2:abc', '4:', '3:z', '2:', '200:!']);
});

test('TypePrefixedCodec emits an empty payload as soon as its length field is in, at a chunk end too', (t) => {
  const { frames, error } = checkSplits(t, codec, join([hex('02 01'), bytes('a'), hex('03 0000 02 00')]));
  t.is(error, undefined);
  t.deepEqual(shown(frames), ['2:a', '3:', '2:']);
  const split = codec();
  const seen: TypedFrame[] = [];
  split.feed(hex('02 01 61 02'), (frame) => seen.push(frame));
  split.feed(hex('00'), (frame) => seen.push(frame));
  t.deepEqual(shown(seen), ['2:a', '2:']);
});

test('TypePrefixedCodec takes its types from a Map as well', (t) => {
  const fromMap = new TypePrefixedCodec({ types: new Map<number, MessageTypeSpec>([[7, { kind: 'fixed', length: 1 }]]), maxFrameLength: 4 });
  t.deepEqual(shown(decode(fromMap, [hex('07 41 07 42')]).frames), ['7:A', '7:B']);
});

test('TypePrefixedCodec rejects an unknown type after the frames before it', (t) => {
  const { frames, error } = checkSplits(t, codec, join([hex('01'), bytes('ok'), hex('09 00 00')]), { end: false });
  t.deepEqual(shown(frames), ['1:ok']);
  t.true(error instanceof FrameSyntaxError);
  t.is((error as Error).message, 'Cannot decode frame: unknown message type 9');
});

test('TypePrefixedCodec rejects an oversized length as soon as the field is in', (t) => {
  const decoder = codec(16);
  decoder.feed(hex('03'), () => t.fail());
  const error = t.throws(() => decoder.feed(hex('1100'), () => t.fail()), { instanceOf: FrameTooLongError });
  t.like(error, { limit: 16, length: 17 });
  t.is(t.throws(() => decoder.feed(hex('01'), () => t.fail())), error);
  const split = checkSplits(t, codec, join([hex('02 01'), bytes('a'), hex('c8 ffffffffffffffff')]), { end: false });
  t.deepEqual(shown(split.frames), ['2:a']);
  t.like(split.error, { limit: 16, atLeast: 2 ** 53 });
});

test('TypePrefixedCodec rejects EOF inside a frame', (t) => {
  for (const input of ['01 41', '02', '03 01', '02 02 41']) {
    t.true(checkSplits(t, codec, hex(input)).error instanceof FrameSyntaxError, input);
  }
  t.deepEqual(checkSplits(t, codec, new Uint8Array(0)).frames, []);
});

test('TypePrefixedCodec round-trips seeded random frames', (t) => {
  const random = seededRandom(5);
  const types = [1, 2, 3, 4, 200] as const;
  const frames = Array.from({ length: 60 }, (): TypedFrame => {
    const type = types[randomInt(random, types.length)] ?? 1;
    const spec: MessageTypeSpec = TYPES[type];
    return { type, payload: randomBytes(random, spec.kind === 'fixed' ? spec.length : randomInt(random, 17)) };
  });
  const wire = join(frames.map((frame) => codec().encode(frame)));
  const decoded = decode(codec(), [wire]).frames;
  const plain = (list: readonly TypedFrame[]): unknown => list.map(({ type, payload }) => ({ type, payload: [...payload] }));
  t.deepEqual(plain(decoded), plain(frames));
  t.deepEqual(join(decoded.map((frame) => codec().encode(frame))), wire);
  checkSplits(t, codec, join(frames.slice(0, 8).map((frame) => codec().encode(frame))));
});

test('TypePrefixedCodec encodes only what it would decode back', (t) => {
  t.deepEqual(codec().encode({ type: 3, payload: bytes('ab') }), join([hex('03 0200'), bytes('ab')]));
  t.throws(() => codec().encode({ type: 9, payload: bytes('ab') }), { instanceOf: RangeError, message: /unknown message type 9/ });
  t.throws(() => codec().encode({ type: 1, payload: bytes('abc') }), { instanceOf: RangeError, message: /2-byte payloads, not 3/ });
  t.throws(() => codec(2).encode({ type: 2, payload: bytes('abc') }), { instanceOf: RangeError, message: /exceeds the limit of 2/ });
  const oneByte = new TypePrefixedCodec({ types: { 2: { kind: 'length-field', lengthFieldLength: 1 } }, maxFrameLength: 300 });
  t.throws(() => oneByte.encode({ type: 2, payload: new Uint8Array(256) }), { instanceOf: RangeError });
});

test('TypePrefixedCodec checks its type table', (t) => {
  const make = (types: TypePrefixedCodecOptions['types'], maxFrameLength = 4) => () => new TypePrefixedCodec({ types, maxFrameLength });
  t.throws(make({ 256: { kind: 'fixed', length: 1 } }), { instanceOf: RangeError, message: /256 is not a byte/ });
  t.throws(make(new Map<number, MessageTypeSpec>([[-1, { kind: 'fixed', length: 1 }]])), { instanceOf: RangeError });
  t.throws(make({ 1: { kind: 'fixed', length: 5 } }), { instanceOf: RangeError, message: /exceeds maxFrameLength/ });
  t.throws(make({ 1: { kind: 'fixed', length: -1 } }), { instanceOf: RangeError });
  t.throws(make({ 1: { kind: 'length-field', lengthFieldLength: Number('3') as 1 } }), { instanceOf: RangeError });
  t.throws(make({}, -1), { instanceOf: RangeError });
});
