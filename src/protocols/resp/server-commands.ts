// The server commands that clients send before any data: COMMAND (redis-cli asks COMMAND DOCS),
// CONFIG GET (redis-benchmark asks for `save` and `appendonly`) and QUIT. Just enough of each for
// real clients to start, with redis's errors.
import { type CommandContext, type CommandSpec, NOT_AN_INTEGER, OK, argAt, lowerCase, text } from './command.js';
import { globMatch } from './glob-match.js';
import { encodeArray, encodeBulkString, encodeInteger, encodeMap, encodeNull, encodeSimpleString } from './resp-encoder.js';
import { DATABASE_COUNT } from './server-state.js';

const EMPTY_ARRAY = encodeArray([]);

/** COMMAND INFO's ten fields for one command (redis 7); ACL categories, tips and key specs empty. */
function commandInfo(spec: CommandSpec): Buffer {
  const [first, last, step] = spec.keys;
  const subcommands = [...(spec.subcommands?.values() ?? [])];
  return encodeArray([
    encodeBulkString(spec.name),
    encodeInteger(spec.arity),
    encodeArray(spec.flags.map((flag) => encodeSimpleString(flag))),
    encodeInteger(first),
    encodeInteger(last),
    encodeInteger(step),
    EMPTY_ARRAY,
    EMPTY_ARRAY,
    EMPTY_ARRAY,
    encodeArray(subcommands.map(commandInfo)),
  ]);
}

function allCommandInfo({ commands }: CommandContext): Buffer {
  return encodeArray([...commands.values()].map(commandInfo));
}

function commandInfoFor(args: readonly Buffer[], context: CommandContext): Buffer {
  if (args.length === 2) return allCommandInfo(context);
  return encodeArray(args.slice(2).map((name) => {
    const spec = context.commands.get(lowerCase(name));
    return spec === undefined ? encodeNull(context.client.version) : commandInfo(spec);
  }));
}

/** What CONFIG GET reports: a server that saves nothing and has one database. */
function configValues({ limits }: CommandContext): ReadonlyMap<string, string> {
  return new Map([
    ['save', ''],
    ['appendonly', 'no'],
    ['databases', String(DATABASE_COUNT)],
    ['maxmemory', '0'],
    ['maxmemory-policy', 'noeviction'],
    ['proto-max-bulk-len', String(limits.maxBulkBytes)],
  ]);
}

/**
 * CONFIG GET name-or-glob... (config.c configGetCommand): pairs of name and value; a plain name
 * comes back spelled as asked, unknown names are left out. Case-insensitive.
 */
function configGet(args: readonly Buffer[], context: CommandContext): Buffer {
  const values = configValues(context);
  const matches = new Map<string, readonly [shown: string, value: string]>();
  for (const arg of args.slice(2)) {
    const pattern = lowerCase(arg);
    const exact = values.get(pattern);
    if (!/[[*?]/.test(pattern)) {
      if (exact !== undefined && !matches.has(pattern)) matches.set(pattern, [text(arg), exact]);
      continue;
    }
    for (const [name, value] of values) if (!matches.has(name) && globMatch(pattern, name)) matches.set(name, [name, value]);
  }
  const pairs = [...matches.values()].flatMap(([shown, value]) => [encodeBulkString(Buffer.from(shown, 'latin1')), encodeBulkString(value)]);
  return encodeMap(pairs, context.client.version);
}

function subcommands(specs: readonly CommandSpec[]): ReadonlyMap<string, CommandSpec> {
  return new Map(specs.map((spec) => [spec.name.slice(spec.name.indexOf('|') + 1), spec]));
}

/** COMMAND (COUNT, DOCS, INFO), CONFIG (GET) and QUIT. */
export const SERVER_COMMANDS: readonly CommandSpec[] = [
  {
    name: 'command',
    arity: -1,
    flags: ['loading', 'stale'],
    keys: [0, 0, 0],
    run: (_args, context) => allCommandInfo(context),
    subcommands: subcommands([
      { name: 'command|count', arity: 2, flags: ['loading', 'stale'], keys: [0, 0, 0], run: (_args, { commands }) => encodeInteger(commands.size) },
      // Documentation is optional to clients: redis-cli falls back to its built-in help.
      { name: 'command|docs', arity: -2, flags: ['loading', 'stale'], keys: [0, 0, 0], run: () => EMPTY_ARRAY },
      { name: 'command|info', arity: -2, flags: ['loading', 'stale'], keys: [0, 0, 0], run: commandInfoFor },
    ]),
  },
  {
    name: 'config',
    arity: -2,
    flags: [],
    keys: [0, 0, 0],
    subcommands: subcommands([{ name: 'config|get', arity: -3, flags: ['admin', 'noscript', 'loading', 'stale'], keys: [0, 0, 0], run: configGet }]),
  },
  {
    name: 'quit',
    arity: -1,
    flags: ['noscript', 'loading', 'stale', 'fast'],
    keys: [0, 0, 0],
    isNeverQueued: true,
    run: (_args, context) => {
      context.closeAfterReply();
      return OK;
    },
  },
];
