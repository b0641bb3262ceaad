// The string commands (t_string.c) and PING/ECHO, with redis's replies and errors, byte for byte.
// Values are binary-safe; integers are int64 as redis's (INCR past 2^63 - 1 is an error, not a float).
import { type CommandContext, type CommandSpec, NOT_AN_INTEGER, OK, SYNTAX_ERROR, argAt, arityError, invalidExpireTime, lowerCase, text } from './command.js';
import { INT64_MAX, INT64_MIN, parseInt64 } from './integers.js';
import { type Reply, type RespVersion, arrayParts, bulkReply, encodeBulkString, encodeError, encodeInteger, encodeNull, encodeSimpleString } from './resp-encoder.js';
import { type ExpiryTime, type RespStore, expiryTime } from './store.js';

const PONG = encodeSimpleString('PONG');
const TOO_BIG = encodeError('ERR string exceeds maximum allowed size (proto-max-bulk-len)');
const OVERFLOW = encodeError('ERR increment or decrement would overflow');

const EXPIRE_KINDS = ['ex', 'px', 'exat', 'pxat'] as const;
type ExpireKind = (typeof EXPIRE_KINDS)[number];

interface SetOptions {
  nx: boolean;
  xx: boolean;
  get: boolean;
  keepTtl: boolean;
  expire: { readonly kind: ExpireKind; readonly arg: Buffer } | undefined;
}

function isExpireKind(option: string): option is ExpireKind {
  return (EXPIRE_KINDS as readonly string[]).includes(option);
}

/**
 * SET's options after the value, as t_string.c parseExtendedStringArgumentsOrReply accepts them:
 * NX and XX exclude each other, one expiry kind at most (repeating the same one is allowed, the last
 * wins), KEEPTTL excludes an expiry. Undefined for anything else (redis's `syntax error`).
 */
function parseSetOptions(args: readonly Buffer[]): SetOptions | undefined {
  const options: SetOptions = { nx: false, xx: false, get: false, keepTtl: false, expire: undefined };
  for (let j = 3; j < args.length; j++) {
    const option = lowerCase(argAt(args, j));
    const next = args[j + 1];
    if (option === 'nx' && !options.xx) options.nx = true;
    else if (option === 'xx' && !options.nx) options.xx = true;
    else if (option === 'get') options.get = true;
    else if (option === 'keepttl' && options.expire === undefined) options.keepTtl = true;
    else if (isExpireKind(option) && !options.keepTtl && (options.expire === undefined || options.expire.kind === option) && next !== undefined) {
      options.expire = { kind: option, arg: next };
      j++;
    } else return undefined;
  }
  return options;
}

/** An expiry argument as an absolute time in ms, or the error reply (getExpireMillisecondsOrReply). */
function setExpiryTime(kind: ExpireKind, arg: Buffer, now: number): ExpiryTime | Buffer {
  const value = parseInt64(arg);
  if (value === undefined) return NOT_AN_INTEGER;
  const isSeconds = kind === 'ex' || kind === 'exat';
  if (value <= 0n || (isSeconds && value > INT64_MAX / 1000n)) return invalidExpireTime('set');
  const relative = kind === 'ex' || kind === 'px' ? BigInt(Math.trunc(now)) : 0n;
  const at = (isSeconds ? value * 1000n : value) + relative;
  return at > INT64_MAX ? invalidExpireTime('set') : expiryTime(at);
}

/** A stored value as a bulk reply (uncopied when large), or null in the connection's protocol. */
function valueReply(value: Buffer | undefined, version: RespVersion): Reply {
  return value === undefined ? encodeNull(version) : bulkReply(value);
}

function set(args: readonly Buffer[], { store, client }: CommandContext): Reply {
  if (args.length === 3) {
    // SET key value, the usual case: no option to parse, the old TTL goes (store.set), nothing to compare.
    store.set(text(argAt(args, 1)), argAt(args, 2));
    return OK;
  }
  const options = parseSetOptions(args);
  if (options === undefined) return SYNTAX_ERROR;
  const at = options.expire === undefined ? undefined : setExpiryTime(options.expire.kind, options.expire.arg, store.now());
  if (Buffer.isBuffer(at)) return at;
  const key = text(argAt(args, 1));
  // With GET the reply is the old value, whether or not NX/XX let the write happen.
  const old = options.get ? valueReply(store.get(key), client.version) : undefined;
  const isFound = store.has(key);
  if ((options.nx && isFound) || (options.xx && !isFound)) return old ?? encodeNull(client.version);
  store.set(key, argAt(args, 2), { keepTtl: options.keepTtl });
  if (at !== undefined) store.expireAt(key, at);
  return old ?? OK;
}

