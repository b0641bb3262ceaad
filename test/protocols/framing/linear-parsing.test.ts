// Parsing is linear in the bytes received however they are split: a 64 KiB frame fed one byte at a
// time costs each codec O(n) bytes scanned and copied in total. Counted (the codecs' counters), not
// timed; bench/codec.ts shows the time.
import test from 'ava';
import type { ByteCounters } from '../../../src/bytes/chunk-queue.js';
import { DelimitedCodec } from '../../../src/protocols/framing/delimited-codec.js';
import { LengthPrefixedCodec } from '../../../src/protocols/framing/length-prefixed-codec.js';
import { LineCodec } from '../../../src/protocols/framing/line-codec.js';
import { NetstringCodec } from '../../../src/protocols/framing/netstring-codec.js';

const N = 64 * 1024;
const payload = Buffer.alloc(N, 0x78);

interface Counted {
  feed(chunk: Uint8Array, emit: (frame: Uint8Array) => void): void;
  readonly counters: ByteCounters;
}

const CASES: Readonly<Record<string, { readonly make: () => Counted; readonly wire: Uint8Array }>> = {
  LineCodec: { make: () => new LineCodec({ maxLineLength: N }), wire: Buffer.concat([payload, Buffer.from('\n')]) },
  'DelimitedCodec (a 4-byte delimiter)': { make: () => new DelimitedCodec({ delimiter: '\r\n\r\n', maxFrameLength: N }), wire: Buffer.concat([payload, Buffer.from('\r\n\r\n')]) },
  LengthPrefixedCodec: { make: () => new LengthPrefixedCodec({ lengthFieldLength: 4, maxFrameLength: N }), wire: new LengthPrefixedCodec({ lengthFieldLength: 4, maxFrameLength: N }).encode(payload) },
  NetstringCodec: { make: () => new NetstringCodec({ maxFrameLength: N }), wire: new NetstringCodec({ maxFrameLength: N }).encode(payload) },
};

for (const [name, { make, wire }] of Object.entries(CASES)) {
  test(`${name}: a 64 KiB frame fed one byte at a time is scanned and copied O(n) in total, as fed whole`, (t) => {
    const byByte = make();
    const frames: Uint8Array[] = [];
    for (let i = 0; i < wire.length; i += 1) byByte.feed(wire.subarray(i, i + 1), (frame) => frames.push(frame));
    t.is(frames.length, 1);
    t.true(Buffer.from(frames[0] ?? []).equals(payload));
    const whole = make();
    whole.feed(wire, () => undefined);
    const { scanned, copied } = byByte.counters;
    t.true(scanned <= wire.length, `${scanned} bytes scanned for ${wire.length}`);
    t.true(copied <= wire.length, `${copied} bytes copied for ${wire.length}`);
    t.true(whole.counters.scanned <= wire.length && whole.counters.copied === 0, 'whole, the frame is a view: nothing copied');
  });
}
