// Commands read as offsets into the chunk (the parser's fast path for whole multibulk commands):
// GET and SET run from the offsets with the replies `run` gives, their arity checked; inside MULTI
// they are queued as copies; a command that throws is one error reply. Over a recording transport.
import test from 'ava';
import { ArgumentOffsets } from '../../../src/protocols/resp/argument-offsets.js';
import { ClientState } from '../../../src/protocols/resp/client-state.js';
import { type CommandContext, type CommandTable, dispatchOffsets } from '../../../src/protocols/resp/command.js';
import { DEFAULT_RESP_LIMITS } from '../../../src/protocols/resp/resp-limits.js';
import { RespServerProtocol } from '../../../src/protocols/resp/resp-server.js';
import { RespServerState } from '../../../src/protocols/resp/server-state.js';
import { RespStore } from '../../../src/protocols/resp/store.js';
import { bytes, connect } from './resp-helpers.js';

const bulk = (value: string): string => `$${value.length}\r\n${value}\r\n`;
const command = (...args: string[]): string => `*${args.length}\r\n${args.map(bulk).join('')}`;

function open() {
  const store = new RespStore();
  const protocol = new RespServerProtocol(store);
  const transport = connect(protocol);
  return { store, transport, send: (chunk: Buffer) => protocol.dataReceived(chunk) };
}

test('GET and SET from offsets answer as redis does, arity errors included, in any case', (t) => {
  const { transport, send } = open();
  send(bytes(command('SET', 'k', 'v') + command('get', 'k') + command('GET', 'nokey') + command('SET', 'k') + command('get', 'k', 'x') + command('SET', 'k', 'w', 'XX', 'GET')));
  t.is(transport.output, "+OK\r\n$1\r\nv\r\n$-1\r\n-ERR wrong number of arguments for 'set' command\r\n-ERR wrong number of arguments for 'get' command\r\n$1\r\nv\r\n");
});

test('SET from offsets stores a copy: the chunk reused afterwards changes nothing', (t) => {
  const { store, send } = open();
  const chunk = bytes(command('SET', 'key', 'value'));
  send(chunk);
  chunk.fill(0x21);
  t.is(store.get('key')?.toString('latin1'), 'value');
});

test('inside MULTI a command read as offsets is queued as a copy and runs at EXEC', (t) => {
  const { transport, send } = open();
  const chunk = bytes(command('MULTI') + command('SET', 'k', 'queued') + command('GET', 'k'));
  send(chunk);
  chunk.fill(0x21);
  send(bytes(command('EXEC')));
  t.is(transport.output, '+OK\r\n+QUEUED\r\n+QUEUED\r\n*2\r\n+OK\r\n$6\r\nqueued\r\n');
});

test('a command that throws from offsets is answered with one -ERR internal error, naming it', (t) => {
  const table: CommandTable = new Map([
    [
      'boom',
      {
        name: 'boom',
        arity: 1,
        flags: [],
        keys: [0, 0, 0],
        run: () => bytes('+never\r\n'),
        runOffsets: () => {
          throw new TypeError('broken');
        },
      },
    ],
  ]);
  const server = new RespServerState();
  const context: CommandContext = {
    store: server.database(0),
    client: new ClientState(server),
    server,
    limits: DEFAULT_RESP_LIMITS,
    commands: table,
    closeAfterReply: () => undefined,
  };
  const offsets = new ArgumentOffsets();
  offsets.reset(bytes('BOOM'));
  offsets.push(0, 4);
  t.is(dispatchOffsets(table, offsets, context).toString(), "-ERR internal error in 'boom': TypeError: broken\r\n");
});

test('20,000 pipelined SET/GET pairs, the peer stopping reading halfway: every reply, in order, once it reads again', (t) => {
  const protocol = new RespServerProtocol(new RespStore());
  const transport = connect(protocol);
  const pairs = 20_000;
  const pair = (i: number): string => command('SET', `k${i % 7}`, `v${i}`) + command('GET', `k${i % 7}`);
  const half = bytes(Array.from({ length: pairs / 2 }, (_, i) => pair(i)).join(''));
  const rest = bytes(Array.from({ length: pairs / 2 }, (_, i) => pair(pairs / 2 + i)).join(''));
  // Cut at odd places, as TCP may: commands straddle the chunks (the offsets path and the copy path both run).
  for (let at = 0; at < half.length; at += 16_381) protocol.dataReceived(half.subarray(at, at + 16_381));
  transport.isWritingPaused = true;
  protocol.pauseWriting();
  for (let at = 0; at < rest.length; at += 9_973) protocol.dataReceived(rest.subarray(at, at + 9_973));
  transport.isWritingPaused = false;
  protocol.resumeWriting();
  const expected = Array.from({ length: pairs }, (_, i) => `+OK\r\n$${`v${i}`.length}\r\nv${i}\r\n`).join('');
  t.is(transport.output.length, expected.length);
  t.true(transport.output === expected, 'replies out of order or missing');
});
