// Endpoints build connections: listen and connect for TCP (IPv4/IPv6) and Unix paths, one protocol
// per connection from a factory. Failures to connect reach the factory's connectionFailed(), never
// an unhandled rejection.
import * as net from 'node:net';
import { existsSync, unlinkSync } from 'node:fs';
import { isIPv6 } from 'node:net';
import type { IOHandler, Reactor } from '../reactor/reactor.js';
import type { DelayedCall } from '../reactor/delayed-call.js';
import { type Address, addressText } from './address.js';
import { AF_INET, AF_INET6, AF_UNIX, IPPROTO_TCP, SOL_SOCKET, SO_RCVBUF, SO_REUSEADDR, SO_SNDBUF, TCP_NODELAY } from './constants.js';
import { BlockingIOError, OSError, TimeoutError, codeOf, socketError } from './errors.js';
import type { Factory, Protocol } from '../contract/index.js';
import { Socket } from './socket.js';
import { refusedConnection } from './refused-connection.js';
import type { SocketTransport, SocketTransportOptions } from './socket-transport.js';
import { startConnection } from './connection-start.js';

/**
 * The emulated buffers of a connection made by an endpoint: Linux starts a TCP socket at 16 KiB of
 * send buffer but autotunes it to megabytes under load; a reactor connection starts at 256 KiB, so
 * a stream is not throttled by the emulation (the real kernel buffers still sit underneath).
 */
export const CONNECTION_BUFFER_BYTES = 256 * 1024;

function tuneBuffers(socket: Socket, options: BufferOptions): void {
  socket.setsockopt(SOL_SOCKET, SO_SNDBUF, options.sendBufferBytes ?? CONNECTION_BUFFER_BYTES);
  socket.setsockopt(SOL_SOCKET, SO_RCVBUF, options.receiveBufferBytes ?? CONNECTION_BUFFER_BYTES);
}

/** The emulated kernel buffers of each connection an endpoint makes, in bytes. */
export interface BufferOptions {
  /** SO_SNDBUF of each connection (default CONNECTION_BUFFER_BYTES). */
  readonly sendBufferBytes?: number;
  /** SO_RCVBUF of each connection (default CONNECTION_BUFFER_BYTES). */
  readonly receiveBufferBytes?: number;
}

/** The TCP options of each connection an endpoint makes (ignored for Unix paths). */
export interface NoDelayOption extends BufferOptions {
  /** TCP_NODELAY on each connection (default true: a reply is sent now, not after a delayed ACK). */
  readonly noDelay?: boolean;
}

/** Options of listenTCP() and listenUnix(): where to bind, limits, and each connection's transport options. */
export interface ListenOptions extends SocketTransportOptions, NoDelayOption {
  /** The address to bind; default 127.0.0.1 (loopback only: pass '::' or '0.0.0.0' to listen wider). */
  readonly host?: string;
  /** listen()'s backlog: connections the kernel queues before they are accepted (default 511, as Node's). */
  readonly backlog?: number;
  /** Connections open at once; past it a new one gets the factory's refusal and is closed. */
  readonly maxConnections?: number;
  /** Connections open at once from one peer address (Twisted's LimitConnectionsByPeer). */
  readonly maxConnectionsPerPeer?: number;
  /** Seconds accepting pauses after accept() fails for want of descriptors (default 1, as asyncio). */
  readonly acceptBackoff?: number;
  /**
   * Hears the first failure of each run of descriptor shortage (EMFILE/ENFILE), once, not at every
   * retry; the run ends at the next successful accept. Default: one line on stderr.
   */
  readonly onAcceptError?: (error: OSError, address: Address) => void;
}

/** Options of connectTCP(): the attempt's timeout, and the connection's socket and transport options. */
export interface ConnectOptions extends SocketTransportOptions, NoDelayOption {
  /** Seconds before the attempt fails with TimeoutError (default 30). */
  readonly timeout?: number;
}

/** A listening endpoint: where it is bound, how many connections it has open, how to stop it. */
export interface ListeningPort {
  /** The address bound, as getsockname() gives it: with `port` 0, the port the system picked. */
  readonly address: Address;
  /** Connections accepted here that are still open. */
  readonly connectionCount: number;
  /** Stops accepting; open connections go on until they close. */
  stopListening(): void;
  /** Closes every open connection once its queued data is out (a graceful shutdown). */
  closeConnections(): void;
}

