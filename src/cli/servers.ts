// The servers `switchboard serve` and `npm start` run, with their default ports, and the one table of
// the flags `serve` takes: each flag's kind, the servers it applies to and its help line. A flag
// given to a server it does not apply to is refused, so nobody believes a limit is set that is not
// (docs/limits.md lists every default). To add a flag, add a row to SERVE_OPTIONS.
import type { Factory } from '../contract/index.js';
import type { Scheduler } from '../protocols/scheduler.js';
import { discardFactory, echoFactory } from '../protocols/apps/echo.js';
import { chatFactory } from '../protocols/apps/chat.js';
import { idleTimeoutFactory as idle } from '../protocols/idle-timeout.js';
import { LingeringCloser } from '../protocols/lingering-close.js';
import { respFactory } from '../protocols/resp/resp-server.js';
import { throttled } from '../protocols/throttle.js';
import { type FlagKind, type FlagSpec, type FlagValues, UsageError, intFlag } from './flags.js';
import { demoHttpFactory } from './served-by.js';
import { DEFAULT_DRAIN_SECONDS, DRAIN_TIMED_OUT_EXIT } from './drain.js';

/** One server the CLI can run. */
export interface ServerKind {
  /** The port it listens on without `--port`. */
  readonly defaultPort: number;
  /** One line saying what it does. */
  readonly describe: string;
  /** A command a person can paste to try it, given the address it listens on. */
  tryIt(host: string, port: number): string;
  /** Its factory, with the limits the flags set and timers on `scheduler`. */
  build(flags: FlagValues, scheduler: Scheduler): Factory;
}

const seconds = (flags: FlagValues, name: string): number | undefined => {
  const value = flags[name];
  return typeof value === 'number' ? value : undefined;
};

function defined<T extends object>(value: T): { [K in keyof T]: Exclude<T[K], undefined> } {
  // Drops undefined entries so that defaults below apply (exactOptionalPropertyTypes).
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as { [K in keyof T]: Exclude<T[K], undefined> };
}

const hostForUrl = (host: string): string => (host.includes(':') ? `[${host}]` : host);

/** The servers by name: echo, discard, chat, http, resp. */
export const SERVERS: Readonly<Record<string, ServerKind>> = throttleEach({
  echo: {
    defaultPort: 9007,
    describe: 'echo (RFC 862): every byte comes back',
    tryIt: (host, port) => `nc ${host} ${port}`,
    build: (flags, scheduler) => idle(echoFactory(), seconds(flags, 'idle-timeout') ?? 300, scheduler),
  },
  discard: {
    defaultPort: 9009,
    describe: 'discard (RFC 863): reads and drops',
    tryIt: (host, port) => `nc ${host} ${port}`,
    build: (flags, scheduler) => idle(discardFactory(), seconds(flags, 'idle-timeout') ?? 300, scheduler),
  },
  chat: {
    defaultPort: 9010,
    describe: 'line chat: /nick NAME, every line goes to everyone else',
    tryIt: (host, port) => `nc ${host} ${port}`,
    build: (flags, scheduler) => idle(chatFactory(defined({ maxLineBytes: intFlag(flags, 'max-line-bytes') })), seconds(flags, 'idle-timeout') ?? 3600, scheduler),
  },
  http: {
    defaultPort: 8080,
    describe: 'HTTP/1.1: GET /, POST /echo, GET /bytes/<n>',
    tryIt: (host, port) => `curl http://${hostForUrl(host)}:${port}/`,
    build: (flags, scheduler) =>
      demoHttpFactory({
        scheduler,
        limits: defined({
          maxHeaderBytes: intFlag(flags, 'max-header-bytes'),
          maxHeaders: intFlag(flags, 'max-headers'),
          maxBodyBytes: intFlag(flags, 'max-body-bytes'),
        }),
        headerTimeout: seconds(flags, 'header-timeout') ?? 30,
        ...defined({ requestTimeout: seconds(flags, 'request-timeout') }),
        idleTimeout: seconds(flags, 'idle-timeout') ?? 120,
        // One cap for the whole listener, made here: under --workers demoHttpFactory builds an
        // httpFactory per connection, which would otherwise make a closer (and a cap) per connection.
        lingering: new LingeringCloser(scheduler, defined({ maxLingering: intFlag(flags, 'max-lingering') })),
      }),
  },
  resp: {
    defaultPort: 6380,
    describe: 'Redis protocol (RESP2, RESP3 after HELLO 3) with an in-memory store',
    tryIt: (host, port) => `redis-cli -h ${host} -p ${port} ping`,
    build: (flags, scheduler) =>
      idle(
        respFactory({
          scheduler,
          limits: defined({ maxBulkBytes: intFlag(flags, 'max-bulk-bytes'), maxDepth: intFlag(flags, 'max-depth'), maxQueryBytes: intFlag(flags, 'max-query-bytes') }),
        }),
        seconds(flags, 'idle-timeout') ?? 0,
        scheduler,
      ),
  },
});

