// `switchboard serve <name>`: runs one server until SIGINT/SIGTERM, then drains it (drain.ts: stop
// listening, let connections finish) and exits 0, or 3 when --drain-timeout ran out first.
import { createReactor, type ReactorName } from '../reactor/default-reactors.js';
import type { Reactor } from '../reactor/reactor.js';
import { addressText } from '../transports/address.js';
import { type ListenOptions, type ListeningPort, listenTCP } from '../transports/endpoints.js';
import { OSError } from '../transports/errors.js';
import { type FlagValues, UsageError, intFlag, parseFlags, stringFlag } from './flags.js';
import { SERVERS, SERVE_FLAGS, type ServerKind, refuseFlagsNotFor, serveOptionsHelp } from './servers.js';
import { tlsOptionsFromFlags } from './tls-flags.js';
import { resolveHostFlag } from './host-flag.js';
import { listenTLS } from '../transports/tls/endpoints-tls.js';
import { type StopSignals, onStopSignal } from './stop-signals.js';
import { DEFAULT_DRAIN_SECONDS, DRAIN_TIMED_OUT_EXIT, DrainTracker, whenDrained } from './drain.js';
import { checkWorkers, isWorker, workerPolicyHelp } from './worker-policy.js';

/** What `switchboard serve --help` prints. */
export const SERVE_HELP = `usage: switchboard serve <${Object.keys(SERVERS).join('|')}> [options]

${serveOptionsHelp()}

Prints 'listening on <address>:<port>' once connections are accepted. SIGINT/SIGTERM drain: stop
accepting, let each connection finish (HTTP: the response in flight completes with 'Connection:
close', idle keep-alive connections close), then exit 0. With --workers, connection limits count
over all workers, SIGHUP replaces the workers one at a time (a rolling restart), and a primary whose
workers keep dying (over 10 restarts a minute) exits 1.

${workerPolicyHelp()}`;

/** A server startServer() has started. */
export interface RunningServer {
  /** Its name on the command line (`echo`, `http`...). */
  readonly name: string;
  /** What it is: default port, description, how to try it. */
  readonly kind: ServerKind;
  /** Its listening endpoint, to stop it. */
  readonly port: ListeningPort;
  /** The numeric address it is bound to. */
  readonly host: string;
  /** The port it is bound to (the one picked, for `--port 0`). */
  readonly portNumber: number;
  /** Its connections, to drain them on a stop. */
  readonly drain: DrainTracker;
}

/** The `--reactor` flag's value (default `selector`); throws UsageError for another name. */
export function reactorName(flags: FlagValues): ReactorName {
  const name = stringFlag(flags, 'reactor') ?? 'selector';
  if (name !== 'select' && name !== 'selector') throw new UsageError(`--reactor takes select or selector, got '${name}'`);
  return name;
}