/** An outgoing attempt in progress. */
export interface Connector {
  /** Gives up: the factory's connectionFailed() gets a ConnectionAbortedError-like OSError. */
  stopConnecting(): void;
}

/** Runs on each new connection's socket before its protocol is built (listenTLS wraps it for TLS). */
export type PrepareSocket = (socket: Socket) => void;

const ACCEPTS_PER_DISPATCH = 64;
const DEFAULT_CONNECT_TIMEOUT = 30;
const DEFAULT_ACCEPT_BACKOFF = 1;
/** Accept failures that retrying at once cannot fix (asyncio's list): back off instead of spinning. */
const RESOURCE_SHORTAGES: ReadonlySet<string> = new Set(['EMFILE', 'ENFILE', 'ENOBUFS', 'ENOMEM']);

class ListeningHandler implements IOHandler, ListeningPort {
  readonly selectable: Socket;
  readonly address: Address;
  readonly #open = new Set<SocketTransport>();
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
      if (connection.family !== AF_UNIX && this.#options.noDelay !== false) connection.setsockopt(IPPROTO_TCP, TCP_NODELAY, 1);
      tuneBuffers(connection, this.#options);
      this.#prepare?.(connection);
      const host = Array.isArray(peer) ? String(peer[0]) : '';
      const start = { reactor: this.#reactor, socket: connection, peer, options: this.#options, onFailure: this.#onStartFailed };
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
        onOpen: (transport) => this.#open.add(transport),
        onEnd: (transport) => {
          this.#open.delete(transport);
          const left = (this.#perPeer.get(host) ?? 1) - 1;
          if (left > 0) this.#perPeer.set(host, left);
          else this.#perPeer.delete(host);
        },
      });
    }
  }

