// The connection commands the client libraries send as they connect (networking.c, server.c):
// HELLO (node-redis's first command: RESP3 by default), CLIENT ID/SETNAME/GETNAME/SETINFO, and
// INFO (ioredis's ready check reads it), answered as redis-server 7.0.15 answers them.
import { type CommandContext, type CommandSpec, OK, argAt, cString, lowerCase } from './command.js';
import { parseInt64 } from './integers.js';
import { encodeArray, encodeBulkString, encodeError, encodeInteger, encodeMap, encodeNull, encodeVerbatim } from './resp-encoder.js';
import { DATABASE_COUNT } from './server-state.js';

/** The redis-server version we answer as: the one the differential test checks us against. */
export const REDIS_VERSION = '7.0.15';

const BAD_NAME = encodeError('ERR Client names cannot contain spaces, newlines or special characters.');
const WRONGPASS = encodeError('WRONGPASS invalid username-password pair or user is disabled.');
const NOPROTO = encodeError('NOPROTO unsupported protocol version');
const BAD_VERSION = encodeError('ERR Protocol version is not an integer or out of range');

/** Names are printable ASCII without spaces, as clientSetName requires. */
function isValidName(name: Buffer): boolean {
  return name.every((byte) => byte >= 0x21 && byte <= 0x7e);
}

/** Sets the client's name (empty clears it), or the error reply. */
function setName(name: Buffer, { client }: CommandContext): Buffer | undefined {
  if (!isValidName(name)) return BAD_NAME;
  client.name = name.length === 0 ? undefined : Buffer.from(name);
  return undefined;
}

/**
 * HELLO [protover [AUTH username password] [SETNAME name]] (helloCommand). There is no ACL: the
 * user `default` has no password, so any password is right for it and every other user is wrong.
 */
function hello(args: readonly Buffer[], context: CommandContext): Buffer {
  const { client } = context;
  let version = client.version;
  const [, protover] = args;
  if (protover !== undefined) {
    const asked = parseInt64(protover);
    if (asked === undefined) return BAD_VERSION;
    if (asked !== 2n && asked !== 3n) return NOPROTO;
    version = asked === 2n ? 2 : 3;
  }
  let user: Buffer | undefined;
  let name: Buffer | undefined;
  for (let j = 2; j < args.length; j++) {
    const option = lowerCase(argAt(args, j));
    const more = args.length - 1 - j;
    if (option === 'auth' && more >= 2) {
      user = argAt(args, j + 1);
      j += 2;
    } else if (option === 'setname' && more >= 1) {
      name = argAt(args, j + 1);
      j += 1;
    } else return encodeError(`ERR Syntax error in HELLO option '${cString(argAt(args, j))}'`);
  }
  if (user !== undefined && user.toString('latin1') !== 'default') return WRONGPASS;
  if (name !== undefined) {
    const refused = setName(name, context);
    if (refused !== undefined) return refused;
  }
  client.version = version;
  const field = (key: string, value: Buffer): Buffer[] => [encodeBulkString(key), value];
  return encodeMap(
    [
      ...field('server', encodeBulkString('redis')),
      ...field('version', encodeBulkString(REDIS_VERSION)),
      ...field('proto', encodeInteger(version)),
      ...field('id', encodeInteger(client.id)),
      ...field('mode', encodeBulkString('standalone')),
      ...field('role', encodeBulkString('master')),
      ...field('modules', encodeArray([])),
    ],
    version,
  );
}

/**
 * CLIENT SETINFO LIB-NAME|LIB-VER value: redis 7.2's command, which 7.0 answers with `unknown
 * subcommand`. node-redis and redis-py 5 send it on connect and ignore an error, so either answer
 * works; we answer +OK as 7.2 does (the differential test leaves it out for that reason).
 */
function setInfo(args: readonly Buffer[]): Buffer {
  const attribute = lowerCase(argAt(args, 2));
  if (attribute !== 'lib-name' && attribute !== 'lib-ver') return encodeError(`ERR Unrecognized option '${cString(argAt(args, 2))}'`);
  const value = argAt(args, 3);
  if (!value.every((byte) => byte >= 0x20 && byte <= 0x7e && byte !== 0x20)) {
    return encodeError(`ERR ${attribute} cannot contain spaces, newlines or special characters.`);
  }
  return OK;
}

