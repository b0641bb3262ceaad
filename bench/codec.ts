// Decoding throughput, in-process: 64-byte frames fed in 16 KiB chunks (4 MiB per pass), through
// switchboard's LineCodec (63 bytes + LF) and LengthPrefixedCodec (4-byte big-endian length + 60
// bytes), against node:readline over the same line bytes (a Readable of the same chunks through
// readline.createInterface, counting 'line' events). A FramingLayer over a LineCodec, fed by a
// recording transport, shows what the layer adds per frame. Every pass checks the frame count.
import { Readable } from 'node:stream';
import { createInterface } from 'node:readline';
import type { Benchmark, BenchContext, BenchmarkResult, Row } from './lib/benchmark.js';
import { summarize } from './lib/stats.js';
import { LengthPrefixedCodec } from '../src/protocols/framing/length-prefixed-codec.js';
import { LineCodec } from '../src/protocols/framing/line-codec.js';
import { FramingLayer } from '../src/protocols/framing-layer.js';
import { connectRecording } from '../src/testing/recording-transport.js';

const FRAME = 64;
const CHUNK = 16 * 1024;
const FRAMES = 65_536; // 4 MiB per pass
const MAX_PASSES = 2000;

/** The byte stream, cut into CHUNK-sized chunks (each its own Buffer, as a socket would deliver). */
function chunksOf(stream: Buffer): Buffer[] {
  const out: Buffer[] = [];
  for (let at = 0; at < stream.length; at += CHUNK) out.push(Buffer.from(stream.subarray(at, at + CHUNK)));
  return out;
}

function lineBytes(): Buffer {
  const b = Buffer.alloc(FRAMES * FRAME, 'a');
  for (let i = 0; i < FRAMES; i++) b[i * FRAME + FRAME - 1] = 0x0a;
  return b;
}

function lengthPrefixedBytes(): Buffer {
  const b = Buffer.alloc(FRAMES * FRAME, 'a');
  for (let i = 0; i < FRAMES; i++) b.writeUInt32BE(FRAME - 4, i * FRAME);
  return b;
}

interface Method {
  readonly name: string;
  readonly role: Row['role'];
  /** Decodes one pass; resolves with the number of frames seen. */
  pass(): number | Promise<number>;
}

/** The methods compared, over `lines` (LF-ended frames) and `prefixed` (length-prefixed frames) chunks. */
function methods(lines: readonly Buffer[], prefixed: readonly Buffer[]): Method[] {
  return [
    {
      name: 'node:readline',
      role: 'baseline',
      pass: () =>
        new Promise<number>((resolve, reject) => {
          let n = 0;
          const input = Readable.from(lines, { objectMode: false });
          input.once('error', reject);
          const rl = createInterface({ input, crlfDelay: Infinity });
          rl.on('line', () => n++);
          rl.once('close', () => resolve(n));
        }),
    },
    {
      name: 'LineCodec',
      role: 'candidate',
      pass: () => {
        const codec = new LineCodec({ maxLineLength: 1024 });
        let n = 0;
        const emit = (): void => {
          n++;
        };
        for (const chunk of lines) codec.feed(chunk, emit);
        codec.end(emit);
        return n;
      },
    },
    {
      name: 'FramingLayer + LineCodec',
      role: 'candidate',
      pass: () => {
        let n = 0;
        const layer = new FramingLayer(new LineCodec({ maxLineLength: 1024 }), {
          connectionMade: () => undefined,
          dataReceived: () => {
            n++;
          },
          connectionLost: () => undefined,
        });
        const transport = connectRecording(layer);
        for (const chunk of lines) transport.receive(chunk);
        layer.eofReceived();
        return n;
      },
    },
    {
      name: 'LengthPrefixedCodec',
      role: 'candidate',
      pass: () => {
        const codec = new LengthPrefixedCodec({ lengthFieldLength: 4, maxFrameLength: 1024 });
        let n = 0;
        const emit = (): void => {
          n++;
        };
        for (const chunk of prefixed) codec.feed(chunk, emit);
        codec.end(emit);
        return n;
      },
    },
  ];
}

const budget = (ctx: BenchContext): number => (ctx.quick ? 1 : 2);

/** MB/s over at most MAX_PASSES passes or the time budget, after an unmeasured warm-up. */
async function throughput(m: Method, ctx: BenchContext): Promise<number> {
  const warmEnd = Date.now() + Math.min(ctx.warmupSeconds, 0.5) * 1000;
  let warm = 0;
  do {
    await m.pass();
    warm++;
  } while (Date.now() < warmEnd && warm < MAX_PASSES);
  const start = process.hrtime.bigint();
  const limit = BigInt(Math.round(budget(ctx) * 1e9));
  let passes = 0;
  let elapsed = 0n;
  while (passes < MAX_PASSES && elapsed < limit) {
    const n = await m.pass();
    if (n !== FRAMES) throw new Error(`${m.name} decoded ${n} frames, expected ${FRAMES}`);
    passes++;
    elapsed = process.hrtime.bigint() - start;
  }
  return (passes * FRAMES * FRAME) / 1e6 / (Number(elapsed) / 1e9);
}

export const codec: Benchmark = {
  name: 'codec',
  title: 'Frame decoding throughput, in-process: 64-byte frames in 16 KiB chunks',
  plan: (ctx) => {
    const steps = methods([], []).length * ctx.rounds;
    return { steps, seconds: steps * (budget(ctx) + 0.5) };
  },
  run: async (ctx): Promise<BenchmarkResult> => {
    const list = methods(chunksOf(lineBytes()), chunksOf(lengthPrefixedBytes()));
    const values = new Map<string, number[]>(list.map((m) => [m.name, []]));
    const baseline: number[] = [];
    for (let round = 0; round < ctx.rounds; round++) {
      for (const m of list) {
        ctx.progress.step(`codec ${m.name} · round ${round + 1}/${ctx.rounds}`);
        const v = await throughput(m, ctx);
        values.get(m.name)?.push(v);
        if (m.role === 'baseline') baseline[round] = v;
      }
    }
    const rows = list.map((m): Row => {
      const vs = values.get(m.name) ?? [];
      const ratios = vs.flatMap((v, round) => {
        const b = baseline[round];
        return b === undefined || b <= 0 ? [] : [v / b];
      });
      return { name: m.name, role: m.role, values: vs, value: summarize(vs), ratio: summarize(ratios) };
    });
    return {
      name: 'codec',
      title: codec.title,
      cases: [{ id: 'frames64', title: `${FRAMES.toLocaleString('en-US')} frames of ${FRAME} bytes (4 MiB) per pass, in ${CHUNK / 1024} KiB chunks`, unit: 'MB/s', higherIsBetter: true, baseline: 'node:readline over the same line bytes', rows }],
      notes: [
        `each figure: up to ${MAX_PASSES} passes or ${budget(ctx)} s, whichever ends first; every pass checks the frame count`,
        'LineCodec and node:readline read 63 bytes + LF per frame; LengthPrefixedCodec a 4-byte big-endian length + 60 bytes',
        'FramingLayer + LineCodec: the layer fed by a RecordingTransport from switchboard/testing, each line to a counting protocol',
        '16 KiB is a multiple of 64, so frames never straddle chunks',
      ],
    };
  },
};
