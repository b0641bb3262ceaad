// JsonCodec with no sockets: one value per frame, parse errors, the depth limit, and JSON Lines on a
// LineCodec split every way.
import test from 'ava';
import { FrameSyntaxError, type Codec } from '../../../src/protocols/framing/codec.js';
import { JsonCodec } from '../../../src/protocols/framing/json-codec.js';
import { LineCodec } from '../../../src/protocols/framing/line-codec.js';
import { bytes, checkSplits, decode, randomInt, seededRandom } from '../../helpers/splits.js';

/** JSON Lines: a LineCodec under a JsonCodec, as one codec from bytes to values. */
function jsonLines(maxDepth?: number): Codec<unknown> {
  const lines = new LineCodec({ maxLineLength: 64 });
  const json = new JsonCodec(maxDepth === undefined ? {} : { maxDepth });
  return {
    feed: (chunk, emit) => lines.feed(chunk, (line) => json.feed(line, emit)),
    end: (emit) => {
      lines.end((line) => json.feed(line, emit));
      json.end(emit);
    },
    encode: (value) => lines.encode(json.encode(value)),
  };
}

test('JsonCodec decodes JSON Lines however the input is split', (t) => {
  const { frames, error } = checkSplits(t, () => jsonLines(), '{"a":1}\n[1,"x"]\nnull\n"\u00e9"\n');
  t.is(error, undefined);
  t.deepEqual(frames, [{ a: 1 }, [1, 'x'], null, 'é']);
});

test('JsonCodec rejects invalid JSON after the values before it', (t) => {
  const { frames, error } = checkSplits(t, () => jsonLines(), '1\n{"a":\n2\n');
  t.deepEqual(frames, [1]);
  t.true(error instanceof FrameSyntaxError);
  t.is((error as Error).message, 'Cannot decode frame: invalid JSON');
  t.true((error as Error).cause instanceof SyntaxError);
  t.true(decode(new JsonCodec(), [new Uint8Array(0)]).error instanceof FrameSyntaxError);
  t.true(decode(new JsonCodec(), [Uint8Array.of(0x22, 0xff, 0x22)]).error instanceof FrameSyntaxError);
});

test('JsonCodec rejects nesting deeper than maxDepth, not counting brackets in strings', (t) => {
  const codec = (): JsonCodec => new JsonCodec({ maxDepth: 2 });
  t.deepEqual(decode(codec(), [bytes('[[1],{"a":2}]')]).frames, [[[1], { a: 2 }]]);
  t.deepEqual(decode(codec(), [bytes('["[[[[", "\\"[[[", {"}}": "{{{"}]')]).frames, [['[[[[', '"[[[', { '}}': '{{{' }]]);
  t.deepEqual(decode(new JsonCodec({ maxDepth: 0 }), [bytes('"[]"')]).frames, ['[]']);
  const { error } = decode(codec(), [bytes('[[[1]]]')]);
  t.true(error instanceof FrameSyntaxError);
  t.is((error as Error).message, 'Cannot decode frame: JSON nested deeper than 2');
  t.true(checkSplits(t, () => jsonLines(1), '[1]\n[{}]\n').error instanceof FrameSyntaxError);
  t.true(decode(new JsonCodec({ maxDepth: 100 }), [bytes('['.repeat(101) + ']'.repeat(101))]).error instanceof FrameSyntaxError);
  t.throws(() => new JsonCodec({ maxDepth: -1 }), { instanceOf: RangeError });
});

test('JsonCodec round-trips seeded random values', (t) => {
  const random = seededRandom(4);
  const value = (depth: number): unknown => {
    const pick = randomInt(random, depth > 3 ? 4 : 6);
    if (pick === 0) return randomInt(random, 1000) - 500;
    if (pick === 1) return ['', 'a"b', 'é\n', '\\'][randomInt(random, 4)];
    if (pick === 2) return [true, false, null][randomInt(random, 3)];
    if (pick === 3) return randomInt(random, 100) / 8;
    if (pick === 4) return Array.from({ length: randomInt(random, 4) }, () => value(depth + 1));
    return Object.fromEntries(Array.from({ length: randomInt(random, 4) }, (_, i) => [`k${i}`, value(depth + 1)]));
  };
  const codec = new JsonCodec();
  for (let round = 0; round < 100; round += 1) {
    const v = value(0);
    const encoded = codec.encode(v);
    t.deepEqual(decode(new JsonCodec(), [encoded]).frames, [v]);
    t.deepEqual(codec.encode(decode(new JsonCodec(), [encoded]).frames[0]), encoded);
  }
});

test('JsonCodec refuses to encode what JSON cannot hold', (t) => {
  const codec = new JsonCodec();
  t.throws(() => codec.encode(undefined), { instanceOf: TypeError, message: 'Cannot encode undefined as JSON' });
  t.throws(() => codec.encode(() => 1), { instanceOf: TypeError });
  t.throws(() => codec.encode(1n), { instanceOf: TypeError });
  const cycle: Record<string, unknown> = {};
  cycle['self'] = cycle;
  t.throws(() => codec.encode(cycle), { instanceOf: TypeError });
});

test('JsonCodec keeps its type parameter and refuses calls after end', (t) => {
  const codec = new JsonCodec<{ readonly id: number }>();
  const ids: number[] = [];
  codec.feed(bytes('{"id":7}'), (message) => ids.push(message.id));
  t.deepEqual(ids, [7]);
  codec.end(() => t.fail());
  t.throws(() => codec.end(() => t.fail()), { message: /already ended/ });
});