/** INCR and friends (incrDecrCommand): the value must be an int64 in redis's syntax; the TTL stays. */
function incrementBy(store: RespStore, key: Buffer, delta: bigint): Buffer {
  const name = text(key);
  const current = store.get(name);
  const value = current === undefined ? 0n : parseInt64(current);
  if (value === undefined) return NOT_AN_INTEGER;
  const result = value + delta;
  if (result > INT64_MAX || result < INT64_MIN) return OVERFLOW;
  store.set(name, Buffer.from(result.toString(), 'latin1'), { keepTtl: true });
  return encodeInteger(result);
}

function incrBy(args: readonly Buffer[], { store }: CommandContext): Buffer {
  const delta = parseInt64(argAt(args, 2));
  return delta === undefined ? NOT_AN_INTEGER : incrementBy(store, argAt(args, 1), delta);
}

function decrBy(args: readonly Buffer[], { store }: CommandContext): Buffer {
  const delta = parseInt64(argAt(args, 2));
  if (delta === undefined) return NOT_AN_INTEGER;
  // -INT64_MIN does not fit: redis refuses it before reading the key.
  if (delta === INT64_MIN) return encodeError('ERR decrement would overflow');
  return incrementBy(store, argAt(args, 1), -delta);
}

function mset(args: readonly Buffer[], { store }: CommandContext): Buffer {
  if (args.length % 2 === 0) return arityError('mset');
  for (let j = 1; j < args.length; j += 2) store.set(text(argAt(args, j)), argAt(args, j + 1));
  return OK;
}

/** APPEND (t_string.c appendCommand): a new Buffer of both, never the stored one changed in place. */
function append(args: readonly Buffer[], { store, limits }: CommandContext): Buffer {
  const key = text(argAt(args, 1));
  const addition = argAt(args, 2);
  const current = store.get(key);
  if ((current?.length ?? 0) + addition.length > limits.maxBulkBytes) return TOO_BIG;
  if (current === undefined) {
    store.set(key, addition);
    return encodeInteger(addition.length);
  }
  const joined = Buffer.allocUnsafe(current.length + addition.length);
  joined.set(current);
  joined.set(addition, current.length);
  store.adopt(key, joined);
  return encodeInteger(joined.length);
}

/**
 * MGET: the reply is parts, each value handed over uncopied, so MGET of many large values costs
 * their headers, not a second copy of them all (the transport holds the stored Buffers until sent).
 */
function mget(args: readonly Buffer[], { store, client }: CommandContext): Reply {
  const replies: Reply[] = [];
  for (let j = 1; j < args.length; j++) replies.push(valueReply(store.get(text(argAt(args, j))), client.version));
  return arrayParts(replies);
}

/** PING ECHO GET SET MGET MSET INCR DECR INCRBY DECRBY APPEND STRLEN, as redis 7 declares their arity and keys. */
export const STRING_COMMANDS: readonly CommandSpec[] = [
  {
    name: 'ping',
    arity: -1,
    flags: ['fast'],
    keys: [0, 0, 0],
    run: (args) => (args.length > 2 ? arityError('ping') : args.length === 2 ? encodeBulkString(argAt(args, 1)) : PONG),
  },
  { name: 'echo', arity: 2, flags: ['fast'], keys: [0, 0, 0], run: (args) => encodeBulkString(argAt(args, 1)) },
  {
    name: 'get',
    arity: 2,
    flags: ['readonly', 'fast'],
    keys: [1, 1, 1],
    run: (args, { store, client }) => valueReply(store.get(text(argAt(args, 1))), client.version),
  },
  { name: 'set', arity: -3, flags: ['write', 'denyoom'], keys: [1, 1, 1], run: set },
  {
    name: 'mget',
    arity: -2,
    flags: ['readonly', 'fast'],
    keys: [1, -1, 1],
    run: mget,
  },
  { name: 'mset', arity: -3, flags: ['write', 'denyoom'], keys: [1, -1, 2], run: mset },
  { name: 'incr', arity: 2, flags: ['write', 'denyoom', 'fast'], keys: [1, 1, 1], run: (args, { store }) => incrementBy(store, argAt(args, 1), 1n) },
  { name: 'decr', arity: 2, flags: ['write', 'denyoom', 'fast'], keys: [1, 1, 1], run: (args, { store }) => incrementBy(store, argAt(args, 1), -1n) },
  { name: 'incrby', arity: 3, flags: ['write', 'denyoom', 'fast'], keys: [1, 1, 1], run: incrBy },
  { name: 'decrby', arity: 3, flags: ['write', 'denyoom', 'fast'], keys: [1, 1, 1], run: decrBy },
  { name: 'append', arity: 3, flags: ['write', 'denyoom', 'fast'], keys: [1, 1, 1], run: append },
  {
    name: 'strlen',
    arity: 2,
    flags: ['readonly', 'fast'],
    keys: [1, 1, 1],
    run: (args, { store }) => encodeInteger(store.get(text(argAt(args, 1)))?.length ?? 0),
  },
];
