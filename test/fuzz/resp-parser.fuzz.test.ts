// Property tests for the RESP parser: random bytes never throw anything but RespProtocolError and
// never loop; valid command batches cut at random parse the same as whole. And for the server:
// random commands from its table, with random arguments, in random cuts, get exactly one reply
// each, never an exception out of dataReceived, never a closed connection.
import test from 'ava';
import fc from 'fast-check';
import { type RespCommand, RespParser, RespProtocolError } from '../../src/protocols/resp/resp-parser.js';
import { RESP_COMMANDS, respFactory } from '../../src/protocols/resp/resp-server.js';
import { connectRecording, encodeRespCommand, splitRespReplies } from '../../src/testing/index.js';
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
  t.notThrows(() => fc.assert(
    fc.property(fc.array(fc.uint8Array({ maxLength: 300 }), { maxLength: 8 }), (chunks) => {
      const { error } = parse(chunks);
      return error === undefined || error instanceof RespProtocolError;
    }),
    FUZZ,
  ));
});

test('RespParser on mutated valid commands throws only RespProtocolError', (t) => {
  t.notThrows(() => fc.assert(
    fc.property(fc.array(fc.uint8Array({ maxLength: 50 }), { minLength: 1, maxLength: 6 }), fc.nat(), fc.integer({ min: 0, max: 255 }), (args, at, byte) => {
      const bytes = encode(args);
      bytes[at % bytes.length] = byte;
      const { error } = parse([bytes]);
      return error === undefined || error instanceof RespProtocolError;
    }),
    FUZZ,
  ));
});

test('RespParser parses pipelined commands the same however they are cut', (t) => {
  t.notThrows(() => fc.assert(
    fc.property(fc.array(fc.array(fc.uint8Array({ maxLength: 40 }), { minLength: 1, maxLength: 5 }), { minLength: 1, maxLength: 5 }), fc.array(fc.nat(), { maxLength: 12 }), (batch, points) => {
      const bytes = Buffer.concat(batch.map(encode));
      const whole = parse([bytes]);
      const pieces = parse(cut(bytes, points));
      return whole.error === undefined && pieces.error === undefined && whole.commands.length === batch.length && show(whole.commands) === show(pieces.commands);
    }),
    FUZZ,
  ));
});

/** Every command name the server knows but QUIT (which closes), subcommands spelled out. */
const NAMES: readonly string[] = [...RESP_COMMANDS.values()].flatMap((spec) =>
  spec.name === 'quit' ? [] : spec.subcommands === undefined ? [spec.name] : [...spec.subcommands.keys()].map((sub) => `${spec.name} ${sub}`),
);
const ARGUMENT = fc.oneof(
  fc.constantFrom('k', '', 'a\r\nb', '0', '-1', '1', '3', '9223372036854775807', '-9223372036854775808', '18446744073709551616', 'EX', 'PXAT', 'NX', 'XX', 'GT', 'GET', 'KEEPTTL', 'MATCH', 'COUNT', 'TYPE', '*', 'AUTH', 'SETNAME', 'lib-name'),
  fc.uint8Array({ maxLength: 20 }),
);

test('the RESP server answers random commands with one reply each, and never throws or closes', (t) => {
  t.notThrows(() => fc.assert(
    fc.property(fc.array(fc.tuple(fc.constantFrom(...NAMES), fc.array(ARGUMENT, { maxLength: 5 })), { minLength: 1, maxLength: 30 }), fc.array(fc.nat(), { maxLength: 6 }), (commands, points) => {
      const transport = connectRecording(respFactory().buildProtocol(['127.0.0.1', 1]));
      const bytes = Buffer.concat(commands.map(([name, args]) => encodeRespCommand([...name.split(' '), ...args])));
      for (const chunk of cut(bytes, points)) transport.receive(chunk);
      const { replies, rest } = splitRespReplies(transport.bytes());
      return !transport.isClosing && rest.length === 0 && replies.length === commands.length;
    }),
    FUZZ,
  ));
});
