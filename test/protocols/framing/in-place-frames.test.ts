// The codecs' hot path: frames lying whole in a chunk are emitted as views of it, never copies, also
// when that chunk first completes a frame begun in the chunk before; a frame cut across chunks is
// joined. (Every split agreeing with the unsplit stream is checked in each codec's own tests.)
import test, { type ExecutionContext } from 'ava';
import type { Codec } from '../../../src/protocols/framing/codec.js';
import { DelimitedCodec } from '../../../src/protocols/framing/delimited-codec.js';
import { FixedLengthCodec } from '../../../src/protocols/framing/fixed-length-codec.js';
import { LengthPrefixedCodec } from '../../../src/protocols/framing/length-prefixed-codec.js';
import { LineCodec } from '../../../src/protocols/framing/line-codec.js';
import { NetstringCodec } from '../../../src/protocols/framing/netstring-codec.js';
import { TypePrefixedCodec } from '../../../src/protocols/framing/type-prefixed-codec.js';
import { bytes, texts } from '../../helpers/splits.js';

/** A frame as text, and whether it is a view into `chunk` (rather than a copy or another chunk's view). */
function shown(frame: Uint8Array, chunk: Uint8Array): string {
  const isInChunk = frame.buffer === chunk.buffer && frame.byteOffset >= chunk.byteOffset;
  return `${texts([frame]).join('')}${isInChunk ? ' (view)' : ''}`;
}

/**
 * Feeds `chunks` (each copied into its own ArrayBuffer, as a socket would deliver them) and checks
 * each frame's text and whether it is a view of the chunk it was emitted from.
 */
function checkInPlace<F>(
  t: ExecutionContext,
  codec: Codec<F>,
  chunks: readonly (string | Uint8Array)[],
  expected: readonly string[],
  show: (frame: F, chunk: Uint8Array) => string,
): void {
  const seen: string[] = [];
  for (const part of chunks) {
    const chunk = Uint8Array.from(typeof part === 'string' ? bytes(part) : part);
    codec.feed(chunk, (frame) => seen.push(show(frame, chunk)));
  }
  codec.end(() => t.fail('nothing is left for end to emit'));
  t.deepEqual(seen, expected);
}

test('LineCodec emits the lines whole in a chunk as views of it, and joins the one cut across chunks', (t) => {
  checkInPlace(t, new LineCodec({ maxLineLength: 8 }), ['one\ntwo\nthr', 'ee\nfour\n'], ['one (view)', 'two (view)', 'three', 'four (view)'], shown);
});

test('DelimitedCodec with a two-byte delimiter cut across chunks still emits what follows in place', (t) => {
  const codec = new DelimitedCodec({ delimiter: '\r\n', maxFrameLength: 8 });
  checkInPlace(t, codec, ['ab\r\ncd\r', '\nef\r\n'], ['ab (view)', 'cd', 'ef (view)'], shown);
});

test('FixedLengthCodec emits whole frames in place and completes the partial one from the next chunk', (t) => {
  checkInPlace(t, new FixedLengthCodec({ frameLength: 3 }), ['abcdefg', 'hijkl'], ['abc (view)', 'def (view)', 'ghi', 'jkl (view)'], shown);
});

test('NetstringCodec emits payloads in place when the payload and its comma are in the chunk', (t) => {
  checkInPlace(t, new NetstringCodec({ maxFrameLength: 8 }), ['2:ab,3:cd', 'e,1:f,'], ['ab (view)', 'cde', 'f (view)'], shown);
});

test('LengthPrefixedCodec reads headers in place, and completes a frame whose header and body were cut', (t) => {
  const codec = new LengthPrefixedCodec({ lengthFieldLength: 2, maxFrameLength: 8 });
  const chunks = [Uint8Array.of(0, 2, 0x61, 0x62, 0), Uint8Array.of(2, 0x63), Uint8Array.of(0x64, 0, 1, 0x65)];
  checkInPlace(t, codec, chunks, ['ab (view)', 'cd', 'e (view)'], shown);
});

test('TypePrefixedCodec emits payloads in place between frames, and queues only the frame cut short', (t) => {
  const types = { 1: { kind: 'fixed', length: 2 }, 2: { kind: 'length-field', lengthFieldLength: 1 } } as const;
  const codec = new TypePrefixedCodec({ types, maxFrameLength: 8 });
  const chunks = [Uint8Array.of(1, 0x61, 0x62, 2, 2, 0x63), Uint8Array.of(0x64, 1, 0x65, 0x66)];
  checkInPlace(t, codec, chunks, ['1:ab (view)', '2:cd', '1:ef (view)'], (frame, chunk) => `${frame.type}:${shown(frame.payload, chunk)}`);
});
