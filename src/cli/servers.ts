// The servers `switchboard serve` and `npm start` run, with their default ports and the flags that
// set their limits (docs/limits.md lists every default).
import type { Factory } from '../contract/index.js';
import type { Scheduler } from '../protocols/scheduler.js';
import { discardFactory, echoFactory } from '../protocols/apps/echo.js';
import { chatFactory } from '../protocols/apps/chat.js';
import { idleTimeoutFactory as idle } from '../protocols/idle-timeout.js';
import { respFactory } from '../protocols/resp/resp-server.js';
import { throttled } from '../protocols/throttle.js';
import { type FlagValues, intFlag } from './flags.js';
import { demoHttpFactory } from './served-by.js';

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
        idleTimeout: seconds(flags, 'idle-timeout') ?? 120,
      }),
  },
  resp: {
    defaultPort: 6380,
    describe: 'Redis protocol (RESP2) with an in-memory store',
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
