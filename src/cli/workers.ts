// `serve --workers N`: N worker processes (node:cluster), each with its own reactor, behind one
// listening port. The primary only accepts and hands each connection to the next worker over IPC
// (as cluster's own round-robin does); it restarts a worker that dies and stops all on a signal.
import cluster, { type Worker } from 'node:cluster';
import { createServer, Socket as NetSocket } from 'node:net';
import { createReactor } from '../reactor/default-reactors.js';
import { addressText } from '../transports/address.js';
import { serveConnection } from '../transports/endpoints.js';
import type { SocketTransport } from '../transports/socket-transport.js';
import { type FlagValues, UsageError, intFlag, stringFlag } from './flags.js';
import { reactorName } from './serve-command.js';
import { SERVERS } from './servers.js';
import { tlsContextFromFlags } from './tls-flags.js';
import { onStopSignal } from './stop-signals.js';
import { serveTLSConnection } from '../transports/tls/endpoints-tls.js';

const WORKER_ENV = 'SWITCHBOARD_WORKER_ID';
/** Restarts allowed per minute before the primary gives up (a worker that dies at once, forever). */
const MAX_RESTARTS_PER_MINUTE = 10;

/** True in a worker process that `serve --workers` started (it serves what the primary hands it). */
export const isWorker = (): boolean => process.env[WORKER_ENV] !== undefined;

interface Message {
  readonly type: 'ready' | 'connection';
}

/** In a worker: serve the connections the primary sends until SIGTERM, then close them and exit. */
export async function runWorker(name: string, flags: FlagValues): Promise<number> {
  const kind = SERVERS[name];
  if (kind === undefined) throw new UsageError(`unknown server '${name}'`);
  const reactor = createReactor(reactorName(flags));
  const scheduler = { callLater: (seconds: number, fn: () => void) => reactor.callLater(seconds, fn), seconds: () => reactor.seconds() };
  const factory = kind.build(flags, scheduler);
  // The primary hands over plain TCP connections; each worker runs TLS on its own.
  const context = tlsContextFromFlags(flags);
  const open = new Set<SocketTransport>();
  let stopping = false;
  process.on('message', (message: Message, handle: unknown) => {
    if (message.type !== 'connection' || !(handle instanceof NetSocket)) return;
    if (stopping) {
      handle.destroy();
      return;
    }
    const transport = context === undefined ? serveConnection(reactor, handle, factory) : serveTLSConnection(reactor, handle, factory, { context });
    open.add(transport);
  });
  // SIGTERM from the primary, or the terminal's SIGINT the whole process group hears: either stops it.
  const signals = onStopSignal(() => {
    stopping = true;
    for (const transport of open) transport.close();
    const check = (): void => {
      for (const transport of open) if (transport.isClosing && transport.selectable.fileno() < 0) open.delete(transport);
      if (open.size === 0) reactor.stop();
      else reactor.callLater(0.05, check);
    };
    reactor.callSoon(check);
  });
  process.send?.({ type: 'ready' } satisfies Message);
  await reactor.run();
  await signals.whenSettled();
  process.disconnect?.();
  return 0;
}

/** In the primary: listen, start the workers, print the address once all are ready, hand out connections. */
export async function runPrimary(name: string, flags: FlagValues, args: readonly string[], count: number, out: (line: string) => void): Promise<number> {
  const kind = SERVERS[name];
  if (kind === undefined) throw new UsageError(`unknown server '${name}'`);
  const host = stringFlag(flags, 'host') ?? '127.0.0.1';
  const port = intFlag(flags, 'port') ?? kind.defaultPort;
  const server = createServer({ pauseOnConnect: true });
  await new Promise<void>((resolve, reject) => {
    server.once('error', (error: NodeJS.ErrnoException) =>
      reject(new UsageError(error.code === 'EADDRINUSE' ? `${name}: port ${port} on ${host} is in use` : `${name}: cannot listen on ${host}:${port}: ${error.message}`)),
    );
    server.listen({ host, port }, () => resolve());
  });
  const address = server.address();
  const bound = typeof address === 'object' && address !== null ? addressText([address.address, address.port]) : `${host}:${port}`;
  cluster.setupPrimary({ exec: process.argv[1] ?? '', args: ['serve', ...args.filter((_, i) => !isWorkersFlag(args, i))] });
  const ready: Worker[] = [];
  let next = 0;
  let stopping = false;
  const restarts: number[] = [];
  let id = 0;
  const fork = (): void => {
    id += 1;
    const worker = cluster.fork({ [WORKER_ENV]: String(id) });
    // A worker that died cannot take a connection: stop handing it any as soon as its channel goes.
    worker.on('error', () => {});
    worker.on('disconnect', () => {
      const at = ready.indexOf(worker);
      if (at >= 0) ready.splice(at, 1);
    });
    worker.on('message', (message: Message) => {
      if (message.type !== 'ready') return;
      ready.push(worker);
      if (ready.length === count && id === count) out(`listening on ${bound}`);
      else if (id > count) process.stderr.write(`switchboard serve: worker ${id} ready\n`);
    });
  };
  const done = new Promise<number>((resolve) => {
    cluster.on('exit', (worker, code, signal) => {
      const at = ready.indexOf(worker);
      if (at >= 0) ready.splice(at, 1);
      if (stopping) {
        if (Object.keys(cluster.workers ?? {}).length === 0) resolve(0);
        return;
      }
      const now = Date.now();
      restarts.push(now);
      while ((restarts[0] ?? now) < now - 60000) restarts.shift();
      if (restarts.length > MAX_RESTARTS_PER_MINUTE) {
        process.stderr.write(`switchboard serve: workers keep dying (${restarts.length} restarts in a minute); stopping\n`);
        stopping = true;
        server.close();
        for (const w of Object.values(cluster.workers ?? {})) w?.kill('SIGTERM');
        if (Object.keys(cluster.workers ?? {}).length === 0) resolve(1);
        return;
      }
      process.stderr.write(`switchboard serve: a worker died (${signal ?? `exit ${String(code)}`}); starting another\n`);
      fork();
    });
  });
  server.on('connection', (connection) => {
    const worker = ready[next++ % Math.max(ready.length, 1)];
    if (worker === undefined) connection.destroy();
    else {
      worker.send({ type: 'connection' } satisfies Message, connection, (error: Error | null) => {
        if (error !== null) connection.destroy();
      });
    }
  });
  const stop = (): void => {
    if (stopping) return;
    stopping = true;
    server.close();
    for (const w of Object.values(cluster.workers ?? {})) w?.kill('SIGTERM');
  };
  const signals = onStopSignal(stop);
  for (let i = 0; i < count; i++) fork();
  const code = await done;
  await signals.whenSettled();
  return code;
}

function isWorkersFlag(args: readonly string[], i: number): boolean {
  const arg = args[i] ?? '';
  if (arg.startsWith('--workers')) return true;
  return args[i - 1] === '--workers' && !arg.startsWith('--');
}
