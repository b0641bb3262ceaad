// Listening endpoints: listenTCP and listenUnix accept connections and start each one through the
// guarded path with a protocol from the factory, within the connection limits, backing off while
// descriptors run short.
import * as net from 'node:net';
import { existsSync, unlinkSync } from 'node:fs';
import { isIPv6 } from 'node:net';
import type { IOHandler, Reactor } from '../../reactor/reactor.js';
import type { DelayedCall } from '../../reactor/delayed-call.js';
import { type Address, addressText } from '../address.js';
import { AF_INET, AF_INET6, AF_UNIX, SOL_SOCKET, SO_REUSEADDR } from '../constants.js';
import { OSError, socketError } from '../errors.js';
import type { Factory, Protocol } from '../../contract/index.js';
import { Socket } from '../socket.js';
import type { SocketTransport } from '../socket-transport.js';
import { startConnection } from './connection-start.js';
import { refusedConnection } from './refused-connection.js';
import { type ListenOptions, type ListeningPort, type PrepareSocket, tuneConnection } from './endpoint-options.js';

const ACCEPTS_PER_DISPATCH = 64;
const DEFAULT_ACCEPT_BACKOFF = 1;
/** Accept failures that retrying at once cannot fix (asyncio's list): back off instead of spinning. */
const RESOURCE_SHORTAGES: ReadonlySet<string> = new Set(['EMFILE', 'ENFILE', 'ENOBUFS', 'ENOMEM']);


class ListeningHandler implements IOHandler, ListeningPort {
  readonly selectable: Socket;
  readonly address: Address;
  /** Each open connection, with the peer host it counts against in #perPeer. */
  readonly #open = new Map<SocketTransport, string>();
  readonly #perPeer = new Map<string, number>();
  readonly #reactor: Reactor;
  readonly #factory: Factory;
  readonly #options: ListenOptions;
  #backoff: DelayedCall | undefined;
  #isShortOfResources = false;
  readonly #prepare: PrepareSocket | undefined;

  constructor(socket: Socket, reactor: Reactor, factory: Factory, options: ListenOptions, prepare?: PrepareSocket) {
    this.selectable = socket;
    this.address = socket.getsockname();
    this.#reactor = reactor;
    this.#factory = factory;
    this.#options = options;
    this.#prepare = prepare;
    reactor.addReader(this);
  }

  get connectionCount(): number {
    return this.#open.size;
  }

