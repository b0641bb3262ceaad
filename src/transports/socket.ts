// A non-blocking socket with the Linux kernel's semantics, emulated over node:net (TCP over IPv4 and
// IPv6, Unix stream sockets) or memory (socketpair). Every call is synchronous and never blocks, as
// after setblocking(False) in Python; the awaitable forms that wait (recvAsync...) are its async methods.
// The state machine mirrors the kernel's: BSD socket state (unconnected/connecting/connected) over
// the connection's state (none -> connecting -> established -> done). Each choice cites the scenario
// in test/fixtures/kernel that fixes it; what Node cannot express is listed in docs/semantics.md.
import * as net from 'node:net';
import { existsSync } from 'node:fs';
import { dirname } from 'node:path';
import { lookup } from 'node:dns';
import {
  type Address,
  type AddressInput,
  checkHostFamily,
  formatAddress,
  ipEndpoint,
  numericHost,
  unixPath,
  unnamedAddress,
} from './address.js';
import {
  AF_INET,
  AF_INET6,
  AF_UNIX,
  type AddressFamily,
  SHUT_RD,
  SHUT_RDWR,
  SHUT_WR,
  SOCK_STREAM,
  SOL_SOCKET,
  SO_ACCEPTCONN,
  SO_ERROR,
} from './constants.js';
import { BlockingIOError, OSError, ValueError, gaierror, raisedBy, socketError, timedOut } from './errors.js';
import { DeadlineExceeded, type WaitOptions, waitReady } from '../reactor/wait-ready.js';
import { SocketFile, type SocketFileOptions } from './socket-file.js';
import { ReceiveQueue } from './receive-queue.js';
import { bufferView, copyBytes } from './copy-bytes.js';
import { type SocketData, bytesOf } from './bytes-like.js';
import { AcceptQueue, type Arrival } from './accept-queue.js';
import * as registry from './kernel-registry.js';
import { descriptorShortage } from './descriptor-probe.js';
import { NodeStreamEnd, type StreamEnd, type StreamEvents, unmapIPv4 } from './stream-end.js';
import { PairStreamEnd } from './pair-stream-end.js';
import { type OptionValue, SocketOptions } from './socket-options.js';
import { type PipeHandle, type TcpHandle, boundEndpoint, check, newPipeHandle, newTcpHandle } from './uv-handles.js';
import { EVENT_ERROR, EVENT_READ, EVENT_WRITE, type ReadinessListener, type Selectable } from '../reactor/selectable.js';

type ConnState = 'none' | 'connecting' | 'established' | 'done';
type BsdState = 'unconnected' | 'connecting' | 'connected';
export type { SocketData } from './bytes-like.js';
export type { LingerValue } from './socket-options.js';

/** Python's default for `listen()` without an argument: min(SOMAXCONN, 128). */
const DEFAULT_BACKLOG = 128;
const EMPTY = Buffer.alloc(0);
/** The longest delay setTimeout holds (2^31-1 ms, about 24.8 days); a longer one fires at once. */
const MAX_TIMER_MS = 2 ** 31 - 1;
let nextFileno = 3;

interface Listening {
  readonly queue: AcceptQueue<Socket>;
  readonly server: net.Server;
  /** In-process TCP clients connecting to us, matched to arrivals by their local address. */
  readonly expectedTcp: Set<Socket>;
  /** In-process Unix clients, in connect order (AF_UNIX arrivals carry no address to match by). */
  readonly expectedUnix: Socket[];
  /** Connections were lost to EMFILE/ENFILE since the last accept(): the next one that finds the queue empty raises it. */
  acceptError: OSError | undefined;
}

/** Socket's private handlers of its stream's events, shared by every socket (set in its static block). */
let deliver: { readonly [K in keyof StreamEvents]: (socket: Socket, ...args: Parameters<StreamEvents[K]>) => void };

/**
 * What a StreamEnd reports, passed on to its socket: one small object per socket rather than five
 * closures and their context (idle connections are counted in tens of thousands; see bench/idle.ts).
 */
class SocketStreamEvents implements StreamEvents {
  readonly #socket: Socket;

  constructor(socket: Socket) {
    this.#socket = socket;
  }