/** Starts one server on `reactor`; throws UsageError for a port in use or a bad address. */
export async function startServer(reactor: Reactor, name: string, flags: FlagValues, port?: number): Promise<RunningServer> {
  const kind = SERVERS[name];
  if (kind === undefined) throw new UsageError(`unknown server '${name}' (one of ${Object.keys(SERVERS).join(', ')})`);
  const host = stringFlag(flags, 'host') ?? '127.0.0.1';
  const wanted = port ?? intFlag(flags, 'port') ?? kind.defaultPort;
  const scheduler = { callLater: (seconds: number, fn: () => void) => reactor.callLater(seconds, fn), seconds: () => reactor.seconds() };
  const maxConnections = intFlag(flags, 'max-connections');
  const maxConnectionsPerPeer = intFlag(flags, 'max-connections-per-peer');
  const acceptBackoff = intFlag(flags, 'accept-backoff');
  const tls = tlsOptionsFromFlags(flags);
  let listening: ListeningPort;
  const drain = new DrainTracker();
  try {
    // Behind the PROXY protocol the per-peer count is the client's, taken after the header. Loaded
    // only when asked for, as the --workers code is: every module more is one more descriptor open
    // while the CLI starts, and a server must start under a tight `ulimit -n`.
    const proxyFlags = flags['proxy-protocol'] === true ? await import('./proxy-flags.js') : undefined;
    const proxy = proxyFlags?.proxyLayerFromFlags(flags, scheduler);
    const tracked = drain.wrap(kind.build(flags, scheduler));
    const factory = proxy === undefined || proxyFlags === undefined ? tracked : proxy(tracked, maxConnectionsPerPeer === undefined ? undefined : new proxyFlags.LocalPeerLimit(maxConnectionsPerPeer));
    const options = {
      host,
      ...(maxConnections === undefined ? {} : { maxConnections }),
      ...(maxConnectionsPerPeer === undefined || proxy !== undefined ? {} : { maxConnectionsPerPeer }),
      ...(acceptBackoff === undefined ? {} : { acceptBackoff }),
      onAcceptError: (error) => console.error(`switchboard serve ${name}: ${error.message} (${error.code}); accepting pauses ${acceptBackoff ?? 1} s at a time until descriptors free up`),
    } satisfies ListenOptions;
    listening = await (tls === undefined ? listenTCP(reactor, wanted, factory, options) : listenTLS(reactor, wanted, factory, { ...options, ...tls }));
  } catch (error) {
    if (error instanceof OSError && error.code === 'EADDRINUSE') throw new UsageError(`${name}: port ${wanted} on ${host} is in use`);
    if (error instanceof OSError || error instanceof TypeError || (error instanceof Error && error.name === 'ValueError')) {
      throw new UsageError(`${name}: cannot listen on ${host}:${wanted}: ${error.message}`);
    }
    throw error;
  }
  const address = listening.address;
  const portNumber = Array.isArray(address) ? address[1] : 0;
  return { name, kind, port: listening, host: Array.isArray(address) ? address[0] : host, portNumber, drain };
}

/**
 * Drains on SIGINT/SIGTERM: stop listening, let each connection finish (drain.ts), stop the reactor
 * once none is open or `drainSeconds` passed. `exitCode` is then 0, or DRAIN_TIMED_OUT_EXIT.
 */
export function stopOnSignals(reactor: Reactor, servers: readonly RunningServer[], drainSeconds = DEFAULT_DRAIN_SECONDS): StopSignals & { readonly exitCode: number } {
  let exitCode = 0;
  const stop = (): void => {
    for (const s of servers) s.port.stopListening();
    for (const s of servers) s.drain.drainAll();
    void whenDrained(() => servers.reduce((n, s) => n + s.port.connectionCount, 0), drainSeconds, reactor).then((code) => {
      exitCode = code;
      if (code !== 0) for (const s of servers) s.drain.abortAll();
      reactor.stop();
    });
  };
  const signals = onStopSignal(stop);
  return {
    whenSettled: () => signals.whenSettled(),
    get exitCode() {
      return exitCode;
    },
  };
}

/**
 * `switchboard serve <name> [flags]`: runs one server (or its workers) until SIGINT/SIGTERM; resolves
 * to 0 after a clean stop. Throws UsageError for a bad name, flag, or a port in use.
 */
export async function serveCommand(args: readonly string[], out: (line: string) => void): Promise<number> {
  const { positional, flags } = parseFlags(args, SERVE_FLAGS);
  const [name] = positional;
  if (name === undefined || positional.length > 1) throw new UsageError('serve takes one server name (see --help)');
  if (SERVERS[name] === undefined) throw new UsageError(`unknown server '${name}' (one of ${Object.keys(SERVERS).join(', ')})`);
  refuseFlagsNotFor(name, flags);
  const host = await resolveHostFlag(stringFlag(flags, 'host'));
  if (host !== undefined) flags['host'] = host;
  if (isWorker()) return (await import('./workers.js')).runWorker(name, flags);
  const workers = intFlag(flags, 'workers') ?? 1;
  if (workers < 1 || workers > 256) throw new UsageError(`--workers takes 1 to 256, got ${workers}`);
  // Checked here too, so a bad --tls-* pair fails before any worker starts.
  tlsOptionsFromFlags(flags);
  checkWorkers(name, workers);
  if (workers > 1) return (await import('./primary.js')).runPrimary(name, flags, args, workers, out);
  const reactor = createReactor(reactorName(flags));
  const server = await startServer(reactor, name, flags);
  const signals = stopOnSignals(reactor, [server], intFlag(flags, 'drain-timeout'));
  out(`listening on ${addressText([server.host, server.portNumber])}`);
  await reactor.run();
  await signals.whenSettled();
  return signals.exitCode;
}
