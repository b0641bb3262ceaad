// Property tests for every framing codec: random bytes never throw anything but the typed protocol
// errors and never loop; valid frames encoded, concatenated and cut at random decode back.
import test, { type ExecutionContext } from 'ava';
import fc from 'fast-check';
import { type Codec, FrameSyntaxError, FrameTooLongError } from '../../src/protocols/framing/codec.js';
import { DelimitedCodec } from '../../src/protocols/framing/delimited-codec.js';
import { FixedLengthCodec } from '../../src/protocols/framing/fixed-length-codec.js';
import { JsonCodec } from '../../src/protocols/framing/json-codec.js';
import { LengthPrefixedCodec } from '../../src/protocols/framing/length-prefixed-codec.js';
import { LineCodec } from '../../src/protocols/framing/line-codec.js';
import { NetstringCodec } from '../../src/protocols/framing/netstring-codec.js';
import { ReadToEofCodec } from '../../src/protocols/framing/read-to-eof-codec.js';
import { TypePrefixedCodec, type TypedFrame } from '../../src/protocols/framing/type-prefixed-codec.js';
import { Utf8Codec } from '../../src/protocols/framing/utf8-codec.js';
import { cut } from '../helpers/splits.js';
import { FUZZ } from '../helpers/fuzz-config.js';

interface Case<F> {
  readonly name: string;
  readonly make: () => Codec<F, Uint8Array>;
  /** Frames the codec can encode and decode back unchanged. */
  readonly frames: fc.Arbitrary<F[]>;
  readonly same: (a: F, b: F) => boolean;
  /** Codecs whose frames only end at EOF (read-to-EOF) take one frame at a time. */
  readonly single?: boolean;
}

const bytesEqual = (a: Uint8Array, b: Uint8Array): boolean => Buffer.from(a).equals(Buffer.from(b));
const noByte = (byte: number) => fc.uint8Array({ maxLength: 200 }).map((b) => b.filter((x) => x !== byte));

const CASES: readonly Case<unknown>[] = [
  { name: 'FixedLengthCodec', make: () => new FixedLengthCodec({ frameLength: 7 }), frames: fc.array(fc.uint8Array({ minLength: 7, maxLength: 7 }), { maxLength: 8 }), same: bytesEqual },
  { name: 'DelimitedCodec', make: () => new DelimitedCodec({ delimiter: '\0', maxFrameLength: 256 }), frames: fc.array(noByte(0), { maxLength: 8 }), same: bytesEqual },
  { name: 'LineCodec', make: () => new LineCodec({ maxLineLength: 256, ending: 'crlf' }), frames: fc.array(noByte(0x0a).map((b) => b.filter((x) => x !== 0x0d)), { maxLength: 8 }), same: bytesEqual },
  { name: 'LengthPrefixedCodec', make: () => new LengthPrefixedCodec({ lengthFieldLength: 2, maxFrameLength: 512 }), frames: fc.array(fc.uint8Array({ maxLength: 300 }), { maxLength: 6 }), same: bytesEqual },
  { name: 'NetstringCodec', make: () => new NetstringCodec({ maxFrameLength: 512 }), frames: fc.array(fc.uint8Array({ maxLength: 300 }), { maxLength: 6 }), same: bytesEqual },
  { name: 'ReadToEofCodec', make: () => new ReadToEofCodec({ maxFrameLength: 4096 }), frames: fc.array(fc.uint8Array({ maxLength: 1000 }), { minLength: 1, maxLength: 1 }), same: bytesEqual, single: true },
  {
    name: 'TypePrefixedCodec',
    make: () => new TypePrefixedCodec({ types: { 1: { kind: 'fixed', length: 4 }, 2: { kind: 'length-field', lengthFieldLength: 2 } }, maxFrameLength: 512 }),
    frames: fc.array(
      fc.oneof(
        fc.uint8Array({ minLength: 4, maxLength: 4 }).map((payload): TypedFrame => ({ type: 1, payload })),
        fc.uint8Array({ maxLength: 300 }).map((payload): TypedFrame => ({ type: 2, payload })),
      ),
      { maxLength: 6 },
    ),
    same: (a, b) => {
      const x = a as TypedFrame;
      const y = b as TypedFrame;
      return x.type === y.type && bytesEqual(x.payload, y.payload);
    },
  },
] as readonly Case<unknown>[];

function decodeAll<F>(codec: Codec<F, Uint8Array>, chunks: readonly Uint8Array[]): { frames: F[]; error?: unknown } {
  const frames: F[] = [];
  try {
    for (const chunk of chunks) codec.feed(chunk, (f) => frames.push(f));
    codec.end((f) => frames.push(f));
  } catch (error) {
    return { frames, error };
  }
  return { frames };
}


/** Runs `property` and asserts it held on every run, with fast-check's counterexample report if not. */
function holds<T>(t: ExecutionContext, property: fc.IProperty<T>): void {
  const details = fc.check(property, FUZZ);
  t.false(details.failed, fc.defaultReportMessage(details) ?? 'the property failed');
  t.true(details.numRuns > 0, 'the property ran');
}

const typed = (error: unknown): boolean => error === undefined || error instanceof FrameTooLongError || error instanceof FrameSyntaxError;

for (const c of CASES) {
  test(`${c.name} on random bytes throws only FrameTooLongError or FrameSyntaxError`, (t) => {
    holds(t, fc.property(fc.array(fc.uint8Array({ maxLength: 400 }), { maxLength: 8 }), (chunks) => typed(decodeAll(c.make(), chunks).error)));
  });

  test(`${c.name} decodes encoded frames back, however the bytes are cut`, (t) => {
    holds(
      t,
      fc.property(c.frames, fc.array(fc.nat(), { maxLength: 10 }), (frames, points) => {
        const encoder = c.make();
        const wire = Buffer.concat(frames.map((f) => encoder.encode(f)));
        const { frames: back, error } = decodeAll(c.make(), cut(wire, points));
        return error === undefined && back.length === frames.length && back.every((f, i) => c.same(f, frames[i]));
      }),
    );
  });
}

test('Utf8Codec and JsonCodec on random frames throw only FrameSyntaxError or FrameTooLongError', (t) => {
  holds(
    t,
    fc.property(fc.uint8Array({ maxLength: 200 }), (frame) => {
      for (const codec of [new Utf8Codec(), new JsonCodec({ maxDepth: 8 })] as Codec<unknown>[]) {
        try {
          codec.feed(frame, () => {});
        } catch (error) {
          if (!typed(error)) return false;
        }
      }
      return true;
    }),
  );
});

test('JsonCodec round-trips JSON values', (t) => {
  holds(
    t,
    fc.property(fc.jsonValue({ maxDepth: 4 }), (value) => {
      const codec = new JsonCodec({ maxDepth: 16 });
      const out: unknown[] = [];
      codec.feed(codec.encode(value), (v) => out.push(v));
      return JSON.stringify(out[0]) === JSON.stringify(JSON.parse(JSON.stringify(value)));
    }),
  );
});