  data(chunk: Buffer): void {
    deliver.data(this.#socket, chunk);
  }

  end(): void {
    deliver.end(this.#socket);
  }

  error(code: string, mapped?: OSError): void {
    deliver.error(this.#socket, code, mapped);
  }

  connect(): void {
    deliver.connect(this.#socket);
  }

  written(): void {
    deliver.written(this.#socket);
  }
}

/**
 * Python's `socket.socket` after `setblocking(False)`, with Linux's semantics: TCP over IPv4 or IPv6,
 * or a Unix stream socket. Every method is synchronous and never blocks; one that would block throws
 * BlockingIOError (`EAGAIN`, or `EINPROGRESS` for a TCP connect); on a closed socket the system
 * calls throw OSError `EBADF` (except `recv(0)`, which returns an empty Buffer, as CPython's). The
 * awaitable forms (`sendall`, `recvAsync`, `acceptAsync`, `connectAsync`) wait, bounded by
 * `settimeout`. Watch it with select(), a Selector or a Reactor. Create one with `socket()`.
 */
export class Socket implements Selectable {
  /** AF_INET, AF_INET6 or AF_UNIX, as created. */
  readonly family: AddressFamily;
  /** Always SOCK_STREAM. */
  readonly type = SOCK_STREAM;
  #fd = nextFileno++;
  #bsd: BsdState = 'unconnected';
  #conn: ConnState = 'none';
  #listening: Listening | null = null;
  #stream: StreamEnd | null = null;
  #isPair = false;
  /** The other end, when it is a switchboard socket in this process (the emulated kernel's link). */
  #peer: Socket | null = null;
  readonly #rq = new ReceiveQueue();
  #finReceived = false;
  /**
   * The shutdown bits (sk_shutdown). Linux records them even when shutdown() fails with ENOTCONN or
   * the socket is not connected yet, and keeps them across a later connect
   * (tcp-shutdown-before-connect-sticks, unix-shutdown-before-connect-sticks).
   */
  #shutRd = false;
  #shutWr = false;
  /** Our FIN (or AF_UNIX EOF) went to the stream: only a SHUT_WR on a connected socket sends it. */
  #finSent = false;
  /** AF_UNIX: the peer can no longer receive (it closed or shut down reading): send raises EPIPE. */
  #peerCannotReceive = false;
  /** AF_UNIX over node:net: the peer closed with data unread, so its EOF arrives as ECONNRESET. */
  #isResetOnEOF = false;
  #pendingError: OSError | null = null;
  #local: Address | null = null;
  #remote: Address | null = null;
  #tcpHandle: TcpHandle | null = null;
  #connectHandle: TcpHandle | null = null;
  #pipeHandle: PipeHandle | null = null;
  #isReadPaused = false;
  #isAccepted = true;
  #isTcpConnected = false;
  #isAwaitingAdmission = false;
  #wasSendBufferFull = false;
  /** Totals for the in-process flow-control accounting (#sendRoom). */
  #bytesSent = 0;
  #bytesConsumed = 0;
  #resetWhenWritten = false;
  /** The bytes meant for a closed in-process peer are out, but its FIN is not read yet: the RST follows it. */
  #isResetDue = false;
  /** TCP: bound to a port the program chose (SOCK_BINDPORT_LOCK): Linux keeps it when a listen or connect ends. */
  #isPortLocked = false;
  /** AF_UNIX: connected to a path no switchboard socket listens on, and node:net has not confirmed it yet. */
  #isUnixConnectUnconfirmed = false;
  readonly #options: SocketOptions;
  #timeout: number | null = null;
  #listeners: ReadinessListener[] = [];
  readonly #events: StreamEvents = new SocketStreamEvents(this);

  static {
    deliver = {
      data: (socket, chunk) => socket.#onData(chunk),
      end: (socket) => socket.#onEnd(),
      error: (socket, code, mapped) => socket.#onError(mapped ?? socketError(code, 'recv')),
      connect: (socket) => socket.#onConnect(),
      written: (socket) => socket.#onWritten(),
    };
  }

  constructor(family: AddressFamily = AF_INET, type: number = SOCK_STREAM) {
    if (family !== AF_INET && family !== AF_INET6 && family !== AF_UNIX) {
      throw socketError('EAFNOSUPPORT', 'socket');
    }
    if (type !== SOCK_STREAM) throw socketError('EPROTONOSUPPORT', 'socket', 'only SOCK_STREAM sockets are supported');
    this.family = family;
    this.#options = new SocketOptions(family);
  }

  /** socketpair(): a connected in-memory AF_UNIX pair. */
  static pair(): [Socket, Socket] {
    const a = new Socket(AF_UNIX);
    const b = new Socket(AF_UNIX);
    for (const [self, other] of [
      [a, b],
      [b, a],
    ] as const) {
      self.#stream = new PairStreamEnd(other.#events, () => other.#rq.bytes);
      self.#isPair = true;
      self.#peer = other;
      self.#conn = 'established';
      self.#bsd = 'connected';
      self.#local = '';
      self.#remote = '';
    }
    return [a, b];
  }

  // ---- Selectable ------------------------------------------------------------------------------

  fileno(): number {
    return this.#fd;
  }

  readiness(): number {
    if (this.#fd < 0) return 0;
    if (this.#listening !== null) {
      // A Unix listener after SHUT_RD is readable (RCV_SHUTDOWN), queue or not (unix-listener-shut-rd [11]).
      return this.#listening.queue.length > 0 || this.#listening.acceptError !== undefined || this.#shutRd ? EVENT_READ : 0;
    }
    const error = this.#pendingError === null ? 0 : EVENT_ERROR;
    if (this.#conn === 'none' || this.#conn === 'done') return EVENT_READ | EVENT_WRITE | error;
    if (this.#conn === 'connecting') {
      if (error !== 0) return EVENT_READ | EVENT_WRITE | error;
      // tcp_poll reports RCV_SHUTDOWN as readable even in SYN_SENT (a SHUT_RD made before connect).
      return this.#shutRd ? EVENT_READ : 0;
    }
    const readable = !this.#rq.isEmpty || this.#finReceived || this.#shutRd || error !== 0;
    const writable =
      (this.family !== AF_UNIX && this.#shutWr) || error !== 0 || this.#sendRoom() > 0;
    return (readable ? EVENT_READ : 0) | (writable ? EVENT_WRITE : 0) | error;
  }

  watch(listener: ReadinessListener): void {
    if (this.#listeners.includes(listener)) return;
    // A literal for the usual single watcher: a spread onto [] would reserve room for 17.
    this.#listeners = this.#listeners.length === 0 ? [listener] : [...this.#listeners, listener];
  }

  unwatch(listener: ReadinessListener): void {
    if (this.#listeners.includes(listener)) this.#listeners = this.#listeners.filter((l) => l !== listener);
  }

  #notify(): void {
    // Copy-on-write array: a listener that unwatches during the loop does not disturb it.
    for (const listener of this.#listeners) listener(this);
  }

  // ---- binding, listening, accepting -----------------------------------------------------------

  /**
   * Gives the socket its local address: `[host, port]` (port 0 picks a free one; host `''` is any
   * address) or an AF_UNIX path. Throws OSError `EINVAL` if it is bound, connected or listening
   * already, `EADDRINUSE` if the address is taken (see SO_REUSEADDR; for AF_UNIX, if the path
   * exists), FileNotFoundError if the path's directory does not exist, and ValueError for a host
   * name that needs a lookup (resolve it first with `await getaddrinfo(host, port)`).
   */
  bind(address: AddressInput): void {
    this.#checkOpen('bind');
    if (this.#local !== null || this.#conn !== 'none' || this.#listening !== null) {
      throw socketError('EINVAL', 'bind');
    }
    if (this.family === AF_UNIX) {
      this.#bindUnix(unixPath(address));
      return;
    }
    const { host, port } = ipEndpoint(this.family, address);
    checkHostFamily(this.family, host);
    const numeric = numericHost(this.family, host);
    if (numeric === undefined) {
      throw new ValueError(
        `bind() cannot resolve '${host}' without waiting; resolve it first with await getaddrinfo('${host}', ${port})`,
      );
    }
    this.#bindTcpHandle(numeric, port);
    this.#isPortLocked = port !== 0;
  }

  /** A real bind(2) on a fresh libuv handle, checked against the emulated kernel's bind table. */
  #bindTcpHandle(numeric: string, port: number): void {
    const handle = newTcpHandle('socket');
    let bound: { host: string; port: number };
    try {
      check(this.family === AF_INET6 ? handle.bind6(numeric, port, 0) : handle.bind(numeric, port), 'bind');
      // libuv defers EADDRINUSE to the next call on the handle: getsockname reports it here.
      bound = boundEndpoint(handle);
    } catch (error) {
      handle.close();
      throw error instanceof OSError ? socketError(error.code, 'bind') : error;
    }
    const binding = this.#tcpBinding(bound.host, bound.port);
    // libuv set SO_REUSEADDR on the handle, so the real kernel shares an address that Linux would
    // refuse to a program that did not set it: the bind table decides (tcp-bind-address-in-use [3]).
    if (registry.tcpBindConflict(binding)) {
      handle.close();
      throw socketError('EADDRINUSE', 'bind');
    }
    registry.bindTcp(binding);
    this.#tcpHandle = handle;
    this.#local = formatAddress(this.family, bound.host, bound.port);
  }

  #tcpBinding(host: string, port: number): registry.TcpBinding {
    return {
      owner: this,
      isV6: this.family === AF_INET6,
      host,
      port,
      reusesAddress: () => this.#options.reuseAddr,
      isListening: () => this.#listening !== null,
    };
  }

  /**
   * The listen or connect that used our bound TCP handle is over. Linux keeps a port the program bound
   * (SOCK_BINDPORT_LOCK) and releases one it picked itself (tcp_set_state(TCP_CLOSE) puts the port);
   * the bound address stays either way (tcp-listener-shut-rd [24]).
   */
  #keepBoundPort(): void {
    const local = this.#local;
    if (this.#isPortLocked && Array.isArray(local)) {
      try {
        this.#bindTcpHandle(local[0], local[1]);
        return;
      } catch {
        // Taken meanwhile (by another process): the port is lost.
      }
    }
    registry.releaseTcp(this);
  }

  /** A fresh handle on the address a stopped listener kept (a new port if Linux released the old one). */
  #rebindKeptAddress(): void {
    const local = this.#local;
    if (this.#tcpHandle !== null || !Array.isArray(local)) return;
    this.#bindTcpHandle(local[0], this.#isPortLocked ? local[1] : 0);
  }

  #bindUnix(path: string): void {
    if (path === '') throw socketError('EINVAL', 'bind', 'abstract and autobound AF_UNIX addresses are not supported');
    if (existsSync(path)) throw socketError('EADDRINUSE', 'bind');
    const handle = newPipeHandle();
    try {
      check(handle.bind(path), 'bind');
    } catch (error) {
      handle.close();
      // libuv turns ENOENT into EACCES (for Windows' sake); Linux says ENOENT for a missing directory.
      if (error instanceof OSError && error.code === 'EACCES' && !existsSync(dirname(path))) throw socketError('ENOENT', 'bind');
      throw error;
    }
    this.#pipeHandle = handle;
    this.#local = path;
    registry.bindUnixPath(path, this);
  }

  /**
   * Starts accepting connections, at most `backlog` waiting to be accepted (default 128, as Python's
   * min(SOMAXCONN, 128)); calling it again on a listener changes the backlog. An unbound TCP socket
   * is bound to a free port on the any-address first. Throws OSError `EINVAL` if connected or (AF_UNIX)
   * unbound, `EADDRINUSE` if the bind table refuses the address to a listener (see SO_REUSEADDR).
   */
  listen(backlog: number = DEFAULT_BACKLOG): void {
    this.#checkOpen('listen');
    if (this.#listening !== null) {
      this.#listening.queue.backlog = backlog;
      return;
    }
    if (this.#conn !== 'none' || this.#bsd !== 'unconnected') throw socketError('EINVAL', 'listen');
    if (this.family === AF_UNIX && typeof this.#local !== 'string') throw socketError('EINVAL', 'listen');
    if (this.family !== AF_UNIX) {
      // listen() after a SHUT_RD stopped listening binds again: a new port if the old one was released.
      if (Array.isArray(this.#local)) this.#rebindKeptAddress();
      else this.bind(this.family === AF_INET6 ? ['::', 0] : ['0.0.0.0', 0]);
      // Linux checks the bind table again for a listener: a socket sharing the address refuses it
      // unless both set SO_REUSEADDR and that one does not listen (tcp-bind-address-in-use).
      const local = this.#local;
      if (Array.isArray(local) && registry.tcpBindConflict(this.#tcpBinding(local[0], local[1]))) {
        throw socketError('EADDRINUSE', 'listen');
      }
    }
    const server = net.createServer({ pauseOnConnect: true, allowHalfOpen: true });
    const listening: Listening = {
      queue: new AcceptQueue<Socket>(backlog, {
        admitted: (arrival) => this.#onAdmitted(arrival),
        dropped: (arrival, code) => this.#onDropped(arrival, code),
      }),
      server,
      expectedTcp: new Set(),
      expectedUnix: [],
      acceptError: undefined,
    };
    server.on('connection', (connection: net.Socket) => this.#onArrival(connection));
    // After a successful bind, node:net reports only accept failures here: EMFILE when libuv could
    // not shed the load itself (its spare descriptor is gone). Kept for accept(), never thrown here.
    server.on('error', (error: NodeJS.ErrnoException) => this.#onAcceptFailed(error.code ?? 'EIO'));
    if (this.family === AF_UNIX) this.#listenUnix(server);
    else this.#listenTcp(server);
    this.#listening = listening;
  }

  #listenTcp(server: net.Server): void {
    const handle = this.#tcpHandle;
    if (handle === null || !Array.isArray(this.#local)) throw socketError('EINVAL', 'listen');
    this.#tcpHandle = null;
    // The kernel's own queue stays deep: node:net accepts at once and the emulated queue applies the
    // backlog, so that a full queue can be held per client as Linux does.
    server.listen(handle, 4096);
    const [host, port] = this.#local;
    registry.addTcpListener(host, port, this);
  }

  #listenUnix(server: net.Server): void {
    const path = this.#local;
    if (typeof path !== 'string') return;
    // libuv can only listen on a handle it bound itself: release our bound handle (which unlinks the
    // path) and let node:net bind it again at once, in the same turn.
    this.#pipeHandle?.close();
    this.#pipeHandle = null;
    // A deep kernel queue, as for TCP: the emulated AcceptQueue applies the backlog.
    server.listen({ path, backlog: 4096 });
    registry.markUnixListening(path, this);
  }

  /**
   * Takes the oldest waiting connection: a new connected socket (with the listener's buffer sizes,
   * TCP_NODELAY and SO_KEEPALIVE) and the peer's address. Throws BlockingIOError `EAGAIN` when none
   * is waiting, OSError `EINVAL` if the socket is not listening.
   */
  accept(): [Socket, Address] {
    const accepted = this.tryAccept();
    if (accepted === null) throw socketError('EAGAIN', 'accept');
    return accepted;
  }

  /**
   * accept() for hot loops: null instead of BlockingIOError when no connection is waiting (an
   * accept loop ends that way every time, and an exception per readiness costs more than the accept).
   * Every other outcome is as accept(), EMFILE included.
   */
  tryAccept(): [Socket, Address] | null {
    this.#checkOpen('accept');
    const listening = this.#listening;
    if (listening === null) throw socketError('EINVAL', 'accept');
    const arrival = listening.queue.shift();
    if (arrival === undefined) {
      // Linux's accept() fails with EMFILE while the table is full; ours has the queued connections'
      // descriptors in hand already, so those are handed out first and the failure is raised once after.
      const failed = listening.acceptError;
      listening.acceptError = undefined;
      if (failed !== undefined) throw failed;
      return null;
    }
    const accepted = arrival.accepted;
    accepted.#isAccepted = true;
    accepted.#updateReading();
    this.#notify();
    return [accepted, accepted.#remote ?? unnamedAddress(this.family)];
  }

  #onArrival(connection: net.Socket): void {
    const listening = this.#listening;
    if (listening === null || this.#fd < 0) {
      connection.destroy();
      return;
    }
    // In-process Unix clients connected in this order (AF_UNIX arrivals carry no address to match by).
    const unixClient = this.family === AF_UNIX ? listening.expectedUnix.shift() : undefined;
    if (this.family === AF_UNIX && unixClient === undefined && this.#shutRd) {
      // Linux refuses a connect to a Unix listener that shut down reading (unix-listener-shut-rd [9]);
      // a client in another process has connected already, so it is dropped instead.
      connection.destroy();
      return;
    }
    const accepted = new Socket(this.family);
    accepted.#options.inheritFrom(this.#options);
    accepted.#isAccepted = false;
    // pauseOnConnect: node:net does not read an arrival before accept() (its kernel queue holds it).
    accepted.#isReadPaused = true;
    accepted.#conn = 'established';
    accepted.#bsd = 'connected';
    const stream = new NodeStreamEnd(connection, accepted.#events, this.family !== AF_UNIX);
    accepted.#stream = stream;
    accepted.#applyOptions();
    let client: Socket | undefined;
    if (this.family === AF_UNIX) {
      client = unixClient;
      accepted.#local = this.#local;
      // The peer's name is the path the client bound, if any (unix-bound-client-connect [10]-[11]).
      const clientPath = client === undefined ? '' : client.#local;
      accepted.#remote = typeof clientPath === 'string' ? clientPath : '';
    } else {
      const local = stream.localEndpoint();
      const remote = stream.remoteEndpoint();
      accepted.#local = local === undefined ? this.#local : this.#ipAddress(local.host, local.port);
      accepted.#remote = remote === undefined ? null : this.#ipAddress(remote.host, remote.port);
      client = remote === undefined ? undefined : takeClient(listening.expectedTcp, remote.host, remote.port);
    }
    listening.queue.offer({ accepted, client }, this.family === AF_UNIX && client !== undefined);
    // This arrival may have taken the last descriptor: libuv then closes every later one unseen.
    const shortage = descriptorShortage();
    if (shortage !== undefined) this.#onAcceptFailed(shortage);
  }

  #onAcceptFailed(code: string): void {
    const listening = this.#listening;
    if (listening === null) return;
    const message = code === 'EMFILE' || code === 'ENFILE' ? `Cannot accept: ${code === 'ENFILE' ? 'the system' : 'this process'} has no file descriptor left` : undefined;
    listening.acceptError ??= socketError(code, 'accept', message);
    this.#notify();
  }

  /**
   * A connected socket made from a node:net connection accepted elsewhere (another process's
   * listener, passed over IPC, as `serve --workers` does): Python's socket.fromfd. TCP only; it reads
   * from the start, as an accepted socket does once accept() returned it.
   */
  static fromConnection(connection: net.Socket): Socket {
    const remoteHost = connection.remoteAddress;
    const family = remoteHost !== undefined && remoteHost.includes(':') && !remoteHost.startsWith('::ffff:') ? AF_INET6 : AF_INET;
    const adopted = new Socket(family);
    adopted.#conn = 'established';
    adopted.#bsd = 'connected';
    adopted.#isReadPaused = true;
    const stream = new NodeStreamEnd(connection, adopted.#events, true);
    adopted.#stream = stream;
    adopted.#applyOptions();
    const local = stream.localEndpoint();
    const remote = stream.remoteEndpoint();
    if (local !== undefined) adopted.#local = adopted.#ipAddress(local.host, local.port);
    if (remote !== undefined) adopted.#remote = adopted.#ipAddress(remote.host, remote.port);
    adopted.#updateReading();
    return adopted;
  }

  /**
   * Puts `wrap(connection)` between this socket and its node:net connection, keeping every other
   * state: listenTLS and connectTLS put a tls.TLSSocket there, which then runs on the libuv handle
   * itself, and `toError` names its failures. Only for a connected TCP or Unix socket that has
   * received nothing yet (bytes already read could not reach the wrapper).
   */
  wrapConnection(wrap: (connection: net.Socket) => net.Socket, toError: (error: Error) => OSError): void {
    const stream = this.#stream;
    if (!(stream instanceof NodeStreamEnd) || this.#conn !== 'established' || !this.#rq.isEmpty || stream.undeliveredBytes > 0) {
      throw new ValueError('Cannot wrap the connection of a socket that is not connected or has received data');
    }
    this.#stream = stream.wrapped(wrap, this.#events, toError);
    if (this.#isReadPaused) this.#stream.pause();
  }

  #onAdmitted(arrival: Arrival<Socket>): void {
    const { accepted, client } = arrival;
    if (client !== undefined) {
      // Linked even when the client has closed already: the emulated kernel then knows that the peer
      // is gone (its RST answers our data, an AF_UNIX send fails).
      accepted.#peer = client;
      if (client.#fd >= 0) {
        client.#peer = accepted;
        client.#admit();
      }
      // AF_UNIX: a send checks whether the peer can receive: not once it closed
      // (unix-client-closed-before-accept [14]) or shut down reading, even before it connected
      // (unix-shutdown-before-connect-sticks [18]).
      if (this.family === AF_UNIX && (client.#fd < 0 || client.#shutRd)) accepted.#peerCannotReceive = true;
    }
    this.#notify();
  }

  #onDropped(arrival: Arrival<Socket>, code: 'ETIMEDOUT' | 'ECONNRESET'): void {
    arrival.accepted.#stream?.reset();
    const client = arrival.client;
    if (client !== undefined) client.#onError(socketError(code, 'connect'));
  }

  #ipAddress(host: string, port: number): Address {
    if (this.family === AF_INET) return formatAddress(this.family, unmapIPv4(host), port);
    // An AF_INET6 socket names an IPv4 peer by its mapped address, as Linux does.
    return formatAddress(this.family, net.isIPv4(host) ? `::ffff:${host}` : host, port);
  }

  // ---- connecting --------------------------------------------------------------------------------

  /**
   * Starts connecting. TCP: throws BlockingIOError `EINPROGRESS` as the attempt starts and
   * `EALREADY` while it is under way; the socket turns writable when it ends, and
   * `getsockopt(SOL_SOCKET, SO_ERROR)` (or calling connect again) tells the outcome. A host name is
   * resolved in the background; a failed lookup becomes the pending error, a gaierror. AF_UNIX
   * connects or fails at once (FileNotFoundError, ConnectionRefusedError, BlockingIOError `EAGAIN`
   * when the listener's backlog is full). Throws OSError `EISCONN` when connected already.
   */
  connect(address: AddressInput): void {
    this.#checkOpen('connect');
    if (this.family === AF_UNIX) {
      this.#connectUnix(unixPath(address));
      return;
    }
    if (this.#listening !== null || this.#bsd === 'connected') throw socketError('EISCONN', 'connect');
    if (this.#bsd === 'connecting') {
      if (this.#conn === 'connecting') throw socketError('EALREADY', 'connect');
      if (this.#conn === 'established') {
        this.#bsd = 'connected';
        return;
      }
      // The attempt failed: report its error once and become unconnected again (connect-ex-refused-retry).
      const error = this.#takePendingError('connect') ?? socketError('ECONNABORTED', 'connect');
      this.#resetToUnconnected();
      throw error;
    }
    const { host, port } = ipEndpoint(this.family, address);
    checkHostFamily(this.family, host);
    this.#bsd = 'connecting';
    this.#conn = 'connecting';
    const numeric = numericHost(this.family, host);
    if (numeric === undefined) this.#resolveThenConnect(host, port);
    else this.#openTcp(numeric, port);
    this.#notify();
    throw socketError('EINPROGRESS', 'connect');
  }

  /**
   * As connect(), but returns 0 or the errno instead of throwing for connection errors. A failed name
   * lookup still throws gaierror, as Python's connect_ex does (its errno is no connect outcome).
   */
  connectEx(address: AddressInput): number {
    try {
      this.connect(address);
      return 0;
    } catch (error) {
      if (error instanceof OSError && !(error instanceof gaierror)) return error.errno ?? 0;
      throw error;
    }
  }

  #resolveThenConnect(host: string, port: number): void {
    const fd = this.#fd;
    lookup(host, { family: this.family === AF_INET6 ? 6 : 4 }, (error, address) => {
      if (this.#fd !== fd || this.#conn !== 'connecting') return;
      if (error) this.#onError(new gaierror(error.code ?? 'ENOTFOUND', `getaddrinfo ${host}: ${error.message}`));
      else this.#openTcp(address, port);
    });
  }

  #openTcp(host: string, port: number): void {
    if (this.#tcpHandle === null && Array.isArray(this.#local)) {
      // A listener stopped by SHUT_RD connects from the address it kept (Linux's SOCK_BINDADDR_LOCK).
      try {
        this.#rebindKeptAddress();
      } catch {
        registry.releaseTcp(this);
        this.#local = null;
      }
    }
    const handle = this.#tcpHandle ?? newTcpHandle('socket');
    this.#tcpHandle = null;
    // Our own handle, so getsockname() asks the kernel directly (node:net caches the first answer,
    // which before the connect is port 0).
    this.#connectHandle = handle;
    // I/O boundary: node:net takes an existing libuv handle (the one bind() reserved) through the
    // undocumented `handle` option, as its own child_process code does; `manualStart` keeps it from
    // reading before the connect completes.
    const options = { allowHalfOpen: true, handle, manualStart: true } as net.SocketConstructorOpts;
    const connection = new net.Socket(options);
    this.#stream = new NodeStreamEnd(connection, this.#events, true);
    this.#applyOptions();
    this.#remote = formatAddress(this.family, host, port);
    const listener = registry.findTcpListener(host, port);
    if (listener instanceof Socket && listener.#listening !== null) {
      this.#isAwaitingAdmission = true;
      listener.#listening.expectedTcp.add(this);
    }
    connection.connect({ host, port });
  }

  #onConnect(): void {
    if (this.family === AF_UNIX) {
      this.#isUnixConnectUnconfirmed = false;
      return;
    }
    if (this.#conn !== 'connecting') return;
    this.#isTcpConnected = true;
    if (!this.#isAwaitingAdmission) this.#establish();
  }

  /** The in-process listener took this client into its accept queue. */
  #admit(): void {
    if (this.family === AF_UNIX) return;
    this.#isAwaitingAdmission = false;
    if (this.#isTcpConnected) this.#establish();
  }

  #establish(): void {
    if (this.#conn !== 'connecting') return;
    this.#conn = 'established';
    this.#updateReading();
    this.#notify();
  }

  #connectUnix(path: string): void {
    // A connect to a path nobody here listens on that failed a turn later (docs/semantics.md 6.5):
    // the next connect reports it once, as connect reports a failed TCP attempt.
    const late = this.#conn === 'none' ? this.#takePendingError('connect') : null;
    if (late !== null) throw late;
    // Linux finds the target before it looks at this socket's own state (unix_stream_connect), so a
    // connected socket gets ENOENT or ECONNREFUSED for a bad target (unix-connect-again [9]-[11]).
    const entry = registry.findUnixPath(path);
    const owner = entry?.owner;
    const listener = owner instanceof Socket ? owner : null;
    // Not listening, or listening after SHUT_RD (unix-listener-shut-rd [9]): refused at once.
    if (entry !== undefined && (!entry.listening || (listener !== null && listener.#shutRd))) {
      throw socketError('ECONNREFUSED', 'connect');
    }
    const listening = listener === null ? null : listener.#listening;
    // unix-backlog-full-eagain: a full queue refuses at once with EAGAIN, and nothing is connected.
    if (listening !== null && !listening.queue.hasRoom) throw socketError('EAGAIN', 'connect');
    if (listening === null && !existsSync(path)) throw socketError('ENOENT', 'connect');
    if (this.#listening !== null) throw socketError('EINVAL', 'connect');
    if (this.#conn !== 'none') throw socketError('EISCONN', 'connect');
    if (listening !== null) {
      listening.queue.reserve();
      listening.expectedUnix.push(this);
    }
    // A Unix connect succeeds at once (unix-listener-connect); node:net connects in the background,
    // and writes made meanwhile wait in its queue, counted against SO_SNDBUF.
    const connection = new net.Socket({ allowHalfOpen: true });
    this.#stream = new NodeStreamEnd(connection, this.#events, false);
    this.#conn = 'established';
    this.#bsd = 'connected';
    this.#remote = path;
    this.#isUnixConnectUnconfirmed = listening === null;
    // A bound client keeps its name (unix-bound-client-connect [7]); node:net still connects an unnamed
    // socket, so only in-process peers learn the name (docs/semantics.md 6.3).
    this.#local ??= '';
    connection.connect({ path });
    this.#notify();
  }

  // ---- data ---------------------------------------------------------------------------------------

  /**
   * Sends what fits in the send buffer and returns that count (possibly fewer bytes than given; 0
   * for empty data); BlockingIOError `EAGAIN` when nothing fits or a TCP connect is still under way.
   * The bytes are copied, so the caller may reuse its buffer. Throws the pending error if there is
   * one, BrokenPipeError `EPIPE` after SHUT_WR or once the stream can no longer carry data, OSError
   * `ENOTCONN` on an unconnected AF_UNIX socket.
   */
  send(data: SocketData): number {
    const count = this.trySend(data);
    if (count < 0) throw socketError('EAGAIN', 'send');
    return count;
  }

  /**
   * send() for hot loops: -1 instead of BlockingIOError when nothing fits (would-block is the normal
   * outcome there, and building an exception per call costs more than the send). Every other
   * outcome is as send(). With `isHandedOver`, the caller gives `data` up: it is queued as it is,
   * uncopied, and the caller must not modify it afterwards (the byte transport's write contract, as
   * node:net's and Netty's; a copy of every send costs 15% of a streaming echo's CPU).
   */
  trySend(data: SocketData, isHandedOver = false): number {
    const bytes = bytesOf(data, 'send');
    this.#checkOpen('send');
    const stream = this.#checkCanSend();
    // An empty send copies nothing and returns 0 once the state checks passed, even with no room
    // (send-empty-payload [11], [28]).
    if (bytes.length === 0) return 0;
    const room = this.#sendRoom();
    if (room <= 0) return -1;
    const count = Math.min(bytes.length, room);
    // Copied unless handed over: a Python caller may reuse its buffer while ours waits in the queue.
    if (!isHandedOver) stream.write(copyBytes(bytes, 0, count));
    else stream.write(bufferView(bytes, count));
    this.#bytesSent += count;
    if (this.#sendRoom() <= 0) this.#wasSendBufferFull = true;
    // peer-close-then-send-epipe: bytes sent to a closed peer are answered with an RST. Node stops
    // reading at the FIN and would not see it, so the emulated kernel applies it for an in-process peer.
    if (this.family !== AF_UNIX && this.#peer !== null && this.#peer.#fd < 0) this.#resetWhenWritten = true;
    return count;
  }

  /**
   * Holds what send() accepts until uncork(), so that several sends reach the kernel in one
   * system call (Linux's TCP_CORK, node:net's cork). A transport corks around one dispatch.
   */
  cork(): void {
    this.#stream?.cork();
  }

  /** Releases what send() accepted since cork() to the kernel, in one write. */
  uncork(): void {
    this.#stream?.uncork();
  }

  #checkCanSend(): StreamEnd {
    if (this.family === AF_UNIX) {
      if (this.#conn !== 'established' || this.#stream === null) {
        // The late failure of a connect (docs/semantics.md 6.5) is reported once, by the first call.
        throw this.#takePendingError('send') ?? socketError('ENOTCONN', 'send');
      }
      if (this.#shutWr || this.#peerCannotReceive) throw socketError('EPIPE', 'send');
      return this.#stream;
    }
    if (this.#listening !== null) throw socketError('EPIPE', 'send');
    const pending = this.#takePendingError('send');
    if (pending !== null) throw pending;
    if (this.#conn === 'connecting') throw socketError('EAGAIN', 'send');
    if (this.#conn !== 'established' || this.#shutWr || this.#stream === null) throw socketError('EPIPE', 'send');
    return this.#stream;
  }

  #sendRoom(): number {
    const stream = this.#stream;
    if (stream === null) return 0;
    const peer = this.#peer;
    // Both ends in this process: count what the peer's application has not read yet against our
    // send buffer plus its receive buffer, as the kernel does, rather than node:net's queue alone
    // (the real kernel buffers under it are autotuned to megabytes; fill-unwritable-then-drain).
    if (peer !== null && !this.#isPair && peer.#fd >= 0) {
      return this.#options.sndbuf + peer.#options.rcvbuf - (this.#bytesSent - peer.#bytesConsumed);
    }
    return this.#options.sndbuf - stream.queuedBytes;
  }

  /** Our in-process peer read some bytes: with the shared accounting above, we may have room again. */
  #onPeerConsumed(): void {
    if (this.#fd < 0) return;
    if (this.#isPair || this.#wasSendBufferFull) {
      if (this.#sendRoom() > 0) this.#wasSendBufferFull = false;
      this.#notify();
    }
  }

  /**
   * Up to `size` bytes; an empty Buffer is EOF (or `size` 0). BlockingIOError `EAGAIN` when nothing
   * is there yet. After the queued data it throws the pending error once (ConnectionResetError ...).
   * Throws OSError `ENOTCONN` on an unconnected TCP socket or a listener (`EINVAL` on an unconnected
   * AF_UNIX socket, as Linux), ValueError for a negative or non-integer `size`.
   */
  recv(size: number): Buffer {
    const data = this.tryRecv(size);
    if (data === null) throw socketError('EAGAIN', 'recv');
    return data;
  }

  /** recv() for hot loops: null instead of BlockingIOError when nothing has arrived yet. */
  tryRecv(size: number): Buffer | null {
    if (!Number.isInteger(size) || size < 0) throw new ValueError('negative buffersize in recv');
    // CPython's sock_recv returns b'' for size 0 before any system call: in every state, even closed
    // (recv-zero-bytes).
    if (size === 0) return EMPTY;
    this.#checkOpen('recv');
    if (this.family === AF_UNIX && this.#conn !== 'established') {
      // The late failure of a connect (docs/semantics.md 6.5) is reported once, by the first call.
      throw this.#takePendingError('recv') ?? socketError('EINVAL', 'recv');
    }
    if (this.#listening !== null) throw socketError('ENOTCONN', 'recv');
    if (!this.#rq.isEmpty) {
      const data = this.#rq.take(size);
      this.#bytesConsumed += data.length;
      this.#updateReading();
      if (this.#peer !== null) this.#peer.#onPeerConsumed();
      return data;
    }
    // Linux's order (tcp_recvmsg): a FIN already read means EOF, then a pending error, then shutdown.
    if (this.#finReceived && this.family !== AF_UNIX) return EMPTY;
    const pending = this.#takePendingError('recv');
    if (pending !== null) throw pending;
    if (this.#finReceived || this.#shutRd || this.#conn === 'done') return EMPTY;
    if (this.#conn === 'none') throw socketError('ENOTCONN', 'recv');
    return null;
  }

  #onData(chunk: Buffer): void {
    // Data for a socket that can no longer receive (closed, or shut down reading after its FIN went
    // out) is answered with an RST, as Linux does in FIN_WAIT with RCV_SHUTDOWN (shutdown-rdwr). Without
    // a FIN sent the socket is still ESTABLISHED and the data is delivered
    // (tcp-shutdown-before-connect-sticks [20]-[22]).
    if (this.family !== AF_UNIX && (this.#fd < 0 || (this.#shutRd && this.#finSent))) {
      this.#resetByIncomingData();
      return;
    }
    if (this.#fd < 0 || (this.family === AF_UNIX && this.#shutRd)) return;
    this.#rq.push(chunk);
    this.#updateReading();
    this.#notify();
  }

  /** Pauses node:net while the emulated receive buffer is full (TCP flow control reaches the peer). */
  #updateReading(): void {
    const stream = this.#stream;
    if (stream === null || this.#isPair) return;
    // Full at SO_RCVBUF; reading resumes only once half of it is free again, as Linux reopens a
    // window only when it can grow by a useful amount (receiver-side silly window avoidance): a
    // resume per recv() would cost node:net a read that finds nothing (EAGAIN) each time.
    const limit = this.#isReadPaused ? this.#options.rcvbuf / 2 : this.#options.rcvbuf;
    const shouldPause = !this.#isAccepted || this.#rq.bytes >= limit;
    if (shouldPause === this.#isReadPaused) return;
    this.#isReadPaused = shouldPause;
    if (shouldPause) stream.pause();
    else stream.resume();
  }

  #resetByIncomingData(): void {
    this.#stream?.reset();
    const peer = this.#peer;
    if (this.#fd >= 0 && this.#conn === 'established') {
      this.#pendingError = socketError('ECONNRESET', 'recv');
      this.#conn = 'done';
      this.#notify();
    }
    if (peer !== null) peer.#onPeerReset();
  }

  /** The in-process peer sent an RST that node:net cannot see here (it stopped reading at the FIN). */
  #onPeerReset(): void {
    if (this.#fd < 0 || this.#conn !== 'established' || !this.#finReceived) return;
    this.#onError(socketError('ECONNRESET', 'recv'));
  }

  #onEnd(): void {
    this.#finReceived = true;
    if (this.#isResetOnEOF) this.#pendingError = socketError('ECONNRESET', 'recv');
    if (this.#isResetDue) {
      this.#takeResetFromClosedPeer();
      return;
    }
    this.#closeIfBothFinsDone();
    this.#notify();
  }

  /**
   * TCP: once both FINs have gone and our queued bytes are out, Linux's connection is closed
   * (TIME_WAIT or LAST_ACK end in TCP_CLOSE): shutdown and getpeername raise ENOTCONN, and the socket
   * is readable and writable like every finished connection (tcp-both-shut-wr-then-closed [19]-[31]).
   * The last ACK on loopback is handled by the kernel before the next call can look.
   */
  #closeIfBothFinsDone(): void {
    if (this.family === AF_UNIX || this.#conn !== 'established' || !this.#finSent || !this.#finReceived) return;
    if (this.#stream === null || this.#stream.queuedBytes > 0) return;
    this.#conn = 'done';
    this.#notify();
  }

  /** The closed in-process peer answered our bytes with an RST, after the FIN it had sent. */
  #takeResetFromClosedPeer(): void {
    this.#resetWhenWritten = false;
    this.#isResetDue = false;
    this.#onError(socketError('EPIPE', 'send'));
  }

  #onError(error: OSError): void {
    if (this.#fd < 0 || this.#conn === 'done' || this.#conn === 'none') return;
    const wasConnecting = this.#conn === 'connecting';
    this.#stream?.reset();
    if (this.family === AF_UNIX && this.#isUnixConnectUnconfirmed) {
      // The connect itself failed (say ECONNREFUSED from a path another process bound): Linux raises
      // that from connect() and leaves the socket unconnected, so it is unconnected again and can
      // retry; the first connect, recv, send or SO_ERROR reports the error (docs/semantics.md 6.5).
      this.#resetToUnconnected();
      this.#pendingError = socketError(error.code, 'connect');
      this.#notify();
      return;
    }
    if (this.family === AF_UNIX) {
      this.#finReceived = true;
      this.#peerCannotReceive = true;
      if (error.code !== 'EPIPE') this.#pendingError = error;
      this.#notify();
      return;
    }
    if (wasConnecting) {
      // A listener that closed with this client still queued behind the backlog refuses it.
      this.#pendingError = this.#isAwaitingAdmission && error.code === 'ECONNRESET' ? socketError('ECONNREFUSED', 'connect') : error;
    } else if (error.code === 'ECONNRESET' || error.code === 'EPIPE') {
      // The errno an RST leaves depends on what it found: EPIPE once the peer's FIN had arrived.
      this.#pendingError = socketError(this.#finReceived ? 'EPIPE' : 'ECONNRESET', 'recv');
    } else {
      this.#pendingError = error;
    }
    this.#conn = 'done';
    this.#notify();
  }

  #onWritten(): void {
    if (this.#resetWhenWritten) {
      // The RST comes after the peer's FIN, which may not have been read yet: then it waits for it.
      if (this.#finReceived) this.#takeResetFromClosedPeer();
      else this.#isResetDue = true;
      return;
    }
    this.#closeIfBothFinsDone();
    if (this.#wasSendBufferFull && this.#sendRoom() > 0) {
      this.#wasSendBufferFull = false;
      this.#notify();
    }
  }

  // ---- shutdown and close -------------------------------------------------------------------------

  /**
   * Shuts down reading (SHUT_RD), writing (SHUT_WR, which sends a FIN after the queued bytes) or
   * both (SHUT_RDWR); the socket stays open until close(). On a TCP listener, SHUT_RD stops
   * listening; on a connecting TCP socket any `how` abandons the attempt. Throws OSError `EINVAL` for
   * another `how`, `ENOTCONN` on a TCP socket that is not connected or whose connection ended (Linux
   * still records the shutdown: a later connect keeps it).
   */
  shutdown(how: number): void {
    this.#checkOpen('shutdown');
    if (how !== SHUT_RD && how !== SHUT_WR && how !== SHUT_RDWR) throw socketError('EINVAL', 'shutdown');
    const reading = how !== SHUT_WR;
    const writing = how !== SHUT_RD;
    if (this.family !== AF_UNIX) {
      if (this.#listening !== null) {
        // Linux sets no shutdown bits on a TCP listener: SHUT_RD stops listening, SHUT_WR does nothing.
        if (reading) this.#stopListening(false);
        return;
      }
      if (this.#conn === 'connecting') {
        // SYN_SENT: Linux disconnects, which also clears the shutdown bits (tcp_disconnect).
        this.#stream?.reset();
        this.#resetToUnconnected();
        return;
      }
      if (this.#conn !== 'established') {
        // TCP_CLOSE: ENOTCONN, yet inet_shutdown records the bits first: recv then gives b'', and
        // after a connect send raises EPIPE, with no FIN sent (tcp-shutdown-before-connect-sticks).
        if (reading) this.#shutRd = true;
        if (writing) this.#shutWr = true;
        this.#notify();
        throw socketError('ENOTCONN', 'shutdown');
      }
    }
    if (reading) {
      this.#shutRd = true;
      // AF_UNIX tells the peer on every call (unix_shutdown), TCP never (shutdown-rd-effects). An
      // unconnected Unix socket has no peer to tell: the bits only hold for itself
      // (unix-shutdown-before-connect-sticks).
      if (this.family === AF_UNIX && this.#peer !== null) this.#peer.#onPeerShutRead();
    }
    if (writing) {
      this.#shutWr = true;
      // The FIN goes out from a connected socket only, however often SHUT_WR was asked for before
      // (tcp-shutdown-before-connect-sticks [24]-[26], tcp-both-shut-wr-then-closed [9], [12]).
      const stream = this.#stream;
      if (!this.#finSent && stream !== null) {
        this.#finSent = true;
        stream.end();
      }
    }
    this.#closeIfBothFinsDone();
    this.#notify();
  }

  #onPeerShutRead(): void {
    if (this.#fd < 0) return;
    this.#peerCannotReceive = true;
    this.#notify();
  }

  /**
   * Closes the socket: a FIN after the queued data, or (TCP) an RST if received data was left unread
   * or SO_LINGER is on with l_linger 0; an AF_UNIX peer then sees ECONNRESET for unread data. Never
   * blocks; the fd becomes -1 and later calls throw OSError `EBADF`. Closing again does nothing.
   */
  close(): void {
    if (this.#fd < 0) return;
    this.#fd = -1;
    this.#stopListening(true);
    this.#pipeHandle?.close();
    this.#pipeHandle = null;
    // A bound client's path too: connect keeps the name (unix-bound-client-connect).
    if (typeof this.#local === 'string' && this.#local !== '') registry.releaseUnixPath(this.#local, this);
    this.#tcpHandle?.close();
    this.#tcpHandle = null;
    if (this.family !== AF_UNIX) registry.releaseTcp(this);
    const hadUnread = !this.#rq.isEmpty || (this.#stream?.undeliveredBytes ?? 0) > 0;
    if (this.#options.lingerZero || (hadUnread && this.family !== AF_UNIX)) this.#stream?.reset();
    else this.#stream?.close();
    this.#rq.clear();
    const peer = this.#peer;
    if (peer !== null && this.family === AF_UNIX) peer.#onPeerClosed(hadUnread);
    this.#notify();
  }

  /** AF_UNIX: the peer closed, so we can neither read more nor send (socketpair-close-peer). */
  #onPeerClosed(hadUnread: boolean): void {
    if (this.#fd < 0) return;
    this.#peerCannotReceive = true;
    if (this.#isPair) {
      this.#finReceived = true;
      if (hadUnread) this.#pendingError = socketError('ECONNRESET', 'recv');
    } else {
      // Over node:net the peer's last bytes and its FIN may still be on the way: EOF (and the reset
      // for unread data) wait for them; only sending fails at once, as on Linux.
      this.#isResetOnEOF = hadUnread;
    }
    this.#notify();
  }

  /** Stops listening: on close, or (TCP) on SHUT_RD, after which the socket may listen or connect again. */
  #stopListening(isClosing: boolean): void {
    const listening = this.#listening;
    if (listening === null) return;
    this.#listening = null;
    listening.server.close();
    const local = this.#local;
    if (Array.isArray(local)) {
      registry.removeTcpListener(local[0], local[1], this);
      if (!isClosing) this.#keepBoundPort();
    } else if (typeof local === 'string') {
      registry.releaseUnixPath(local, this);
    }
    // Linux resets the connections still waiting in the queue of a closed listener. AF_UNIX has no
    // RST on the wire: the emulated kernel sets ECONNRESET on an in-process client (unix_release_sock).
    for (const arrival of listening.queue.drain()) {
      arrival.accepted.#stream?.reset();
      const client = arrival.client;
      if (this.family === AF_UNIX && client !== undefined) client.#onPeerClosed(true);
    }
  }

  /** The connection attempt is over (failed or disconnected): Linux's tcp_disconnect, or AF_UNIX never connected. */
  #resetToUnconnected(): void {
    this.#bsd = 'unconnected';
    this.#conn = 'none';
    this.#stream = null;
    this.#connectHandle = null;
    this.#remote = null;
    this.#peer = null;
    this.#bytesSent = 0;
    this.#bytesConsumed = 0;
    this.#finReceived = false;
    this.#finSent = false;
    this.#peerCannotReceive = false;
    this.#isResetOnEOF = false;
    this.#resetWhenWritten = false;
    this.#isResetDue = false;
    this.#isTcpConnected = false;
    this.#isAwaitingAdmission = false;
    this.#isUnixConnectUnconfirmed = false;
    this.#isReadPaused = false;
    this.#rq.clear();
    if (this.family === AF_UNIX) {
      // A connect that failed left the socket as it was: its shutdown bits, and a bound path.
      if (this.#pipeHandle === null) this.#local = null;
      return;
    }
    // tcp_disconnect clears the shutdown bits: only bits set while unconnected carry into a connect.
    this.#shutRd = false;
    this.#shutWr = false;
    // The connection consumed our bound handle: keep an explicitly bound port, as Linux does.
    if (this.#isPortLocked) this.#keepBoundPort();
    else registry.releaseTcp(this);
    if (this.#tcpHandle === null) this.#local = null;
  }

  // ---- options and names --------------------------------------------------------------------------

  /**
   * An option's value as a number (booleans as 0 or 1): SOL_SOCKET with SO_ERROR (the pending errno,
   * cleared by reading it), SO_ACCEPTCONN, SO_TYPE, SO_RCVBUF, SO_SNDBUF (as set, not doubled),
   * SO_REUSEADDR, SO_KEEPALIVE, SO_LINGER (l_onoff), or IPPROTO_TCP with TCP_NODELAY (TCP only).
   * Throws OSError `ENOPROTOOPT` for any other.
   */
  getsockopt(level: number, option: number): number {
    this.#checkOpen('getsockopt');
    // The options that read the socket's state; the rest are plain values (socket-options.ts).
    if (level === SOL_SOCKET && option === SO_ERROR) return this.#takePendingError('getsockopt')?.errno ?? 0;
    if (level === SOL_SOCKET && option === SO_ACCEPTCONN) return this.#listening === null ? 0 : 1;
    return this.#options.get(level, option);
  }

  /**
   * Sets an option: SO_RCVBUF and SO_SNDBUF take an integer byte count (TypeError otherwise);
   * SO_REUSEADDR, SO_KEEPALIVE and TCP_NODELAY a number or boolean; SO_LINGER `[l_onoff, l_linger]`
   * or the packed 8-byte struct linger (OSError `EINVAL` if shorter, TypeError for another shape).
   * Throws OSError `ENOPROTOOPT`
   * for any other option, including the read-only SO_TYPE, SO_ERROR and SO_ACCEPTCONN.
   */
  setsockopt(level: number, option: number, value: OptionValue): void {
    this.#checkOpen('setsockopt');
    switch (this.#options.set(level, option, value)) {
      case 'receive-buffer':
        this.#updateReading();
        return;
      case 'send-buffer':
        this.#notify();
        return;
      case 'stream':
        this.#applyOptions();
        return;
      case 'none':
        return;
    }
  }

  #applyOptions(): void {
    this.#stream?.setNoDelay(this.#options.noDelay);
    if (this.#options.keepAlive) this.#stream?.setKeepAlive(true);
  }

  /**
   * The local address: as bound, or the one the kernel picked for a connect; the unnamed address
   * (`['0.0.0.0', 0]`, `['::', 0, 0, 0]`, `''`) before either.
   */
  getsockname(): Address {
    this.#checkOpen('getsockname');
    if (this.#local !== null) return this.#local;
    const known = this.#connectHandle === null ? undefined : knownEndpoint(this.#connectHandle);
    if (known === undefined) return unnamedAddress(this.family);
    // Learnt once node:net has issued the connect (the kernel picks the port then).
    this.#local = this.#ipAddress(known.host, known.port);
    return this.#local;
  }

  /** The peer's address; OSError `ENOTCONN` unless connected (so also while connecting and after the connection ended). */
  getpeername(): Address {
    this.#checkOpen('getpeername');
    if (this.#listening !== null || this.#conn !== 'established' || this.#remote === null) {
      throw socketError('ENOTCONN', 'getpeername');
    }
    return this.#remote;
  }

  /** `false` is Python's non-blocking mode (timeout 0); `true` waits forever (timeout null). */
  setblocking(flag: boolean): void {
    this.#checkOpen('setblocking');
    this.#timeout = flag ? null : 0;
  }

  /**
   * The timeout of the awaitable calls, in seconds; null (the default) waits forever, 0 fails at once
   * with BlockingIOError, and a positive value fails with TimeoutError once it passes. The
   * synchronous calls never wait whatever it is. ValueError for a negative or non-finite value.
   */
  settimeout(seconds: number | null): void {
    if (seconds !== null && (!Number.isFinite(seconds) || seconds < 0)) {
      throw new ValueError('Timeout value out of range');
    }
    this.#checkOpen('settimeout');
    this.#timeout = seconds;
  }

  /** The timeout set by settimeout() or setblocking(), in seconds (null: none). */
  gettimeout(): number | null {
    return this.#timeout;
  }

  // ---- the awaitable forms of the blocking calls ---------------------------------------------------

  /** Resolves once every byte was accepted by the send buffer (the timeout bounds the whole call). */
  async sendall(data: SocketData, options?: WaitOptions): Promise<void> {
    let rest = bytesOf(data, 'sendall');
    const deadline = this.#deadline();
    while (rest.length > 0) {
      const sent = await this.#retry('send', EVENT_WRITE, deadline, options, () => this.send(rest));
      rest = rest.subarray(sent);
    }
  }

  /** recv() that waits for data, EOF or an error. */
  recvAsync(size: number, options?: WaitOptions): Promise<Buffer> {
    return this.#retry('recv', EVENT_READ, this.#deadline(), options, () => this.recv(size));
  }

  /** accept() that waits for a connection. */
  acceptAsync(options?: WaitOptions): Promise<[Socket, Address]> {
    return this.#retry('accept', EVENT_READ, this.#deadline(), options, () => {
      try {
        return this.accept();
      } catch (error) {
        // A blocking accept on a Unix listener that shut down reading, with nothing queued, fails
        // with EINVAL (unix_accept); it is readable, so waiting would never end (unix-listener-shut-rd).
        if (error instanceof BlockingIOError && this.#timeout !== 0 && this.#shutRd) {
          throw socketError('EINVAL', 'accept');
        }
        throw error;
      }
    });
  }

  /** connect() that waits for the outcome: resolves when connected, rejects with the failure. */
  async connectAsync(address: AddressInput, options?: WaitOptions): Promise<void> {
    const deadline = this.#deadline();
    try {
      this.connect(address);
      return;
    } catch (error) {
      if (!(error instanceof BlockingIOError) || this.#timeout === 0) throw error;
    }
    await this.#retry('connect', EVENT_WRITE, deadline, options, () => this.connect(address));
  }

  /** A buffered file over this socket, as Python's makefile(): writes wait for flush() or a full buffer. */
  makefile(options?: SocketFileOptions): SocketFile {
    return new SocketFile(this, options);
  }

  #deadline(): number | null {
    return this.#timeout === null ? null : performance.now() + this.#timeout * 1000;
  }

  async #retry<T>(syscall: string, events: number, deadline: number | null, options: WaitOptions | undefined, attempt: () => T): Promise<T> {
    for (;;) {
      try {
        return attempt();
      } catch (error) {
        if (!(error instanceof BlockingIOError) || this.#timeout === 0) throw error;
      }
      try {
        await waitReady(this, events, deadline === null ? null : Math.min(deadline, performance.now() + MAX_TIMER_MS), options?.signal);
      } catch (error) {
        if (!(error instanceof DeadlineExceeded)) throw error;
        // A leg of a timeout longer than one timer can hold ended: wait again, up to the real deadline.
        if (deadline !== null && performance.now() < deadline) continue;
        throw timedOut(syscall);
      }
    }
  }

  #checkOpen(syscall: string): void {
    if (this.#fd < 0) throw socketError('EBADF', syscall);
  }

  /** The pending error (SO_ERROR), cleared, as the call `syscall` raises it. */
  #takePendingError(syscall: string): OSError | null {
    const error = this.#pendingError;
    this.#pendingError = null;
    return error === null ? null : raisedBy(error, syscall);
  }
}

function takeClient(expected: Set<Socket>, host: string, port: number): Socket | undefined {
  for (const client of expected) {
    if (client.fileno() < 0) {
      expected.delete(client);
      continue;
    }
    const local = client.getsockname();
    if (Array.isArray(local) && local[1] === port && (local[0] === host || unmapIPv4(local[0]) === host)) {
      expected.delete(client);
      return client;
    }
  }
  return undefined;
}

function knownEndpoint(handle: TcpHandle): { host: string; port: number } | undefined {
  const out: { address?: string; port?: number } = {};
  if (handle.getsockname(out) !== 0 || out.address === undefined || !out.port) return undefined;
  return { host: out.address, port: out.port };
}
