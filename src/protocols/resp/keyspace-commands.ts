// The keyspace commands (db.c, expire.c): DEL, EXISTS, EXPIRE/PEXPIRE, TTL/PTTL, PERSIST, KEYS,
// DBSIZE, FLUSHDB, TYPE, SCAN, with redis's replies and errors, on the client's selected database.
import { type CommandContext, type CommandSpec, NOT_AN_INTEGER, OK, ONE, SYNTAX_ERROR, ZERO, argAt, cString, invalidExpireTime, lowerCase, text } from './command.js';
import { INT64_MAX, INT64_MIN, parseInt64 } from './integers.js';
import { encodeArray, encodeBulkString, encodeError, encodeInteger, encodeSimpleString } from './resp-encoder.js';
import { type ExpiryTime, expiryTime, matchesKeyPattern } from './store.js';

interface ExpireFlags {
  readonly nx: boolean;
  readonly xx: boolean;
  readonly gt: boolean;
  readonly lt: boolean;
}

/** EXPIRE's NX|XX|GT|LT (expire.c parseExtendedExpireArgumentsOrReply), or the error reply. */
function parseExpireFlags(options: readonly Buffer[]): ExpireFlags | Buffer {
  const seen = new Set<string>();
  for (const option of options) {
    const name = lowerCase(option);
    if (name !== 'nx' && name !== 'xx' && name !== 'gt' && name !== 'lt') return encodeError(`ERR Unsupported option ${cString(option)}`);
    seen.add(name);
  }
  const flags = { nx: seen.has('nx'), xx: seen.has('xx'), gt: seen.has('gt'), lt: seen.has('lt') };
  if (flags.nx && (flags.xx || flags.gt || flags.lt)) return encodeError('ERR NX and XX, GT or LT options at the same time are not compatible');
  if (flags.gt && flags.lt) return encodeError('ERR GT and LT options at the same time are not compatible');
  return flags;
}

/** Whether the flags let the new time `at` replace `current` (undefined: no TTL, an infinite one). */
function isAllowed(flags: ExpireFlags, current: ExpiryTime | undefined, at: bigint): boolean {
  if (flags.nx && current !== undefined) return false;
  if (flags.xx && current === undefined) return false;
  if (flags.gt && (current === undefined || at <= BigInt(current))) return false;
  if (flags.lt && current !== undefined && at >= BigInt(current)) return false;
  return true;
}

/** EXPIRE and PEXPIRE (expireGenericCommand): relative time; at or before now deletes the key. */
function expire(args: readonly Buffer[], { store }: CommandContext, unit: 1000n | 1n, name: string): Buffer {
  const flags = parseExpireFlags(args.slice(3));
  if (Buffer.isBuffer(flags)) return flags;
  const amount = parseInt64(argAt(args, 2));
  if (amount === undefined) return NOT_AN_INTEGER;
  // Negative times are allowed (they delete); only an int64 overflow is refused.
  if (amount > INT64_MAX / unit || amount < INT64_MIN / unit) return invalidExpireTime(name);
  const now = BigInt(Math.trunc(store.now()));
  if (amount * unit > INT64_MAX - now) return invalidExpireTime(name);
  const at = amount * unit + now;
  const key = text(argAt(args, 1));
  if (!store.has(key)) return ZERO;
  if (!isAllowed(flags, store.expiresAt(key), at)) return ZERO;
  if (at <= now) store.delete(key);
  else store.expireAt(key, expiryTime(at));
  return ONE;
}

/** TTL and PTTL (ttlGenericCommand): -2 no key, -1 no TTL; seconds are rounded to nearest. */
function ttl(args: readonly Buffer[], { store }: CommandContext, inMilliseconds: boolean): Buffer {
  const key = text(argAt(args, 1));
  if (!store.has(key)) return encodeInteger(-2);
  const at = store.expiresAt(key);
  if (at === undefined) return encodeInteger(-1);
  // Exact past 2^53 (PXAT 2^63 - 1 answers 9223370270...): bigint arithmetic, as redis's long long.
  const now = BigInt(Math.trunc(store.now()));
  const exact = BigInt(at) - now;
  const left = exact < 0n ? 0n : exact;
  return encodeInteger(inMilliseconds ? left : (left + 500n) / 1000n);
}

function flushdb(args: readonly Buffer[], { store }: CommandContext): Buffer {
  const [, mode] = args;
  if (args.length > 2 || (mode !== undefined && lowerCase(mode) !== 'sync' && lowerCase(mode) !== 'async')) return SYNTAX_ERROR;
  store.flush();
  return OK;
}

const STRING_TYPE = encodeSimpleString('string');
const NONE_TYPE = encodeSimpleString('none');
const INVALID_CURSOR = encodeError('ERR invalid cursor');
const UINT64_MAX = 18446744073709551615n;

/**
 * A SCAN cursor as redis's parseScanCursorOrReply reads it with strtoul: the C string up to a NUL
 * (so "" is 0), not starting with a space, an optional sign and digits within 64 bits unsigned;
 * a '-' wraps around as in C, which for our cursors means "past the end".
 */