/**
 * `--read-limit` / `--write-limit` BYTES_PER_SEC, for every server: each connection throttled to that
 * rate (0 or absent: not throttled). Applied here so that `serve --workers` throttles the same way.
 */
function throttleEach(kinds: Record<string, ServerKind>): Record<string, ServerKind> {
  const wrap = (kind: ServerKind): ServerKind => ({
    ...kind,
    build(flags, scheduler) {
      const factory = kind.build(flags, scheduler);
      const readBytesPerSecond = positive(intFlag(flags, 'read-limit'));
      const writeBytesPerSecond = positive(intFlag(flags, 'write-limit'));
      if (readBytesPerSecond === undefined && writeBytesPerSecond === undefined) return factory;
      const seconds = scheduler.seconds?.bind(scheduler);
      if (seconds === undefined) throw new TypeError('--read-limit and --write-limit need a scheduler with a clock');
      return throttled(factory, { readBytesPerSecond, writeBytesPerSecond, scheduler: { callLater: scheduler.callLater.bind(scheduler), seconds } });
    },
  });
  return Object.fromEntries(Object.entries(kinds).map(([name, kind]) => [name, wrap(kind)]));
}

function positive(value: number | undefined): number | undefined {
  return value === undefined || value <= 0 ? undefined : value;
}

/** One row of SERVE_OPTIONS: a flag of `serve`. */
export interface ServeOption {
  /** How its value is read. */
  readonly kind: FlagKind;
  /** The servers it applies to (`all`, or names in SERVERS); `serve` refuses it for any other. */
  readonly servers: 'all' | readonly string[];
  /** Its value's placeholder in --help (`N`, `S`, `FILE`...; empty for a boolean flag). */
  readonly value: string;
  /** Its help text; a line break continues it on the next line, indented. */
  readonly help: string;
}

