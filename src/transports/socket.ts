// A non-blocking socket with the Linux kernel's semantics, emulated over node:net (TCP over IPv4 and
// IPv6, Unix stream sockets) or memory (socketpair). Every call is synchronous and never blocks, as
// after setblocking(False) in Python; the awaitable forms that wait live in socket-waits.ts.
// The state machine mirrors the kernel's: BSD socket state (unconnected/connecting/connected) over
// the connection's state (none -> connecting -> established -> done). Each choice cites the scenario
// in ../shared/SEMANTICS.md that fixes it; what Node cannot express is listed in docs/semantics.md.
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
  DEFAULT_TCP_RCVBUF,
  DEFAULT_TCP_SNDBUF,
  DEFAULT_UNIX_BUFFER,
  IPPROTO_TCP,
  SHUT_RD,
  SHUT_RDWR,
  SHUT_WR,
  SOCK_STREAM,
  SOL_SOCKET,
  SO_ACCEPTCONN,
  SO_ERROR,
  SO_KEEPALIVE,
  SO_LINGER,
  SO_RCVBUF,
  SO_REUSEADDR,
  SO_SNDBUF,
  SO_TYPE,
  TCP_NODELAY,
} from './constants.js';
import { BlockingIOError, OSError, TimeoutError, ValueError, gaierror, socketError } from './errors.js';
import { DeadlineExceeded, type WaitOptions, waitReady } from '../reactor/wait-ready.js';
import { SocketFile, type SocketFileOptions } from './socket-file.js';
import { ReceiveQueue } from './receive-queue.js';
import { AcceptQueue, type Arrival } from './accept-queue.js';
import * as registry from './kernel-registry.js';
import { NodeStreamEnd, type StreamEnd, type StreamEvents, unmapIPv4 } from './stream-end.js';
import { PairStreamEnd } from './pair-stream-end.js';
import { type PipeHandle, type TcpHandle, boundEndpoint, check, newPipeHandle, newTcpHandle } from './uv-handles.js';
import { EVENT_ERROR, EVENT_READ, EVENT_WRITE, type ReadinessListener, type Selectable } from '../reactor/selectable.js';

type ConnState = 'none' | 'connecting' | 'established' | 'done';
type BsdState = 'unconnected' | 'connecting' | 'connected';
export type SocketData = Uint8Array | string;
/** `SO_LINGER` as Python packs it: `[onoff, seconds]`, or the packed `struct linger` bytes. */
export type LingerValue = readonly [number, number] | Uint8Array;

/** Python's default for `listen()` without an argument: min(SOMAXCONN, 128). */
const DEFAULT_BACKLOG = 128;
const EMPTY = Buffer.alloc(0);
let nextFileno = 3;

interface Listening {
  readonly queue: AcceptQueue<Socket>;
  readonly server: net.Server;
  /** In-process TCP clients connecting to us, matched to arrivals by their local address. */
  readonly expectedTcp: Set<Socket>;
  /** In-process Unix clients, in connect order (AF_UNIX arrivals carry no address to match by). */
  readonly expectedUnix: Socket[];
}

