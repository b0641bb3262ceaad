// `serve --workers N`, the primary's side: it listens, accepts, counts every connection against the
// global limits (--max-connections, --max-connections-per-peer: one count for all workers), hands
// each connection to the next worker, hosts the protocols of a server whose state is shared (chat),
// and on SIGINT/SIGTERM drains the workers; on SIGHUP it replaces them one at a time.
import cluster, { type Worker } from 'node:cluster';
import { type Server, type Socket as NetSocket, createServer } from 'node:net';
import type { Scheduler } from '../protocols/scheduler.js';
import { addressText } from '../transports/address.js';
import type { Factory } from '../contract/index.js';
import { ConnectionLedger } from './connection-ledger.js';
import { DEFAULT_DRAIN_SECONDS } from './drain.js';
import { type FlagValues, UsageError, intFlag, stringFlag } from './flags.js';
import { RelayedTransport } from './relayed-transport.js';
import { SERVERS } from './servers.js';
import { onStopSignal } from './stop-signals.js';
import { isProxyProtocol } from './proxy-flags.js';
import type { RelayEvent } from './worker-messages.js';
import { WORKER_ENV, workerPolicy } from './worker-policy.js';
import { WorkerPool, sendTo } from './worker-pool.js';

/** Seconds a refused connection may take to read its refusal before it is closed anyway. */
const REFUSAL_LINGER_SECONDS = 5;
/** Seconds the primary waits past --drain-timeout for its workers before it kills them. */
const DRAIN_GRACE_SECONDS = 5;

/** Timers for protocols that run in the primary (no reactor here: node's own loop). */
const timers: Scheduler & { seconds(): number } = {
  callLater(seconds, fn) {
    let isActive = true;
    // Past 2^31 ms node fires at once; a long timer fires early instead, and the protocols re-check the time.
    const timer = setTimeout(() => {
      isActive = false;
      fn();
    }, Math.min(seconds * 1000, 2 ** 31 - 1));
    return {
      cancel: () => {
        isActive = false;
        clearTimeout(timer);
      },
      active: () => isActive,
    };
  },
  seconds: () => performance.now() / 1000,
};

/** In the primary: listen, start the workers, print the address once all are ready, hand out connections. */
export async function runPrimary(name: string, flags: FlagValues, args: readonly string[], count: number, out: (line: string) => void): Promise<number> {
  const kind = SERVERS[name];
  if (kind === undefined) throw new UsageError(`unknown server '${name}'`);
  const host = stringFlag(flags, 'host') ?? '127.0.0.1';
  const port = intFlag(flags, 'port') ?? kind.defaultPort;
  const server = await listen(name, host, port);
  const address = server.address();
  const bound = typeof address === 'object' && address !== null ? addressText([address.address, address.port]) : `${host}:${port}`;
  const factory = kind.build(flags, timers);
  const hosted = workerPolicy(name).mode === 'primary' ? factory : undefined;
  const refusal = factory.refusal?.();
  const ledger = new ConnectionLedger({ maxConnections: intFlag(flags, 'max-connections'), maxConnectionsPerPeer: intFlag(flags, 'max-connections-per-peer') });
  const relays = new RelayHost(hosted);
  const isProxy = isProxyProtocol(flags);
  cluster.setupPrimary({ exec: process.argv[1] ?? '', args: ['serve', ...args.filter((_, i) => !isWorkersFlag(args, i))] });
  const pool = new WorkerPool(count, (id) => ({ [WORKER_ENV]: String(id) }), {
    allReady: () => out(`listening on ${bound}`),
    say: (line) => process.stderr.write(`switchboard serve: ${line}\n`),
    exited: (worker) => {
      ledger.releaseOwner(worker);
      relays.workerExited(worker);
    },
    message: (worker, message) => {
      if (message.type === 'closed') ledger.release(message.id);
      else if (message.type === 'admit') sendTo(worker, { type: 'admitted', id: message.id, isAdmitted: ledger.setPeer(message.id, message.peer) });
      else if (message.type !== 'ready') relays.event(worker, message);
    },
  });
  let nextId = 0;
  server.on('connection', (connection: NetSocket) => {
    // Behind the PROXY protocol the peer here is the balancer: the client is counted after its header.
    const peer = isProxy ? undefined : (connection.remoteAddress ?? '');
    if (ledger.isFull() || (peer !== undefined && ledger.isPeerFull(peer))) {
      refuse(connection, refusal);
      return;
    }
    const worker = pool.pick();
    if (worker === undefined) {
      connection.destroy();
      return;
    }
    nextId += 1;
    const id = nextId;
    ledger.add(id, worker, peer);
    const sent = sendTo(worker, { type: 'connection', id, relay: hosted !== undefined }, connection, (error) => {
      if (error === null) return;
      ledger.release(id);
      connection.destroy();
    });
    if (!sent) {
      ledger.release(id);
      connection.destroy();
    }
  });
  let killTimer: NodeJS.Timeout | undefined;
  const stop = (): void => {
    server.close();
    pool.stop();
    killTimer ??= setTimeout(() => pool.kill(), ((intFlag(flags, 'drain-timeout') ?? DEFAULT_DRAIN_SECONDS) + DRAIN_GRACE_SECONDS) * 1000);
  };
  const signals = onStopSignal(stop);
  const onHangup = (): void => {
    process.stderr.write('switchboard serve: SIGHUP: replacing the workers one at a time\n');
    void pool.rollingRestart().then(() => process.stderr.write('switchboard serve: rolling restart done\n'));
  };
  process.on('SIGHUP', onHangup);
  const code = await pool.done;
  clearTimeout(killTimer);
  server.close();
  process.off('SIGHUP', onHangup);
  await signals.whenSettled();
  return code;
}