/** Every flag of `serve`, by name without `--`: the one place that says which server takes which flag. */
export const SERVE_OPTIONS: Readonly<Record<string, ServeOption>> = {
  host: { kind: 'string', servers: 'all', value: 'ADDR', help: 'address to listen on (default 127.0.0.1; IPv6 as ::1 or [::1]); a host name\nlistens on its first address' },
  port: { kind: 'port', servers: 'all', value: 'N', help: 'port 0-65535 (0 picks a free one; default: echo 9007, discard 9009,\nchat 9010, http 8080, resp 6380)' },
  reactor: { kind: 'string', servers: 'all', value: 'NAME', help: 'select or selector (default selector)' },
  workers: { kind: 'int', servers: 'all', value: 'N', help: 'N worker processes, each with its own reactor, sharing the port (default 1)' },
  'max-connections': {
    kind: 'int',
    servers: 'all',
    value: 'N',
    help: "connections open at once (default unlimited); past it HTTP says 503,\nRESP '-ERR max number of clients reached'",
  },
  'max-connections-per-peer': { kind: 'int', servers: 'all', value: 'N', help: 'the same, per peer address (default unlimited)' },
  'max-line-bytes': { kind: 'int', servers: ['chat'], value: 'N', help: 'longest line' },
  'max-header-bytes': { kind: 'int', servers: ['http'], value: 'N', help: 'request line and headers (default 16384)' },
  'max-headers': { kind: 'int', servers: ['http'], value: 'N', help: 'header fields (default 2000)' },
  'max-body-bytes': { kind: 'int', servers: ['http'], value: 'N', help: 'request body (default 16777216)' },
  'max-bulk-bytes': { kind: 'int', servers: ['resp'], value: 'N', help: 'bulk string (default 536870912)' },
  'max-depth': { kind: 'int', servers: ['resp'], value: 'N', help: 'array nesting' },
  'max-query-bytes': { kind: 'int', servers: ['resp'], value: 'N', help: 'bytes held for one command being read (default 1073741824)' },
  'header-timeout': { kind: 'seconds', servers: ['http'], value: 'S', help: 'seconds to send a request head (default 30)' },
  'request-timeout': {
    kind: 'seconds',
    servers: ['http'],
    value: 'S',
    help: "seconds to send a whole request, head and body (default 300, node:http's\nrequestTimeout; 0: none); past it 408 and the connection closes",
  },
  'max-lingering': {
    kind: 'int',
    servers: ['http'],
    value: 'N',
    help: 'connections lingering at once after their last answer, reading what the\nclient still sends (default 256); past it one closes at once',
  },
  'handshake-timeout': {
    kind: 'seconds',
    servers: 'all',
    value: 'S',
    help: 'with --tls-cert: seconds a client has to finish the TLS handshake\n(default 120), then the connection closes',
  },
  'idle-timeout': { kind: 'seconds', servers: 'all', value: 'S', help: 'seconds a connection may idle (default: http 120, chat 3600,\necho and discard 300, resp 0: never)' },
  'read-limit': {
    kind: 'int',
    servers: 'all',
    value: 'N',
    help: 'bytes per second read from each connection (default 0: unlimited);\npast it reading pauses until the next second, so TCP slows the client',
  },
  'write-limit': {
    kind: 'int',
    servers: 'all',
    value: 'N',
    help: 'bytes per second written to each connection (default 0: unlimited);\npast it the reply waits for the next second, never dropped',
  },
  'accept-backoff': {
    kind: 'seconds',
    servers: 'all',
    value: 'S',
    help: 'seconds accepting pauses when the process runs out of file descriptors\n(default 1); said once on stderr until accepting works again',
  },
  'tls-cert': { kind: 'string', servers: 'all', value: 'FILE', help: 'serve over TLS with this certificate chain (PEM); needs --tls-key' },
  'tls-key': { kind: 'string', servers: 'all', value: 'FILE', help: "the certificate's private key (PEM); works with --workers too" },
  'drain-timeout': {
    kind: 'seconds',
    servers: 'all',
    value: 'S',
    help: `seconds a stop may take to let connections finish (default ${DEFAULT_DRAIN_SECONDS});\npast it the rest are closed and the exit status is ${DRAIN_TIMED_OUT_EXIT}`,
  },
  'proxy-protocol': {
    kind: 'boolean',
    servers: 'all',
    value: '',
    help: "each connection starts with a PROXY header (HAProxy's, v1 or v2) from a\nbalancer: the server and --max-connections-per-peer see the client's address",
  },
  'proxy-from': {
    kind: 'string',
    servers: 'all',
    value: 'LIST',
    help: 'balancers allowed to send it: addresses or CIDR prefixes, comma-separated\n(default 127.0.0.0/8,::1); a connection from anywhere else is closed',
  },
  'proxy-timeout': { kind: 'seconds', servers: 'all', value: 'S', help: 'seconds to send the whole PROXY header (default 10), then it is closed' },
};

/** The kinds of SERVE_OPTIONS, for parseFlags(). */
export const SERVE_FLAGS: FlagSpec = Object.fromEntries(Object.entries(SERVE_OPTIONS).map(([name, option]) => [name, option.kind]));

/** Throws UsageError naming the first flag in `flags` that does not apply to server `name`. */
export function refuseFlagsNotFor(name: string, flags: FlagValues): void {
  for (const flag of Object.keys(flags)) {
    const servers = SERVE_OPTIONS[flag]?.servers ?? 'all';
    if (servers !== 'all' && !servers.includes(name)) {
      throw new UsageError(`--${flag} does not apply to serve ${name} (only to ${servers.join(', ')})`);
    }
  }
}

/** The option lines of `serve --help`, made from SERVE_OPTIONS; a server-specific flag says whose it is. */
export function serveOptionsHelp(): string {
  const width = 25;
  return Object.entries(SERVE_OPTIONS)
    .map(([name, option]) => {
      const flag = `  --${name}${option.value === '' ? '' : ` ${option.value}`}`;
      const whose = option.servers === 'all' ? '' : `${option.servers.join(', ')}: `;
      const [first = '', ...rest] = `${whose}${option.help}`.split('\n');
      const head = flag.length < width ? `${flag.padEnd(width)}${first}` : `${flag}   ${first}`;
      return [head, ...rest.map((line) => `${' '.repeat(width)}${line}`)].join('\n');
    })
    .join('\n');
}
