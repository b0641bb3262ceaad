// What a command of the RESP server is, and how one is looked up and checked before it runs, with
// redis's error replies (server.c processCommand): unknown command, unknown subcommand, arity.
// A command is a function of its arguments and the store; the connection is the server's business.
import type { ClientState } from './client-state.js';
import { HELD_OBJECT_BYTES } from './held-elements.js';
import { type Reply, encodeError, encodeInteger, encodeSimpleString } from './resp-encoder.js';
import type { RespLimits } from './resp-limits.js';
import type { RespServerState } from './server-state.js';
import type { RespStore } from './store.js';

/**
 * What a running command may use: the selected database, the connection's state, the server's,
 * the limits, the table, and the connection's QUIT hook.
 */
export interface CommandContext {
  /** The database the client selected (read when the command runs: SELECT changes it). */
  readonly store: RespStore;
  /** This connection's state: protocol version, database, name, transaction. */
  readonly client: ClientState;
  /** What all connections share: the 16 databases, client ids, counts. */
  readonly server: RespServerState;
  /** The connection's limits (CONFIG GET reports proto-max-bulk-len from them). */
  readonly limits: RespLimits;
  /** Every command, for COMMAND and COMMAND INFO. */
  readonly commands: CommandTable;
  /** Close the connection once this command's reply is written (QUIT). */
  closeAfterReply(): void;
}

/** One entry of the command table. */
export interface CommandSpec {
  /** Lower case, as redis's errors name it: `get`, or `config|get` for a subcommand. */
  readonly name: string;
  /** Arguments including the name; negative: at least that many (redis's convention). */
  readonly arity: number;
  /** COMMAND INFO's flags (`readonly`, `write`, `fast`, ...). */
  readonly flags: readonly string[];
  /** COMMAND INFO's first key, last key (-1: the last argument), step; 0 0 0 for no keys. */
  readonly keys: readonly [first: number, last: number, step: number];
  /** Absent for a container (CONFIG) that does nothing without a subcommand. */
  readonly run?: (args: readonly Buffer[], context: CommandContext) => Reply;
  /** Runs at once even inside MULTI (MULTI, EXEC, DISCARD, WATCH, QUIT), as redis's processCommand. */
  readonly isNeverQueued?: boolean;
  /** Keyed by lower-case subcommand name. */
  readonly subcommands?: CommandTable;
}

/** Commands keyed by lower-case name. */
export type CommandTable = ReadonlyMap<string, CommandSpec>;

/** Replies many commands share; never mutated, so one Buffer serves every connection. `+OK`. */
export const OK = encodeSimpleString('OK');
/** `:0`, e.g. EXPIRE or PERSIST of a missing key. */
export const ZERO = encodeInteger(0);
/** `:1`, e.g. EXPIRE that set a timeout. */
export const ONE = encodeInteger(1);
/** `-ERR syntax error`: an option redis does not know, or one in the wrong place. */
export const SYNTAX_ERROR = encodeError('ERR syntax error');
/** `-ERR value is not an integer or out of range`: an argument that is not an int64 in redis's syntax. */
export const NOT_AN_INTEGER = encodeError('ERR value is not an integer or out of range');

/** A key or value as the store keeps it: one char per byte. */
export function text(arg: Buffer): string {
  return arg.toString('latin1');
}

/**
 * Lower case, for comparing with ASCII names as strcasecmp does. toLowerCase() also folds latin1
 * letters (0xC0-0xDE), but never into ASCII, so an ASCII name matches exactly what strcasecmp matches.
 */
export function lowerCase(arg: Buffer): string {
  return arg.toString('latin1').toLowerCase();
}

/** Up to the first NUL: redis formats its errors with %s, which stops there. */
export function cString(arg: Buffer): string {
  const nul = arg.indexOf(0);
  return arg.toString('latin1', 0, nul < 0 ? arg.length : nul);
}

/** `wrong number of arguments for 'name' command`, as processCommand answers. */
export function arityError(name: string): Buffer {
  return encodeError(`ERR wrong number of arguments for '${name}' command`);
}

/** `invalid expire time in 'name' command`, for a time that is not positive or overflows int64. */
export function invalidExpireTime(name: string): Buffer {
  return encodeError(`ERR invalid expire time in '${name}' command`);
}

/** A command's name and arguments: never empty (the parser drops blank commands). */
export type CommandArgs = readonly [name: Buffer, ...args: Buffer[]];

/**
 * Argument `index`, which the command's arity guarantees; throws RangeError if it is missing (a
 * table entry whose arity is wrong).
 */
export function argAt(args: readonly Buffer[], index: number): Buffer {
  const arg = args[index];
  if (arg === undefined) throw new RangeError(`Command has no argument ${index}: check its arity`);
  return arg;
}

/** A table's commands by name length and first byte: found from the bytes, with no string made. */
type NameIndex = ReadonlyMap<number, readonly CommandSpec[]>;
const nameIndexes = new WeakMap<CommandTable, NameIndex>();