function parseCursor(arg: Buffer): bigint | undefined {
  const digits = cString(arg);
  if (digits === '') return 0n;
  if (!/^[-+]?[0-9]+$/.test(digits)) return undefined;
  const value = BigInt(digits);
  if (value > UINT64_MAX || value < -UINT64_MAX) return undefined;
  return value < 0n ? UINT64_MAX + 1n + value : value;
}

/** SCAN's options (db.c scanGenericCommand): MATCH, COUNT (at least 1), TYPE; else the error reply. */
function parseScanOptions(args: readonly Buffer[]): { match: string; count: number; type: string | undefined } | Buffer {
  const options = { match: '*', count: 10, type: undefined as string | undefined };
  for (let j = 2; j < args.length; j += 2) {
    const name = lowerCase(argAt(args, j));
    const value = args[j + 1];
    if (value === undefined) return SYNTAX_ERROR;
    if (name === 'count') {
      const n = parseInt64(value);
      if (n === undefined) return NOT_AN_INTEGER;
      if (n < 1n) return SYNTAX_ERROR;
      // A hint, as in redis: more than a million per call would only make one reply huge.
      options.count = Number(n > 1_048_576n ? 1_048_576n : n);
    } else if (name === 'match') options.match = text(value);
    else if (name === 'type') options.type = lowerCase(value);
    else return SYNTAX_ERROR;
  }
  return options;
}

/**
 * SCAN cursor [MATCH p] [COUNT n] [TYPE t]: up to COUNT keys walked from the cursor, then filtered
 * (as redis filters after the walk, so a call may return none and a non-zero cursor). Every value
 * is a string, so TYPE other than `string` filters all out. The cursor is store.scan's (ScanOrder).
 */
function scan(args: readonly Buffer[], { store }: CommandContext): Buffer {
  const cursor = parseCursor(argAt(args, 1));
  if (cursor === undefined) return INVALID_CURSOR;
  const options = parseScanOptions(args);
  if (Buffer.isBuffer(options)) return options;
  const { next, keys } = store.scan(cursor, options.count);
  const isTypeMatch = options.type === undefined || options.type === 'string';
  const found = isTypeMatch ? keys.filter((key) => matchesKeyPattern(options.match, key)) : [];
  return encodeArray([encodeBulkString(next.toString()), encodeArray(found.map((key) => encodeBulkString(Buffer.from(key, 'latin1'))))]);
}

function count(args: readonly Buffer[], test: (key: string) => boolean): Buffer {
  let n = 0;
  for (const key of args.slice(1)) if (test(text(key))) n++;
  return encodeInteger(n);
}

/** DEL EXISTS EXPIRE PEXPIRE TTL PTTL PERSIST KEYS DBSIZE FLUSHDB TYPE SCAN, as redis 7 declares them. */
export const KEYSPACE_COMMANDS: readonly CommandSpec[] = [
  { name: 'del', arity: -2, flags: ['write'], keys: [1, -1, 1], run: (args, { store }) => count(args, (key) => store.delete(key)) },
  { name: 'exists', arity: -2, flags: ['readonly', 'fast'], keys: [1, -1, 1], run: (args, { store }) => count(args, (key) => store.has(key)) },
  { name: 'expire', arity: -3, flags: ['write', 'fast'], keys: [1, 1, 1], run: (args, context) => expire(args, context, 1000n, 'expire') },
  { name: 'pexpire', arity: -3, flags: ['write', 'fast'], keys: [1, 1, 1], run: (args, context) => expire(args, context, 1n, 'pexpire') },
  { name: 'ttl', arity: 2, flags: ['readonly', 'fast'], keys: [1, 1, 1], run: (args, context) => ttl(args, context, false) },
  { name: 'pttl', arity: 2, flags: ['readonly', 'fast'], keys: [1, 1, 1], run: (args, context) => ttl(args, context, true) },
  {
    name: 'persist',
    arity: 2,
    flags: ['write', 'fast'],
    keys: [1, 1, 1],
    run: (args, { store }) => (store.persist(text(argAt(args, 1))) ? ONE : ZERO),
  },
  {
    name: 'keys',
    arity: 2,
    flags: ['readonly'],
    keys: [0, 0, 0],
    run: (args, { store }) => encodeArray(store.keys(text(argAt(args, 1))).map((key) => encodeBulkString(Buffer.from(key, 'latin1')))),
  },
  { name: 'dbsize', arity: 1, flags: ['readonly', 'fast'], keys: [0, 0, 0], run: (_args, { store }) => encodeInteger(store.size) },
  { name: 'flushdb', arity: -1, flags: ['write'], keys: [0, 0, 0], run: flushdb },
  {
    name: 'type',
    arity: 2,
    flags: ['readonly', 'fast'],
    keys: [1, 1, 1],
    run: (args, { store }) => (store.has(text(argAt(args, 1))) ? STRING_TYPE : NONE_TYPE),
  },
  { name: 'scan', arity: -2, flags: ['readonly'], keys: [0, 0, 0], run: scan },
];