  readReady(): void {
    // stopListening() may be called by a factory during this loop: stop accepting then.
    for (let i = 0; i < ACCEPTS_PER_DISPATCH && this.selectable.fileno() >= 0; i++) {
      let accepted: [Socket, Address] | null;
      try {
        accepted = this.selectable.tryAccept();
      } catch (error) {
        if (error instanceof OSError && RESOURCE_SHORTAGES.has(error.code)) {
          this.#backOff(error);
          return;
        }
        throw error;
      }
      if (accepted === null) return;
      this.#isShortOfResources = false;
      const [connection, peer] = accepted;
      try {
        tuneConnection(connection, this.#options);
      } catch (error) {
        // The accepted descriptor is ours until a transport owns it: close it, then report.
        connection.close();
        throw error;
      }
      const host = Array.isArray(peer) ? String(peer[0]) : '';
      const start = { reactor: this.#reactor, socket: connection, peer, options: this.#options, prepare: this.#prepare, onFailure: this.#onStartFailed };
      if (this.#isOverLimit(host)) {
        // Answered in the protocol's own way (HTTP 503, RESP's "max number of clients"), then closed;
        // open connections are untouched and the next arrival is judged afresh.
        startConnection({ ...start, factory: { buildProtocol: () => refusedConnection(this.#reactor, this.#factory.refusal?.()) } });
        continue;
      }
      // A factory or connectionMade that fails for one peer costs that peer its connection (reset),
      // not the listener.
      this.#perPeer.set(host, (this.#perPeer.get(host) ?? 0) + 1);
      startConnection({
        ...start,
        factory: this.#factory,
        onOpen: (transport) => this.#open.set(transport, host),
        onEnd: this.#onConnectionEnd,
      });
    }
  }

  // One function for every connection, the host kept in #open: a closure over `host` per connection
  // would be held by its transport for as long as it is open (~100 B each of 10,000 idle connections).
  readonly #onConnectionEnd = (transport: SocketTransport): void => {
    const host = this.#open.get(transport);
    if (host === undefined) return;
    this.#open.delete(transport);
    const left = (this.#perPeer.get(host) ?? 1) - 1;
    if (left > 0) this.#perPeer.set(host, left);
    else this.#perPeer.delete(host);
  };

  /** A connection failed to start: the factory hears it if it listens, stderr otherwise. */
  readonly #onStartFailed = (error: Error): void => {
    if (this.#factory.connectionFailed !== undefined) this.#factory.connectionFailed(error);
    else console.error(`switchboard: starting a connection on ${addressText(this.address)} failed:`, error);
  };

  #isOverLimit(host: string): boolean {
    const total = this.#options.maxConnections ?? Number.POSITIVE_INFINITY;
    const perPeer = this.#options.maxConnectionsPerPeer ?? Number.POSITIVE_INFINITY;
    return this.#open.size >= total || (this.#perPeer.get(host) ?? 0) >= perPeer;
  }

  /**
   * Out of descriptors (or buffers): stop accepting for a while rather than fail at once again, as
   * asyncio does. Connections that come meanwhile wait in the accept queue; the ones libuv could not
   * take were closed by it already. Said once per run of failures.
   */
  #backOff(error: OSError): void {
    if (!this.#isShortOfResources) {
      this.#isShortOfResources = true;
      const report = this.#options.onAcceptError ?? reportAcceptError;
      report(error, this.address);
    }
    this.#reactor.removeReader(this);
    this.#backoff = this.#reactor.callLater(this.#options.acceptBackoff ?? DEFAULT_ACCEPT_BACKOFF, () => {
      this.#backoff = undefined;
      if (this.selectable.fileno() >= 0) this.#reactor.addReader(this);
    });
  }

  /**
   * readReady threw (accept() failed in a way backing off cannot help): keep listening. The reactor
   * reported the error already (its onError, once per failure); saying it here as well printed
   * every such failure twice.
   */
  handlerFailed(): void {
    // Nothing to close: the listener stays registered and tries again on the next readiness.
  }

  stopListening(): void {
    if (this.#backoff?.active() === true) this.#backoff.cancel();
    this.#backoff = undefined;
    this.#reactor.removeAll(this);
    this.selectable.close();
  }

  closeConnections(): void {
    for (const transport of [...this.#open.keys()]) transport.close();
  }
}

/**
 * Listens for TCP connections on `options.host` (default 127.0.0.1; IPv6 for an IPv6 address or
 * `'::'`) and `port` (0: a free one, read it from the result's `address`), with SO_REUSEADDR, and
 * serves each accepted connection with a protocol from `factory` on `reactor` (Twisted's
 * `reactor.listenTCP`). Rejects with an OSError when the address cannot be bound (`EADDRINUSE`...).
 */
export function listenTCP(reactor: Reactor, port: number, factory: Factory, options: ListenOptions = {}): Promise<ListeningPort> {
  return listenTCPPrepared(reactor, port, factory, options);
}

/** listenTCP with `prepare` run on each accepted socket (for listenTLS; not part of the public surface). */
export async function listenTCPPrepared(reactor: Reactor, port: number, factory: Factory, options: ListenOptions, prepare?: PrepareSocket): Promise<ListeningPort> {
  const host = options.host ?? '127.0.0.1';
  const socket = new Socket(isIPv6(host) || host === '::' ? AF_INET6 : AF_INET);
  try {
    socket.setsockopt(SOL_SOCKET, SO_REUSEADDR, 1);
    socket.bind([host, port]);
    socket.listen(options.backlog ?? 511);
  } catch (error) {
    socket.close();
    throw error;
  }
  return new ListeningHandler(socket, reactor, factory, options, prepare);
}

/**
 * Listens on a Unix path. A path left behind by a dead process is replaced, but only once a
 * connect to it has been refused: a live listener's path is never taken (EADDRINUSE then).
 */
export async function listenUnix(reactor: Reactor, path: string, factory: Factory, options: ListenOptions = {}): Promise<ListeningPort> {
  if (existsSync(path)) {
    const state = await probeUnixPath(path);
    if (state === 'live') throw socketError('EADDRINUSE', 'bind', `${path} has a live listener`);
    if (state === 'stale') {
      unlinkSync(path);
      console.error(`switchboard: replaced stale Unix socket ${path} (a connect to it was refused)`);
    }
  }
  const socket = new Socket(AF_UNIX);
  try {
    socket.bind(path);
    socket.listen(options.backlog ?? 511);
  } catch (error) {
    socket.close();
    throw error;
  }
  // TCP_NODELAY is TCP's: a Unix connection is not given it.
  return new ListeningHandler(socket, reactor, factory, { ...options, noDelay: false });
}

/** What answers at a path: a live listener, nobody (a stale file), or nothing there at all. */
function probeUnixPath(path: string): Promise<'live' | 'stale' | 'absent'> {
  return new Promise((resolve) => {
    const probe = net.connect({ path });
    probe.once('connect', () => {
      probe.destroy();
      resolve('live');
    });
    probe.once('error', (error: NodeJS.ErrnoException) => {
      probe.destroy();
      resolve(error.code === 'ECONNREFUSED' ? 'stale' : error.code === 'ENOENT' ? 'absent' : 'live');
    });
  });
}

function reportAcceptError(error: OSError, address: Address): void {
  console.error(`switchboard: accept on ${addressText(address)} failed (${error.code}): ${error.message}; pausing accepts until it passes`);
}
