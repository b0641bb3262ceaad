// The commands over redis's 16 databases (db.c): SELECT, SWAPDB, FLUSHALL, with redis's replies.
// A client's database is its own (ClientState.db); SWAPDB swaps contents under every client.
import { type CommandContext, type CommandSpec, NOT_AN_INTEGER, OK, SYNTAX_ERROR, argAt, lowerCase } from './command.js';
import { parseInt64 } from './integers.js';
import { encodeError } from './resp-encoder.js';
import { DATABASE_COUNT } from './server-state.js';

const INT32_MIN = -2147483648n;
const INT32_MAX = 2147483647n;
const OUT_OF_RANGE = encodeError('ERR DB index is out of range');

/** A C int as getIntFromObjectOrReply reads it, or the error reply (`message` for either failure, if given). */
function parseInt32(arg: Buffer, message?: string): number | Buffer {
  const value = parseInt64(arg);
  if (value === undefined) return message === undefined ? NOT_AN_INTEGER : encodeError(`ERR ${message}`);
  if (value < INT32_MIN || value > INT32_MAX) {
    return encodeError(message === undefined ? `ERR value is out of range, value must between ${INT32_MIN} and ${INT32_MAX}` : `ERR ${message}`);
  }
  return Number(value);
}

const isDatabase = (index: number): boolean => index >= 0 && index < DATABASE_COUNT;

function select(args: readonly Buffer[], { client }: CommandContext): Buffer {
  const index = parseInt32(argAt(args, 1));
  if (Buffer.isBuffer(index)) return index;
  if (!isDatabase(index)) return OUT_OF_RANGE;
  client.db = index;
  return OK;
}

function swapdb(args: readonly Buffer[], { server }: CommandContext): Buffer {
  const first = parseInt32(argAt(args, 1), 'invalid first DB index');
  if (Buffer.isBuffer(first)) return first;
  const second = parseInt32(argAt(args, 2), 'invalid second DB index');
  if (Buffer.isBuffer(second)) return second;
  if (!isDatabase(first) || !isDatabase(second)) return OUT_OF_RANGE;
  if (first !== second) server.swap(first, second);
  return OK;
}

function flushall(args: readonly Buffer[], { server }: CommandContext): Buffer {
  const [, mode] = args;
  if (args.length > 2 || (mode !== undefined && lowerCase(mode) !== 'sync' && lowerCase(mode) !== 'async')) return SYNTAX_ERROR;
  server.flushAll();
  return OK;
}

/** SELECT SWAPDB FLUSHALL, as redis 7 declares them. */
export const DATABASE_COMMANDS: readonly CommandSpec[] = [
  { name: 'select', arity: 2, flags: ['loading', 'stale', 'fast'], keys: [0, 0, 0], run: select },
  { name: 'swapdb', arity: 3, flags: ['write', 'fast'], keys: [0, 0, 0], run: swapdb },
  { name: 'flushall', arity: -1, flags: ['write'], keys: [0, 0, 0], run: flushall },
];