const indexKey = (length: number, first: number): number => length * 256 + first;
/** ASCII lower case of one byte, as strcasecmp folds it. */
const foldByte = (byte: number): number => (byte >= 0x41 && byte <= 0x5a ? byte + 0x20 : byte);

/** The table last looked in and its index: nearly always the server's one table, found without the WeakMap. */
let lastTable: CommandTable | undefined;
let lastIndex: NameIndex | undefined;

function nameIndex(table: CommandTable): NameIndex {
  if (table === lastTable && lastIndex !== undefined) return lastIndex;
  let index = nameIndexes.get(table);
  if (index === undefined) {
    const built = new Map<number, CommandSpec[]>();
    for (const [name, spec] of table) {
      const key = indexKey(name.length, name.charCodeAt(0));
      built.set(key, [...(built.get(key) ?? []), spec]);
    }
    index = built;
    nameIndexes.set(table, index);
  }
  lastTable = table;
  lastIndex = index;
  return index;
}

/**
 * The command `name` spells in any case, as table.get(lowerCase(name)) finds it, without making a
 * string: this runs once per command, and a string costs more than the compare.
 */
export function lookupCommand(table: CommandTable, name: Buffer): CommandSpec | undefined {
  const first = name[0];
  if (first === undefined) return table.get('');
  const candidates = nameIndex(table).get(indexKey(name.length, foldByte(first)));
  if (candidates === undefined) return undefined;
  for (const spec of candidates) {
    let i = 1;
    while (i < name.length && foldByte(Number(name[i])) === spec.name.charCodeAt(i)) i++;
    if (i === name.length) return spec;
  }
  return undefined;
}

/**
 * The command `args` names, checked as processCommand checks it before running or queuing it, or
 * the error redis-server would answer (unknown command or subcommand, wrong arity).
 */
export function resolveCommand(table: CommandTable, args: CommandArgs): CommandSpec | Buffer {
  const [name, sub] = args;
  let spec = lookupCommand(table, name);
  if (spec === undefined) return unknownCommand(args);
  if (spec.subcommands !== undefined && sub !== undefined) {
    const found = spec.subcommands.get(lowerCase(sub));
    if (found === undefined) return encodeError(`ERR unknown subcommand '${cString(sub).slice(0, 128)}'. Try ${spec.name.toUpperCase()} HELP.`);
    spec = found;
  }
  const arityOk = spec.arity > 0 ? args.length === spec.arity : args.length >= -spec.arity;
  if (!arityOk || spec.run === undefined) return arityError(spec.name);
  return spec;
}

const QUEUED = encodeSimpleString('QUEUED');
const TRANSACTION_TOO_BIG = encodeError('ERR transaction queue over the query buffer limit: MULTI discarded at EXEC');

/**
 * Runs the command `args` names, or answers with the error redis-server would give. Inside MULTI
 * it is checked and queued instead (a refused one makes EXEC answer EXECABORT), unless it is one of
 * the commands that always run at once. A command that throws is answered with `-ERR` and the
 * error's message: one bad reply, never a dropped connection that loses the replies before it.
 */
export function dispatch(table: CommandTable, args: CommandArgs, context: CommandContext): Reply {
  const found = resolveCommand(table, args);
  const transaction = context.client.transaction;
  if (transaction !== undefined && (Buffer.isBuffer(found) || found.isNeverQueued !== true)) {
    if (Buffer.isBuffer(found)) {
      transaction.isAborted = true;
      return found;
    }
    // Queued commands outlive the chunk their arguments are views of.
    const [name, ...rest] = args;
    const copy: CommandArgs = [Buffer.from(name), ...rest.map((arg) => Buffer.from(arg))];
    transaction.heldBytes += copy.reduce((n, arg) => n + arg.length + HELD_OBJECT_BYTES, 0);
    if (transaction.heldBytes > context.limits.maxQueryBytes) {
      transaction.isAborted = true;
      transaction.queue.length = 0;
      return TRANSACTION_TOO_BIG;
    }
    transaction.queue.push({ spec: found, args: copy });
    return QUEUED;
  }
  return Buffer.isBuffer(found) ? found : runCommand(found, args, context);
}

/** Runs a resolved command; an exception becomes `-ERR <message>` (see dispatch). */
export function runCommand(spec: CommandSpec, args: readonly Buffer[], context: CommandContext): Reply {
  try {
    return spec.run === undefined ? arityError(spec.name) : spec.run(args, context);
  } catch (error) {
    const message = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
    return encodeError(`ERR internal error in '${spec.name}': ${message}`);
  }
}

/** `unknown command 'x', with args beginning with: 'a' 'b' `: up to about 128 bytes of arguments. */
function unknownCommand(args: CommandArgs): Buffer {
  const [name, ...rest] = args;
  let quoted = '';
  for (const arg of rest) {
    if (quoted.length >= 128) break;
    quoted += `'${cString(arg).slice(0, 128 - quoted.length)}' `;
  }
  return encodeError(`ERR unknown command '${cString(name).slice(0, 128)}', with args beginning with: ${quoted}`);
}