export class Socket implements Selectable {
  readonly family: AddressFamily;
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
  #shutRd = false;
  #shutWr = false;
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
  #rcvbuf: number;
  #sndbuf: number;
  #noDelay = false;
  #keepAlive = false;
  #reuseAddr = false;
  #lingerZero = false;
  /** SO_LINGER's l_onoff, what Python's getsockopt(SOL_SOCKET, SO_LINGER) returns (the first int). */
  #lingerOn = false;
  #timeout: number | null = null;
  #listeners: ReadinessListener[] = [];
  readonly #events: StreamEvents = {
    data: (chunk) => this.#onData(chunk),
    end: () => this.#onEnd(),
    error: (code) => this.#onError(socketError(code, 'recv')),
    connect: () => this.#onConnect(),
    written: () => this.#onWritten(),
  };

  constructor(family: AddressFamily = AF_INET, type: number = SOCK_STREAM) {
    if (family !== AF_INET && family !== AF_INET6 && family !== AF_UNIX) {
      throw new OSError('EAFNOSUPPORT', undefined, 'socket');
    }
    if (type !== SOCK_STREAM) throw new OSError('EPROTONOSUPPORT', 'only SOCK_STREAM sockets are supported', 'socket');
    this.family = family;
    const buffer = family === AF_UNIX ? DEFAULT_UNIX_BUFFER : DEFAULT_TCP_RCVBUF;
    this.#rcvbuf = buffer;
    this.#sndbuf = family === AF_UNIX ? DEFAULT_UNIX_BUFFER : DEFAULT_TCP_SNDBUF;
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
    if (this.#listening !== null) return this.#listening.queue.length > 0 ? EVENT_READ : 0;
    const error = this.#pendingError === null ? 0 : EVENT_ERROR;
    if (this.#conn === 'none' || this.#conn === 'done') return EVENT_READ | EVENT_WRITE | error;
    if (this.#conn === 'connecting') return error === 0 ? 0 : EVENT_READ | EVENT_WRITE | error;
    const readable = !this.#rq.isEmpty || this.#finReceived || this.#shutRd || error !== 0;
    const writable =
      (this.family !== AF_UNIX && this.#shutWr) || error !== 0 || this.#sendRoom() > 0;
    return (readable ? EVENT_READ : 0) | (writable ? EVENT_WRITE : 0) | error;
  }

  watch(listener: ReadinessListener): void {
    if (!this.#listeners.includes(listener)) this.#listeners = [...this.#listeners, listener];
  }

  unwatch(listener: ReadinessListener): void {
    if (this.#listeners.includes(listener)) this.#listeners = this.#listeners.filter((l) => l !== listener);
  }

  #notify(): void {
    // Copy-on-write array: a listener that unwatches during the loop does not disturb it.
    for (const listener of this.#listeners) listener(this);
  }

  // ---- binding, listening, accepting -----------------------------------------------------------

  bind(address: AddressInput): void {
    this.#checkOpen('bind');
    if (this.#local !== null || this.#conn !== 'none' || this.#listening !== null) {
      throw new OSError('EINVAL', undefined, 'bind');
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
    this.#tcpHandle = handle;
    this.#local = formatAddress(this.family, bound.host, bound.port);
  }

  #bindUnix(path: string): void {
    if (path === '') throw new OSError('EINVAL', 'abstract and autobound AF_UNIX addresses are not supported', 'bind');
    if (existsSync(path)) throw new OSError('EADDRINUSE', undefined, 'bind');
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

  listen(backlog: number = DEFAULT_BACKLOG): void {
    this.#checkOpen('listen');
    if (this.#listening !== null) {
      this.#listening.queue.backlog = backlog;
      return;
    }
    if (this.#conn !== 'none' || this.#bsd !== 'unconnected') throw new OSError('EINVAL', undefined, 'listen');
    if (this.family === AF_UNIX && typeof this.#local !== 'string') throw new OSError('EINVAL', undefined, 'listen');
    const server = net.createServer({ pauseOnConnect: true, allowHalfOpen: true });
    const listening: Listening = {
      queue: new AcceptQueue<Socket>(backlog, {
        admitted: (arrival) => this.#onAdmitted(arrival),
        dropped: (arrival, code) => this.#onDropped(arrival, code),
      }),
      server,
      expectedTcp: new Set(),
      expectedUnix: [],
    };
    server.on('connection', (connection: net.Socket) => this.#onArrival(connection));
    // A listening error after a successful bind (rare: EMFILE on accept) must not end the process.
    server.on('error', () => {});
    if (this.family === AF_UNIX) this.#listenUnix(server);
    else this.#listenTcp(server);
    this.#listening = listening;
  }

  #listenTcp(server: net.Server): void {
    if (this.#tcpHandle === null) this.bind(this.family === AF_INET6 ? ['::', 0] : ['0.0.0.0', 0]);
    const handle = this.#tcpHandle;
    if (handle === null || !Array.isArray(this.#local)) throw new OSError('EINVAL', undefined, 'listen');
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

  accept(): [Socket, Address] {
    this.#checkOpen('accept');
    const listening = this.#listening;
    if (listening === null) throw new OSError('EINVAL', undefined, 'accept');
    const arrival = listening.queue.shift();
    if (arrival === undefined) throw new BlockingIOError('EAGAIN', undefined, 'accept');
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
    const accepted = new Socket(this.family);
    accepted.#rcvbuf = this.#rcvbuf;
    accepted.#sndbuf = this.#sndbuf;
    accepted.#noDelay = this.#noDelay;
    accepted.#keepAlive = this.#keepAlive;
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
      accepted.#local = this.#local;
      accepted.#remote = '';
      client = listening.expectedUnix.shift();
    } else {
      const local = stream.localEndpoint();
      const remote = stream.remoteEndpoint();
      accepted.#local = local === undefined ? this.#local : this.#ipAddress(local.host, local.port);
      accepted.#remote = remote === undefined ? null : this.#ipAddress(remote.host, remote.port);
      client = remote === undefined ? undefined : takeClient(listening.expectedTcp, remote.host, remote.port);
    }
    listening.queue.offer({ accepted, client }, this.family === AF_UNIX && client !== undefined);
  }

  #onAdmitted(arrival: Arrival<Socket>): void {
    const { accepted, client } = arrival;
    if (client !== undefined && client.#fd >= 0) {
      accepted.#peer = client;
      client.#peer = accepted;
      client.#admit();
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

  /** Starts connecting. TCP: throws BlockingIOError EINPROGRESS, then EALREADY while in progress. */
  connect(address: AddressInput): void {
    this.#checkOpen('connect');
    if (this.family === AF_UNIX) {
      this.#connectUnix(unixPath(address));
      return;
    }
    if (this.#listening !== null || this.#bsd === 'connected') throw new OSError('EISCONN', undefined, 'connect');
    if (this.#bsd === 'connecting') {
      if (this.#conn === 'connecting') throw new BlockingIOError('EALREADY', undefined, 'connect');
      if (this.#conn === 'established') {
        this.#bsd = 'connected';
        return;
      }
      // The attempt failed: report its error once and become unconnected again (connect-ex-refused-retry).
      const error = this.#takePendingError() ?? new OSError('ECONNABORTED', undefined, 'connect');
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
    throw new BlockingIOError('EINPROGRESS', undefined, 'connect');
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
      if (error instanceof OSError && !(error instanceof gaierror)) return error.errno;
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
    if (this.#conn !== 'connecting' || this.family === AF_UNIX) return;
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
    if (this.#listening !== null) throw new OSError('EINVAL', undefined, 'connect');
    if (this.#conn !== 'none') throw new OSError('EISCONN', undefined, 'connect');
    const entry = registry.findUnixPath(path);
    const listener = entry?.owner;
    if (entry !== undefined && !entry.listening) throw socketError('ECONNREFUSED', 'connect');
    if (listener instanceof Socket && listener.#listening !== null) {
      // unix-backlog-full-eagain: a full queue refuses at once with EAGAIN, and nothing is connected.
      if (!listener.#listening.queue.hasRoom) throw new BlockingIOError('EAGAIN', undefined, 'connect');
      listener.#listening.queue.reserve();
      listener.#listening.expectedUnix.push(this);
    } else if (!existsSync(path)) {
      throw socketError('ENOENT', 'connect');
    }
    // A Unix connect succeeds at once (unix-listener-connect); node:net connects in the background,
    // and writes made meanwhile wait in its queue, counted against SO_SNDBUF.
    const connection = new net.Socket({ allowHalfOpen: true });
    this.#stream = new NodeStreamEnd(connection, this.#events, false);
    this.#conn = 'established';
    this.#bsd = 'connected';
    this.#remote = path;
    this.#local = '';
    connection.connect({ path });
    this.#notify();
  }

  // ---- data ---------------------------------------------------------------------------------------

  /** Sends what fits in the send buffer and returns that count; BlockingIOError EAGAIN when nothing fits. */
  send(data: SocketData): number {
    this.#checkOpen('send');
    const bytes = typeof data === 'string' ? Buffer.from(data) : data;
    const stream = this.#checkCanSend();
    const room = this.#sendRoom();
    if (room <= 0) throw new BlockingIOError('EAGAIN', undefined, 'send');
    const count = Math.min(bytes.length, room);
    if (count === 0) return 0;
    // Copied: the caller may reuse its buffer while ours waits in the queue (never aliased).
    stream.write(Buffer.from(bytes.subarray(0, count)));
    this.#bytesSent += count;
    if (this.#sendRoom() <= 0) this.#wasSendBufferFull = true;
    // peer-close-then-send-epipe: bytes sent to a closed peer are answered with an RST. Node stopped
    // reading at the FIN and would not see it, so the emulated kernel applies it for an in-process peer.
    if (this.family !== AF_UNIX && this.#finReceived && this.#peer !== null && this.#peer.#fd < 0) {
      this.#resetWhenWritten = true;
    }
    return count;
  }

  #checkCanSend(): StreamEnd {
    if (this.family === AF_UNIX) {
      if (this.#conn !== 'established' || this.#stream === null) throw new OSError('ENOTCONN', undefined, 'send');
      if (this.#shutWr || this.#peerCannotReceive) throw socketError('EPIPE', 'send');
      return this.#stream;
    }
    if (this.#listening !== null) throw socketError('EPIPE', 'send');
    const pending = this.#takePendingError();
    if (pending !== null) throw pending;
    if (this.#conn === 'connecting') throw new BlockingIOError('EAGAIN', undefined, 'send');
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
      return this.#sndbuf + peer.#rcvbuf - (this.#bytesSent - peer.#bytesConsumed);
    }
    return this.#sndbuf - stream.queuedBytes;
  }

  /** Our in-process peer read some bytes: with the shared accounting above, we may have room again. */
  #onPeerConsumed(): void {
    if (this.#isPair || this.#wasSendBufferFull) {
      if (this.#sendRoom() > 0) this.#wasSendBufferFull = false;
      this.#notify();
    }
  }

  /** Up to `size` bytes; an empty Buffer is EOF. BlockingIOError EAGAIN when nothing is there yet. */
  recv(size: number): Buffer {
    this.#checkOpen('recv');
    if (!Number.isInteger(size) || size < 0) throw new ValueError('negative buffersize in recv');
    if (this.family === AF_UNIX && this.#conn !== 'established') throw new OSError('EINVAL', undefined, 'recv');
    if (this.#listening !== null) throw new OSError('ENOTCONN', undefined, 'recv');
    if (!this.#rq.isEmpty) {
      if (size === 0) return EMPTY;
      const data = this.#rq.take(size);
      this.#bytesConsumed += data.length;
      this.#updateReading();
      if (this.#peer !== null) this.#peer.#onPeerConsumed();
      return data;
    }
    // Linux's order (tcp_recvmsg): a FIN already read means EOF, then a pending error, then shutdown.
    if (this.#finReceived && this.family !== AF_UNIX) return EMPTY;
    const pending = this.#takePendingError();
    if (pending !== null) throw pending;
    if (this.#finReceived || this.#shutRd || this.#conn === 'done') return EMPTY;
    if (this.#conn === 'none') throw new OSError('ENOTCONN', undefined, 'recv');
    throw new BlockingIOError('EAGAIN', undefined, 'recv');
  }

  #onData(chunk: Buffer): void {
    // Data for a socket that can no longer receive (closed, or both directions shut) is answered with
    // an RST, as Linux does in FIN_WAIT with RCV_SHUTDOWN (shutdown-rdwr).
    if (this.family !== AF_UNIX && (this.#fd < 0 || (this.#shutRd && this.#shutWr))) {
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
    const shouldPause = !this.#isAccepted || this.#rq.bytes >= this.#rcvbuf;
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
    this.#notify();
  }

  #onError(error: OSError): void {
    if (this.#fd < 0 || this.#conn === 'done' || this.#conn === 'none') return;
    const wasConnecting = this.#conn === 'connecting';
    this.#stream?.reset();
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
      this.#resetWhenWritten = false;
      this.#onError(socketError('EPIPE', 'send'));
      return;
    }
    if (this.#wasSendBufferFull && this.#sendRoom() > 0) {
      this.#wasSendBufferFull = false;
      this.#notify();
    }
  }

  // ---- shutdown and close -------------------------------------------------------------------------

  shutdown(how: number): void {
    this.#checkOpen('shutdown');
    if (how !== SHUT_RD && how !== SHUT_WR && how !== SHUT_RDWR) throw new OSError('EINVAL', undefined, 'shutdown');
    const reading = how !== SHUT_WR;
    const writing = how !== SHUT_RD;
    if (this.family !== AF_UNIX) {
      if (this.#listening !== null) {
        if (reading) this.#stopListening();
        return;
      }
      if (this.#conn === 'connecting') {
        this.#stream?.reset();
        this.#resetToUnconnected();
        return;
      }
      if (this.#conn !== 'established') throw new OSError('ENOTCONN', undefined, 'shutdown');
    }
    if (reading && !this.#shutRd) {
      this.#shutRd = true;
      // AF_UNIX tells the peer (socketpair-shut-rd); TCP does not (shutdown-rd-effects).
      if (this.family === AF_UNIX && this.#peer !== null) this.#peer.#onPeerShutRead();
    }
    if (writing && !this.#shutWr) {
      this.#shutWr = true;
      this.#stream?.end();
    }
    this.#notify();
  }

  #onPeerShutRead(): void {
    this.#peerCannotReceive = true;
    this.#notify();
  }

  /** Closes the socket: FIN after queued data, or RST if unread data remains or SO_LINGER is 0. */
  close(): void {
    if (this.#fd < 0) return;
    this.#fd = -1;
    this.#stopListening();
    this.#pipeHandle?.close();
    this.#pipeHandle = null;
    if (typeof this.#local === 'string' && this.#local !== '') registry.releaseUnixPath(this.#local, this);
    this.#tcpHandle?.close();
    this.#tcpHandle = null;
    const hadUnread = !this.#rq.isEmpty || (this.#stream?.undeliveredBytes ?? 0) > 0;
    if (this.#lingerZero || (hadUnread && this.family !== AF_UNIX)) this.#stream?.reset();
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

  #stopListening(): void {
    const listening = this.#listening;
    if (listening === null) return;
    this.#listening = null;
    listening.server.close();
    const local = this.#local;
    if (Array.isArray(local)) registry.removeTcpListener(local[0], local[1], this);
    else if (typeof local === 'string') registry.releaseUnixPath(local, this);
    // Linux resets the connections still waiting in the queue of a closed listener. AF_UNIX has no
    // RST on the wire: the emulated kernel sets ECONNRESET on an in-process client (unix_release_sock).
    for (const arrival of listening.queue.drain()) {
      arrival.accepted.#stream?.reset();
      const client = arrival.client;
      if (this.family === AF_UNIX && client !== undefined) client.#onPeerClosed(true);
    }
  }

  #resetToUnconnected(): void {
    this.#bsd = 'unconnected';
    this.#conn = 'none';
    this.#stream = null;
    this.#connectHandle = null;
    this.#local = null;
    this.#remote = null;
    this.#finReceived = false;
    this.#shutRd = false;
    this.#shutWr = false;
    this.#isTcpConnected = false;
    this.#isAwaitingAdmission = false;
    this.#isReadPaused = false;
    this.#rq.clear();
  }

  // ---- options and names --------------------------------------------------------------------------

  getsockopt(level: number, option: number): number {
    this.#checkOpen('getsockopt');
    if (level === IPPROTO_TCP && option === TCP_NODELAY && this.family !== AF_UNIX) return this.#noDelay ? 1 : 0;
    if (level !== SOL_SOCKET) throw new OSError('ENOPROTOOPT', undefined, 'getsockopt');
    switch (option) {
      case SO_ERROR:
        return this.#takePendingError()?.errno ?? 0;
      case SO_ACCEPTCONN:
        return this.#listening === null ? 0 : 1;
      case SO_TYPE:
        return SOCK_STREAM;
      case SO_RCVBUF:
        return this.#rcvbuf;
      case SO_SNDBUF:
        return this.#sndbuf;
      case SO_REUSEADDR:
        return this.#reuseAddr ? 1 : 0;
      case SO_KEEPALIVE:
        return this.#keepAlive ? 1 : 0;
      case SO_LINGER:
        return this.#lingerOn ? 1 : 0;
      default:
        throw new OSError('ENOPROTOOPT', undefined, 'getsockopt');
    }
  }

  setsockopt(level: number, option: number, value: number | boolean | LingerValue): void {
    this.#checkOpen('setsockopt');
    if (level === IPPROTO_TCP && option === TCP_NODELAY && this.family !== AF_UNIX) {
      this.#noDelay = Boolean(value);
      this.#applyOptions();
      return;
    }
    if (level !== SOL_SOCKET) throw new OSError('ENOPROTOOPT', undefined, 'setsockopt');
    switch (option) {
      case SO_RCVBUF:
        this.#rcvbuf = bufferSize(value);
        this.#updateReading();
        return;
      case SO_SNDBUF:
        this.#sndbuf = bufferSize(value);
        this.#notify();
        return;
      case SO_REUSEADDR:
        this.#reuseAddr = Boolean(value);
        return;
      case SO_KEEPALIVE:
        this.#keepAlive = Boolean(value);
        this.#applyOptions();
        return;
      case SO_LINGER:
        [this.#lingerOn, this.#lingerZero] = parseLinger(value);
        return;
      default:
        throw new OSError('ENOPROTOOPT', undefined, 'setsockopt');
    }
  }

  #applyOptions(): void {
    this.#stream?.setNoDelay(this.#noDelay);
    if (this.#keepAlive) this.#stream?.setKeepAlive(true);
  }

  getsockname(): Address {
    this.#checkOpen('getsockname');
    if (this.#local !== null) return this.#local;
    const known = this.#connectHandle === null ? undefined : knownEndpoint(this.#connectHandle);
    if (known === undefined) return unnamedAddress(this.family);
    // Learnt once node:net has issued the connect (the kernel picks the port then).
    this.#local = this.#ipAddress(known.host, known.port);
    return this.#local;
  }

  getpeername(): Address {
    this.#checkOpen('getpeername');
    if (this.#listening !== null || this.#conn !== 'established' || this.#remote === null) {
      throw new OSError('ENOTCONN', undefined, 'getpeername');
    }
    return this.#remote;
  }

  /** `false` is Python's non-blocking mode (timeout 0); `true` waits forever (timeout null). */
  setblocking(flag: boolean): void {
    this.#checkOpen('setblocking');
    this.#timeout = flag ? null : 0;
  }

  /** The timeout of the awaitable calls, in seconds; null waits forever, 0 fails at once. */
  settimeout(seconds: number | null): void {
    if (seconds !== null && (!Number.isFinite(seconds) || seconds < 0)) {
      throw new ValueError('Timeout value out of range');
    }
    this.#checkOpen('settimeout');
    this.#timeout = seconds;
  }

  gettimeout(): number | null {
    return this.#timeout;
  }

  // ---- the awaitable forms of the blocking calls ---------------------------------------------------

  /** Resolves once every byte was accepted by the send buffer (the timeout bounds the whole call). */
  async sendall(data: SocketData, options?: WaitOptions): Promise<void> {
    let rest = typeof data === 'string' ? Buffer.from(data) : data;
    const deadline = this.#deadline();
    while (rest.length > 0) {
      const sent = await this.#retry(EVENT_WRITE, deadline, options, () => this.send(rest));
      rest = rest.subarray(sent);
    }
  }

  /** recv() that waits for data, EOF or an error. */
  recvAsync(size: number, options?: WaitOptions): Promise<Buffer> {
    return this.#retry(EVENT_READ, this.#deadline(), options, () => this.recv(size));
  }

  /** accept() that waits for a connection. */
  acceptAsync(options?: WaitOptions): Promise<[Socket, Address]> {
    return this.#retry(EVENT_READ, this.#deadline(), options, () => this.accept());
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
    await this.#retry(EVENT_WRITE, deadline, options, () => this.connect(address));
  }

  /** A buffered file over this socket, as Python's makefile(): writes wait for flush() or a full buffer. */
  makefile(options?: SocketFileOptions): SocketFile {
    return new SocketFile(this, options);
  }

  #deadline(): number | null {
    return this.#timeout === null ? null : performance.now() + this.#timeout * 1000;
  }

  async #retry<T>(events: number, deadline: number | null, options: WaitOptions | undefined, attempt: () => T): Promise<T> {
    for (;;) {
      try {
        return attempt();
      } catch (error) {
        if (!(error instanceof BlockingIOError) || this.#timeout === 0) throw error;
      }
      try {
        await waitReady(this, events, deadline, options?.signal);
      } catch (error) {
        if (error instanceof DeadlineExceeded) throw new TimeoutError('ETIMEDOUT', 'timed out');
        throw error;
      }
    }
  }

  #checkOpen(syscall: string): void {
    if (this.#fd < 0) throw new OSError('EBADF', undefined, syscall);
  }

  #takePendingError(): OSError | null {
    const error = this.#pendingError;
    this.#pendingError = null;
    return error;
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

function bufferSize(value: number | boolean | LingerValue): number {
  if (typeof value !== 'number' || !Number.isInteger(value)) throw new TypeError('buffer size must be an integer');
  return Math.max(value, 1);
}

/** [l_onoff set, l_onoff set with l_linger 0 (close sends an RST)]. */
function parseLinger(value: number | boolean | LingerValue): [isOn: boolean, isZero: boolean] {
  let onoff: number;
  let seconds: number;
  if (value instanceof Uint8Array) {
    if (value.byteLength < 8) throw new OSError('EINVAL', 'SO_LINGER takes an 8-byte struct linger', 'setsockopt');
    const view = new DataView(value.buffer, value.byteOffset, value.byteLength);
    [onoff, seconds] = [view.getInt32(0, true), view.getInt32(4, true)];
  } else if (Array.isArray(value)) {
    [onoff, seconds] = value;
  } else {
    throw new TypeError('SO_LINGER takes [onoff, seconds] or a packed struct linger');
  }
  return [onoff !== 0, onoff !== 0 && seconds === 0];
}