/** INFO's sections, in redis's order; `fields` gives each one's lines. */
function infoSections(context: CommandContext): ReadonlyMap<string, () => readonly string[]> {
  const { server } = context;
  const memory = process.memoryUsage();
  return new Map<string, () => readonly string[]>([
    [
      'server',
      () => [
        `redis_version:${REDIS_VERSION}`,
        'redis_mode:standalone',
        `os:${process.platform} ${process.arch}`,
        'arch_bits:64',
        `process_id:${process.pid}`,
        `uptime_in_seconds:${Math.floor((server.now() - server.startedAt) / 1000)}`,
        `uptime_in_days:${Math.floor((server.now() - server.startedAt) / 86_400_000)}`,
        'executable:switchboard',
      ],
    ],
    ['clients', () => [`connected_clients:${server.connectedClients}`, 'blocked_clients:0', 'maxclients:10000']],
    ['memory', () => [`used_memory:${memory.heapUsed + memory.external}`, `used_memory_rss:${memory.rss}`, 'maxmemory:0', 'maxmemory_policy:noeviction']],
    ['persistence', () => ['loading:0', 'async_loading:0', 'rdb_changes_since_last_save:0', 'aof_enabled:0']],
    [
      'keyspace',
      () =>
        Array.from({ length: DATABASE_COUNT }, (_, i) => server.database(i))
          .map((store, i) => (store.size === 0 ? '' : `db${i}:keys=${store.size},expires=${store.expiringCount},avg_ttl=0`))
          .filter((line) => line.length > 0),
    ],
  ]);
}

/** INFO [section ...]: the sections asked (default, all, everything: every one), as a verbatim string in RESP3. */
function info(args: readonly Buffer[], context: CommandContext): Buffer {
  const sections = infoSections(context);
  const asked = args.slice(1).map(lowerCase);
  const isAll = asked.length === 0 || asked.some((name) => name === 'default' || name === 'all' || name === 'everything');
  const chosen = [...sections].filter(([name]) => isAll || asked.includes(name));
  const text = chosen.map(([name, fields]) => `# ${name.charAt(0).toUpperCase()}${name.slice(1)}\r\n${fields().map((line) => `${line}\r\n`).join('')}`).join('\r\n');
  return encodeVerbatim(text, context.client.version);
}

const clientSubcommands: readonly CommandSpec[] = [
  { name: 'client|id', arity: 2, flags: ['noscript', 'loading', 'stale'], keys: [0, 0, 0], run: (_args, { client }) => encodeInteger(client.id) },
  {
    name: 'client|getname',
    arity: 2,
    flags: ['noscript', 'loading', 'stale'],
    keys: [0, 0, 0],
    run: (_args, { client }) => (client.name === undefined ? encodeNull(client.version) : encodeBulkString(client.name)),
  },
  {
    name: 'client|setname',
    arity: 3,
    flags: ['noscript', 'loading', 'stale'],
    keys: [0, 0, 0],
    run: (args, context) => setName(argAt(args, 2), context) ?? OK,
  },
  { name: 'client|setinfo', arity: 4, flags: ['noscript', 'loading', 'stale'], keys: [0, 0, 0], run: setInfo },
];

/** HELLO CLIENT INFO. */
export const CONNECTION_COMMANDS: readonly CommandSpec[] = [
  { name: 'hello', arity: -1, flags: ['noscript', 'loading', 'stale', 'fast', 'no_auth'], keys: [0, 0, 0], run: hello },
  {
    name: 'client',
    arity: -2,
    flags: [],
    keys: [0, 0, 0],
    subcommands: new Map(clientSubcommands.map((spec) => [spec.name.slice('client|'.length), spec])),
  },
  { name: 'info', arity: -1, flags: ['loading', 'stale'], keys: [0, 0, 0], run: info },
];
