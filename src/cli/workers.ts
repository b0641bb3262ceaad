// `serve --workers N`, the worker's side: N worker processes (node:cluster), each with its own
// reactor, serve the connections the primary accepts and hands over IPC (as cluster's own round
// robin does). A server whose state all clients share runs in the primary instead (see
// worker-policy.ts): its workers relay each connection's events there. On `drain` from the primary
// (a stop or a rolling restart) or a stop signal, a worker stops taking connections, lets the open
// ones finish (drain.ts), and exits.
import cluster from 'node:cluster';
import { Socket as NetSocket } from 'node:net';
import { createReactor } from '../reactor/default-reactors.js';
import type { Address } from '../transports/address.js';
import { serveConnection } from '../transports/endpoints.js';
import type { Factory } from '../contract/index.js';
import { serveTLSConnection } from '../transports/tls/endpoints-tls.js';
import { ConnectionRelay } from './connection-relay.js';
import { DEFAULT_DRAIN_SECONDS, DrainTracker, whenDrained } from './drain.js';
import { type FlagValues, UsageError, intFlag } from './flags.js';
import { reactorName } from './serve-command.js';
import { SERVERS } from './servers.js';
import { onStopSignal } from './stop-signals.js';
import { proxyLayerFromFlags } from './proxy-flags.js';
import type { PeerAdmission } from '../protocols/proxy/index.js';
import { tlsOptionsFromFlags } from './tls-flags.js';
import { type RelayCommand, type ToPrimary, type ToWorker, isMessage } from './worker-messages.js';
import { workerPolicy } from './worker-policy.js';

/** Sends `message` to the primary; `sent` runs once the channel took it (or the channel is gone). */
function toPrimary(message: ToPrimary, sent?: () => void): void {
  if (process.send === undefined || process.connected !== true) {
    sent?.();
    return;
  }
  process.send(message, undefined, {}, () => sent?.());
}

/**
 * In a worker: serves the connections the primary sends until it says `drain` or a stop signal
 * comes; then finishes them (bounded by --drain-timeout) and resolves to the exit status: 0, or
 * DRAIN_TIMED_OUT_EXIT when connections were still open at the deadline.
 */
export async function runWorker(name: string, flags: FlagValues): Promise<number> {
  const kind = SERVERS[name];
  if (kind === undefined) throw new UsageError(`unknown server '${name}'`);
  const reactor = createReactor(reactorName(flags));
  const scheduler = { callLater: (seconds: number, fn: () => void) => reactor.callLater(seconds, fn), seconds: () => reactor.seconds() };
  const tracker = new DrainTracker();
  const isRelay = workerPolicy(name).mode === 'primary';
  const local = isRelay ? undefined : kind.build(flags, scheduler);
  // The primary hands over plain TCP connections; each worker runs TLS on its own.
  const tls = tlsOptionsFromFlags(flags);
  const relays = new Map<number, ConnectionRelay>();
  const admissions = new Map<number, (isAdmitted: boolean) => void>();
  const open = new Set<number>();
  const proxy = proxyLayerFromFlags(flags, scheduler);
  const perPeer = intFlag(flags, 'max-connections-per-peer');
  let isStopping = false;

  const serve = (id: number, handle: NetSocket, relay: boolean): void => {
    open.add(id);
    // The socket's own close, not the protocol's connectionLost: a connection handed on by an HTTP
    // Upgrade never reports that, and the primary's count must not keep its place forever.
    handle.once('close', () => {
      open.delete(id);
      toPrimary({ type: 'closed', id });
    });
    const inner: Factory | undefined = relay ? relayFactory(id, relays) : local;
    if (isStopping || inner === undefined) {
      handle.destroy();
      return;
    }
    const tracked = tracker.wrap(inner);
    // Behind the PROXY protocol the per-peer count is taken in the primary, once the header named the client.
    const factory = proxy === undefined ? tracked : proxy(tracked, perPeer === undefined ? undefined : admissionThroughPrimary(id, admissions));
    try {
      if (tls === undefined) serveConnection(reactor, handle, factory);
      else serveTLSConnection(reactor, handle, factory, tls);
    } catch (error) {
      // One connection that cannot be served (reset on its way here) costs only itself.
      handle.destroy();
      process.stderr.write(`switchboard serve: a connection could not be served: ${error instanceof Error ? error.message : String(error)}\n`);
    }
  };

  let exitCode = 0;
  const beginDrain = (): void => {
    if (isStopping) return;
    isStopping = true;
    tracker.drainAll();
    void whenDrained(() => open.size, intFlag(flags, 'drain-timeout') ?? DEFAULT_DRAIN_SECONDS, reactor).then((code) => {
      exitCode = code;
      if (code !== 0) tracker.abortAll();
      reactor.stop();
    });
  };

  process.on('message', (message: unknown, handle: unknown) => {
    if (!isMessage(message)) return;
    const m = message as ToWorker;
    if (m.type === 'connection' && handle instanceof NetSocket) serve(m.id, handle, m.relay);
    else if (m.type === 'drain') beginDrain();
    else if (m.type === 'admitted') {
      admissions.get(m.id)?.(m.isAdmitted);
      admissions.delete(m.id);
    }
    else if (m.type !== 'connection') relays.get(m.id)?.command(m satisfies RelayCommand);
  });
  // SIGTERM, or the terminal's SIGINT the whole process group hears: drain as on the primary's word.
  const signals = onStopSignal(beginDrain);
  // A hangup reaches the whole group too; it is the primary's (a rolling restart), not the worker's.
  process.on('SIGHUP', () => {});
  toPrimary({ type: 'ready' });
  await reactor.run();
  await signals.whenSettled();
  // cluster's own disconnect: on a bare process.disconnect() a worker exits 0 whatever its status.
  if (cluster.worker === undefined) process.disconnect?.();
  else cluster.worker.disconnect();
  return exitCode;
}

/** The per-peer limit of connection `id`, asked of the primary (which counts over all workers; it frees the place on `closed`). */
function admissionThroughPrimary(id: number, waiting: Map<number, (isAdmitted: boolean) => void>): PeerAdmission {
  return {
    admit: (peer, decide) => {
      waiting.set(id, decide);
      toPrimary({ type: 'admit', id, peer: typeof peer === 'string' ? peer : peer[0] });
    },
  };
}

/** A factory whose only connection (`id`) relays its events to the server's protocol in the primary. */
function relayFactory(id: number, relays: Map<number, ConnectionRelay>): Factory {
  return {
    buildProtocol: (peer: Address) => {
      const relay = new ConnectionRelay(id, peer, toPrimary, () => relays.delete(id));
      relays.set(id, relay);
      return relay;
    },
  };
}