  /** A connection failed to start: the factory hears it if it listens, stderr otherwise. */
  readonly #onStartFailed = (error: Error): void => {
    if (this.#factory.connectionFailed !== undefined) this.#factory.connectionFailed(error);
    else this.handlerFailed(error);
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

  /** accept() or the factory failed in some other way: keep listening, report it. */
  handlerFailed(error: unknown): void {
    console.error(`switchboard: accepting a connection on ${addressText(this.address)} failed:`, error);
  }

  stopListening(): void {
    if (this.#backoff?.active() === true) this.#backoff.cancel();
    this.#backoff = undefined;
    this.#reactor.removeAll(this);
    this.selectable.close();
  }

  closeConnections(): void {
    for (const transport of [...this.#open]) transport.close();
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
  return new ListeningHandler(socket, reactor, factory, options);
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

class ConnectingHandler implements IOHandler, Connector {
  readonly selectable: Socket;
  readonly #reactor: Reactor;
  readonly #factory: Factory;
  readonly #target: [string, number];
  readonly #options: SocketTransportOptions;
  readonly #timer: DelayedCall;
  readonly #prepare: PrepareSocket | undefined;
  #isDone = false;

  constructor(socket: Socket, target: [string, number], reactor: Reactor, factory: Factory, options: ConnectOptions, prepare?: PrepareSocket) {
    this.selectable = socket;
    this.#prepare = prepare;
    this.#target = target;
    this.#reactor = reactor;
    this.#factory = factory;
    this.#options = options;
    this.#timer = reactor.callLater(options.timeout ?? DEFAULT_CONNECT_TIMEOUT, () =>
      this.#fail(socketError('ETIMEDOUT', 'connect', `Connecting to ${addressText(target)} timed out`)),
    );
    reactor.addWriter(this);
    reactor.addErrorWatcher(this);
  }

  writeReady(): void {
    // The second connect_ex reports the outcome, as the kernel does: 0, or the pending error.
    const rc = this.selectable.connectEx(this.#target);
    if (rc === 0) this.#succeed();
    else if (codeOf(rc) !== 'EALREADY' && codeOf(rc) !== 'EINPROGRESS') this.#fail(socketError(codeOf(rc), 'connect'));
  }

  errorReady(): void {
    this.writeReady();
  }

  handlerFailed(error: unknown): void {
    this.#fail(error instanceof Error ? error : new Error(String(error)));
  }

  stopConnecting(): void {
    this.#fail(socketError('ECANCELED', 'connect', 'Connecting was cancelled'));
  }

  #succeed(): void {
    if (!this.#finish()) return;
    const factory = this.#factory;
    startConnection({
      reactor: this.#reactor,
      socket: this.selectable,
      factory,
      peer: this.selectable.getpeername(),
      options: this.#options,
      prepare: this.#prepare,
      onFailure: (error) => reportFailure(factory, error),
    });
  }

  #fail(reason: Error): void {
    if (!this.#finish()) return;
    this.selectable.close();
    reportFailure(this.#factory, reason);
  }

  #finish(): boolean {
    if (this.#isDone) return false;
    this.#isDone = true;
    if (this.#timer.active()) this.#timer.cancel();
    this.#reactor.removeAll(this);
    return true;
  }
}

function reportAcceptError(error: OSError, address: Address): void {
  console.error(`switchboard: accept on ${addressText(address)} failed (${error.code}): ${error.message}; pausing accepts until it passes`);
}

function reportFailure(factory: Factory, reason: Error): void {
  if (factory.connectionFailed !== undefined) factory.connectionFailed(reason);
  else console.error('switchboard: connection failed and the factory has no connectionFailed():', reason);
}

/**
 * Starts a TCP connection to `host` (a numeric address or a name, resolved in the background) and
 * `port` (Twisted's `reactor.connectTCP`). On success `factory` builds the protocol and it gets
 * connectionMade(); on failure (refused, unreachable, `options.timeout` seconds passed, default 30)
 * `factory.connectionFailed(reason)` is called instead, on a later turn: it never throws for a
 * connection error. Returns a Connector to give up early.
 */
export function connectTCP(reactor: Reactor, host: string, port: number, factory: Factory, options: ConnectOptions = {}): Connector {
  return connectTCPPrepared(reactor, host, port, factory, options);
}

/** connectTCP with `prepare` run on the socket once connected (for connectTLS; not part of the public surface). */
export function connectTCPPrepared(reactor: Reactor, host: string, port: number, factory: Factory, options: ConnectOptions, prepare?: PrepareSocket): Connector {
  const socket = new Socket(isIPv6(host) ? AF_INET6 : AF_INET);
  if (options.noDelay !== false) socket.setsockopt(IPPROTO_TCP, TCP_NODELAY, 1);
  tuneBuffers(socket, options);
  const rc = socket.connectEx([host, port]);
  if (rc !== 0 && codeOf(rc) !== 'EINPROGRESS') {
    socket.close();
    const reason = socketError(codeOf(rc), 'connect');
    reactor.callSoon(() => reportFailure(factory, reason));
    return { stopConnecting() {} };
  }
  return new ConnectingHandler(socket, [host, port], reactor, factory, options, prepare);
}

/** Connects to a Unix path: the outcome is known at once for a listener in this process. */
export function connectUnix(reactor: Reactor, path: string, factory: Factory, options: SocketTransportOptions = {}): Connector {
  const socket = new Socket(AF_UNIX);
  try {
    socket.connect(path);
  } catch (error) {
    socket.close();
    reactor.callSoon(() => reportFailure(factory, error instanceof Error ? error : new Error(String(error))));
    return { stopConnecting() {} };
  }
  let isStarted = false;
  reactor.callSoon(() => {
    if (isStarted || socket.fileno() < 0) return;
    isStarted = true;
    startConnection({ reactor, socket, factory, peer: path, options, onFailure: (error) => reportFailure(factory, error) });
  });
  return {
    stopConnecting() {
      if (isStarted) return;
      isStarted = true;
      socket.close();
      reportFailure(factory, socketError('ECANCELED', 'connect', 'Connecting was cancelled'));
    },
  };
}


/**
 * Serves one connection accepted elsewhere (a `serve --workers` primary hands each one to a worker
 * over IPC) with a protocol from `factory`, on this process's reactor. If the factory or the
 * protocol's connectionMade throws, the connection is reset, `factory.connectionFailed` hears why,
 * and the transport returned is closed already.
 */
export function serveConnection(reactor: Reactor, connection: net.Socket, factory: Factory, options: ListenOptions = {}, prepare?: PrepareSocket): SocketTransport {
  const socket = Socket.fromConnection(connection);
  if (options.noDelay !== false) socket.setsockopt(IPPROTO_TCP, TCP_NODELAY, 1);
  tuneBuffers(socket, options);
  const peer = socket.getpeername();
  return startConnection({ reactor, socket, factory, peer, options, prepare, onFailure: (error) => reportFailure(factory, error) });
}
