// Property tests for the RESP parser: random bytes never throw anything but RespProtocolError and
// never loop; valid command batches cut at random parse the same as whole.
import test from 'ava';
import fc from 'fast-check';
import { type RespCommand, RespParser, RespProtocolError } from '../../src/protocols/resp/resp-parser.js';
import { cut } from '../helpers/splits.js';
import { FUZZ } from '../helpers/fuzz-config.js';

function parse(chunks: readonly Uint8Array[]): { commands: RespCommand[]; error?: unknown } {
  const parser = new RespParser({ maxBulkBytes: 1 << 16, maxArrayLength: 1024 });
  const commands: RespCommand[] = [];
  try {
    for (const chunk of chunks) parser.feed(chunk, (c) => commands.push(c));
  } catch (error) {
    return { commands, error };
  }
  return { commands };
}

const encode = (args: readonly Uint8Array[]): Buffer =>
  Buffer.concat([Buffer.from(`*${args.length}\r\n`), ...args.flatMap((a) => [Buffer.from(`$${a.length}\r\n`), Buffer.from(a), Buffer.from('\r\n')])]);


const show = (commands: readonly RespCommand[]): string =>
  JSON.stringify(commands.map((c) => c.map((v) => (v instanceof Buffer ? v.toString('hex') : String(v)))));

test('RespParser on random bytes throws only RespProtocolError', (t) => {
  fc.assert(
    fc.property(fc.array(fc.uint8Array({ maxLength: 300 }), { maxLength: 8 }), (chunks) => {
      const { error } = parse(chunks);
      return error === undefined || error instanceof RespProtocolError;
    }),
    FUZZ,
  );
  t.pass();
});

test('RespParser on mutated valid commands throws only RespProtocolError', (t) => {
  fc.assert(
    fc.property(fc.array(fc.uint8Array({ maxLength: 50 }), { minLength: 1, maxLength: 6 }), fc.nat(), fc.integer({ min: 0, max: 255 }), (args, at, byte) => {
      const bytes = encode(args);
      bytes[at % bytes.length] = byte;
      const { error } = parse([bytes]);
      return error === undefined || error instanceof RespProtocolError;
    }),
    FUZZ,
  );
  t.pass();
});

test('RespParser parses pipelined commands the same however they are cut', (t) => {
  fc.assert(
    fc.property(fc.array(fc.array(fc.uint8Array({ maxLength: 40 }), { minLength: 1, maxLength: 5 }), { minLength: 1, maxLength: 5 }), fc.array(fc.nat(), { maxLength: 12 }), (batch, points) => {
      const bytes = Buffer.concat(batch.map(encode));
      const whole = parse([bytes]);
      const pieces = parse(cut(bytes, points));
      return whole.error === undefined && pieces.error === undefined && whole.commands.length === batch.length && show(whole.commands) === show(pieces.commands);
    }),
    FUZZ,
  );
  t.pass();
});