function listen(name: string, host: string, port: number): Promise<Server> {
  const server = createServer({ pauseOnConnect: true });
  return new Promise<Server>((resolve, reject) => {
    server.once('error', (error: NodeJS.ErrnoException) =>
      reject(new UsageError(error.code === 'EADDRINUSE' ? `${name}: port ${port} on ${host} is in use` : `${name}: cannot listen on ${host}:${port}: ${error.message}`)),
    );
    server.listen({ host, port }, () => resolve(server));
  });
}

/**
 * A connection past a global limit: told the server's refusal (HTTP 503, RESP's "max number of
 * clients"), then closed once the client closes or REFUSAL_LINGER_SECONDS pass; what it sends is
 * read and dropped, so the refusal is read rather than lost to a reset.
 */
function refuse(connection: NetSocket, refusal: Uint8Array | undefined): void {
  connection.on('error', () => {});
  connection.setTimeout(REFUSAL_LINGER_SECONDS * 1000, () => connection.destroy());
  connection.on('data', () => {});
  connection.on('end', () => connection.destroy());
  connection.end(refusal ?? new Uint8Array(0));
  connection.resume();
}

/** The protocols of a server hosted in the primary (chat), one per relayed connection. */
class RelayHost {
  readonly #factory: Factory | undefined;
  readonly #connections = new Map<number, { readonly worker: Worker; readonly transport: RelayedTransport }>();

  constructor(factory: Factory | undefined) {
    this.#factory = factory;
  }

  event(worker: Worker, event: RelayEvent): void {
    const factory = this.#factory;
    if (factory === undefined) return;
    if (event.type === 'opened') {
      const peer = event.peer ?? '';
      const transport = new RelayedTransport(event.id, { local: event.local ?? '', peer }, factory.buildProtocol(peer), (command) => sendTo(worker, command));
      this.#connections.set(event.id, { worker, transport });
      return;
    }
    const transport = this.#connections.get(event.id)?.transport;
    if (transport === undefined) return;
    if (event.type === 'data') transport.dataReceived(Buffer.from(event.data ?? '', 'base64'));
    else if (event.type === 'eof') transport.eofReceived();
    else {
      this.#connections.delete(event.id);
      transport.connectionLost(event.data === undefined ? undefined : new Error(event.data));
    }
  }

  /** Every connection `worker` held is gone with it. */
  workerExited(worker: Worker): void {
    for (const [id, entry] of this.#connections) {
      if (entry.worker !== worker) continue;
      this.#connections.delete(id);
      entry.transport.connectionLost(new Error('The worker holding the connection exited'));
    }
  }
}

function isWorkersFlag(args: readonly string[], i: number): boolean {
  const arg = args[i] ?? '';
  if (arg.startsWith('--workers')) return true;
  return args[i - 1] === '--workers' && !arg.startsWith('--');
}
