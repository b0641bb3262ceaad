// Python's socket API over the emulated kernel: argument checks, which errno a call raises, names,
// options and the awaitable forms. The state and the kernel's rules live in the module-internal
// core (socket/core.ts), what differs by family in socket/tcp.ts and socket/unix.ts, the listening
// half in socket/listening.ts and the awaitables (shared with SSLSocket) in socket/awaitables.ts.
import type * as net from 'node:net';
import { inspect } from 'node:util';
import { type Address, type AddressInput, type AddressOf } from './address.js';
import { AF_INET, AF_INET6, AF_UNIX, type AddressFamily, SHUT_RD, SHUT_RDWR, SHUT_WR, SOCK_STREAM } from './constants.js';
import { BlockingIOError, OSError, ValueError, gaierror, socketError } from './errors.js';
import type { WaitOptions } from '../reactor/wait-ready.js';
import { SocketFile, type SocketFileOptions } from './socket-file.js';
import { type SocketData, bytesOf } from './bytes-like.js';
import { NodeStreamEnd } from './kernel/stream-end.js';
import type { OptionValue } from './kernel/socket-options.js';
import { EVENT_READ, EVENT_WRITE, type ReadinessListener, type Selectable } from '../reactor/selectable.js';
import { AwaitableCalls, checkedTimeout, retry } from './socket/awaitables.js';
import { SocketCore } from './socket/core.js';
import { rulesFor } from './socket/families.js';
import { linkPair } from './socket/peer-link.js';
import { adoptConnection } from './socket/tcp.js';
import { socketRepr } from './socket/repr.js';

export type { SocketData } from './bytes-like.js';
export type { LingerValue } from './kernel/socket-options.js';

/** Python's default for `listen()` without an argument: min(SOMAXCONN, 128). */
const DEFAULT_BACKLOG = 128;
const EMPTY = Buffer.alloc(0);

/** The core the next Socket is made around (accept, pair): set just before `new Socket`, taken by it. */
let adopting: SocketCore | undefined;

/**
 * Python's `socket.socket` after `setblocking(False)`, with Linux's semantics: TCP over IPv4 or IPv6,
 * or a Unix stream socket. Every method is synchronous and never blocks; one that would block throws
 * BlockingIOError (`EAGAIN`, or `EINPROGRESS` for a TCP connect); on a closed socket the system
 * calls throw OSError `EBADF` (except `recv(0)`, which returns an empty Buffer, as CPython's). The
 * awaitable forms (`sendall`, `recvAsync`, `acceptAsync`, `connectAsync`) wait, bounded by
 * `settimeout`. Watch it with select(), a Selector or a Reactor. Create one with `socket()`.
 * `F`, the family, types the addresses: `socket(AF_INET).getsockname()[1]` is a port, no cast.
 */
export class Socket<F extends AddressFamily = AddressFamily> implements Selectable {
  /** AF_INET, AF_INET6 or AF_UNIX, as created. */
  readonly family: F;
  /** Always SOCK_STREAM. */
  readonly type = SOCK_STREAM;
  readonly #core: SocketCore;
  readonly #calls = new AwaitableCalls(this);

  constructor(family: F = AF_INET as F, type: number = SOCK_STREAM) {
    const core = adopting ?? newCore(family, type);
    adopting = undefined;
    this.family = core.family as F;
    this.#core = core;
    core.facade = this;
  }

  /** socketpair(): a connected in-memory AF_UNIX pair. */
  static pair(): [Socket<typeof AF_UNIX>, Socket<typeof AF_UNIX>] {
    const a = new Socket(AF_UNIX);
    const b = new Socket(AF_UNIX);
    linkPair(a.#core, b.#core);
    return [a, b];
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
    adoptConnection(adopted.#core, connection);
    return adopted;
  }

  static #around(core: SocketCore): Socket {
    adopting = core;
    return new Socket(core.family);
  }

  // ---- Selectable ------------------------------------------------------------------------------

  fileno(): number {
    return this.#core.fd;
  }

  readiness(): number {
    return this.#core.readiness();
  }

  watch(listener: ReadinessListener): void {
    this.#core.watch(listener);
  }

  unwatch(listener: ReadinessListener): void {
    this.#core.unwatch(listener);
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
    const core = this.#open('bind');
    if (core.local !== null || core.conn !== 'none' || core.listening !== null) throw socketError('EINVAL', 'bind');
    core.rules.bind(core, address);
  }

  /**
   * Starts accepting connections, at most `backlog` waiting to be accepted (default 128, as Python's
   * min(SOMAXCONN, 128)); calling it again on a listener changes the backlog. An unbound TCP socket
   * is bound to a free port on the any-address first. Throws OSError `EINVAL` if connected or (AF_UNIX)
   * unbound, `EADDRINUSE` if the bind table refuses the address to a listener (see SO_REUSEADDR).
   */
  listen(backlog: number = DEFAULT_BACKLOG): void {
    const core = this.#open('listen');
    if (core.listening !== null) {
      core.listening.queue.backlog = backlog;
      return;
    }
    if (core.conn !== 'none' || core.bsd !== 'unconnected') throw socketError('EINVAL', 'listen');
    core.rules.listen(core, backlog);
  }

  /**
   * Takes the oldest waiting connection: a new connected socket (with the listener's buffer sizes,
   * TCP_NODELAY and SO_KEEPALIVE) and the peer's address. Throws BlockingIOError `EAGAIN` when none
   * is waiting, OSError `EINVAL` if the socket is not listening.
   */
  accept(): [Socket<F>, AddressOf<F>] {
    const accepted = this.tryAccept();
    if (accepted === null) throw new BlockingIOError('EAGAIN', undefined, 'accept');
    return accepted;
  }

  /**
   * accept() for hot loops: null instead of BlockingIOError when no connection is waiting (an
   * accept loop ends that way every time, and an exception per readiness costs more than the accept).
   * Every other outcome is as accept(), EMFILE included.
   */
  tryAccept(): [Socket<F>, AddressOf<F>] | null {
    const listening = this.#open('accept').listening;
    if (listening === null) throw socketError('EINVAL', 'accept');
    const taken = listening.take();
    return taken === null ? null : [Socket.#around(taken[0]) as Socket<F>, taken[1] as AddressOf<F>];
  }

  /**
   * Puts `wrap(connection)` between this socket and its node:net connection, keeping every other
   * state: listenTLS and connectTLS put a tls.TLSSocket there, which then runs on the libuv handle
   * itself, and `toError` names its failures. Only for a connected TCP or Unix socket that has
   * received nothing yet (bytes already read could not reach the wrapper).
   */
  wrapConnection(wrap: (connection: net.Socket) => net.Socket, toError: (error: Error) => OSError): void {
    const core = this.#core;
    const stream = core.stream;
    if (!(stream instanceof NodeStreamEnd) || core.conn !== 'established' || !core.rq.isEmpty || stream.undeliveredBytes > 0) {
      throw new ValueError('Cannot wrap the connection of a socket that is not connected or has received data');
    }
    core.stream = stream.wrapped(wrap, core, toError);
    if (core.isReadPaused) core.stream.pause();
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
    const core = this.#open('connect');
    core.rules.connect(core, address);
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

  // ---- data ---------------------------------------------------------------------------------------

  /**
   * Sends what fits in the send buffer and returns that count (possibly fewer bytes than given; 0
   * for empty data); BlockingIOError `EAGAIN` when nothing fits or a TCP connect is still under way.
   * The bytes are copied, so the caller may reuse its buffer. Throws the pending error if there is
   * one, BrokenPipeError `EPIPE` after SHUT_WR or once the stream can no longer carry data, OSError
   * `ENOTCONN` on an unconnected AF_UNIX socket, and TypeError for data that is not bytes-like.
   */
  send(data: SocketData): number {
    const count = this.trySend(data);
    if (count < 0) throw new BlockingIOError('EAGAIN', undefined, 'send');
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
    return this.#open('send').trySend(bytes, isHandedOver);
  }

  /**
   * Holds what send() accepts until uncork(), so that several sends reach the kernel in one
   * system call (Linux's TCP_CORK, node:net's cork). A transport corks around one dispatch.
   */
  cork(): void {
    this.#core.stream?.cork();
  }

  /** Releases what send() accepted since cork() to the kernel, in one write. */
  uncork(): void {
    this.#core.stream?.uncork();
  }

  /**
   * Up to `size` bytes; an empty Buffer is EOF (or `size` 0). BlockingIOError `EAGAIN` when nothing
   * is there yet. After the queued data it throws the pending error once (ConnectionResetError ...).
   * Throws OSError `ENOTCONN` on an unconnected TCP socket or a listener (`EINVAL` on an unconnected
   * AF_UNIX socket, as Linux), ValueError for a negative or non-integer `size`.
   */
  recv(size: number): Buffer {
    const data = this.tryRecv(size);
    if (data === null) throw new BlockingIOError('EAGAIN', undefined, 'recv');
    return data;
  }

  /** recv() for hot loops: null instead of BlockingIOError when nothing has arrived yet. */
  tryRecv(size: number): Buffer | null {
    if (!Number.isInteger(size) || size < 0) throw new ValueError('negative buffersize in recv');
    // CPython's sock_recv returns b'' for size 0 before any system call: in every state, even closed
    // (recv-zero-bytes).
    if (size === 0) return EMPTY;
    return this.#open('recv').tryRecv(size);
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
    const core = this.#open('shutdown');
    if (how !== SHUT_RD && how !== SHUT_WR && how !== SHUT_RDWR) throw socketError('EINVAL', 'shutdown');
    core.shutdown(how !== SHUT_WR, how !== SHUT_RD);
  }

  /**
   * Closes the socket: a FIN after the queued data, or (TCP) an RST if received data was left unread
   * or SO_LINGER is on with l_linger 0; an AF_UNIX peer then sees ECONNRESET for unread data. Never
   * blocks; the fd becomes -1 and later calls throw OSError `EBADF`. Closing again does nothing.
   */
  close(): void {
    this.#core.close();
  }

  // ---- options and names --------------------------------------------------------------------------

  /**
   * An option's value as a number (booleans as 0 or 1): SOL_SOCKET with SO_ERROR (the pending errno,
   * cleared by reading it), SO_ACCEPTCONN, SO_TYPE, SO_RCVBUF, SO_SNDBUF (doubled as Linux reports them),
   * SO_REUSEADDR, SO_KEEPALIVE, SO_LINGER (l_onoff), or IPPROTO_TCP with TCP_NODELAY (TCP only).
   * Throws OSError `ENOPROTOOPT` for any other (`EOPNOTSUPP` for a non-SOL_SOCKET level on AF_UNIX).
   */
  getsockopt(level: number, option: number): number {
    return this.#open('getsockopt').getOption(level, option);
  }

  /**
   * Sets an option: SO_RCVBUF and SO_SNDBUF take an integer byte count (TypeError otherwise);
   * SO_REUSEADDR, SO_KEEPALIVE and TCP_NODELAY a number or boolean; SO_LINGER `[l_onoff, l_linger]`
   * or the packed 8-byte struct linger (OSError `EINVAL` if shorter or a number).
   * Throws OSError `ENOPROTOOPT`
   * for any other option, including the read-only SO_TYPE, SO_ERROR and SO_ACCEPTCONN.
   */
  setsockopt(level: number, option: number, value: OptionValue): void {
    this.#open('setsockopt').setOption(level, option, value);
  }

  /**
   * The local address: as bound, or the one the kernel picked for a connect; the unnamed address
   * (`['0.0.0.0', 0]`, `['::', 0, 0, 0]`, `''`) before either.
   */
  getsockname(): AddressOf<F> {
    return this.#open('getsockname').localName() as AddressOf<F>;
  }

  /** The peer's address; OSError `ENOTCONN` unless connected (so also while connecting and after the connection ended). */
  getpeername(): AddressOf<F> {
    const core = this.#open('getpeername');
    if (core.listening !== null || core.conn !== 'established' || core.remote === null) throw socketError('ENOTCONN', 'getpeername');
    return core.remote as AddressOf<F>;
  }

  /** `false` is Python's non-blocking mode (timeout 0); `true` waits forever (timeout null). */
  setblocking(flag: boolean): void {
    this.#open('setblocking');
    this.#calls.timeout = flag ? null : 0;
  }

  /**
   * The timeout of the awaitable calls, in seconds; null (the default) waits forever, 0 fails at once
   * with BlockingIOError, and a positive value fails with TimeoutError (no errno, `timed out`, as
   * Python's socket.timeout) once it passes, however long it is. The synchronous calls never wait
   * whatever it is. ValueError for a negative or non-finite value.
   */
  settimeout(seconds: number | null): void {
    const checked = checkedTimeout(seconds);
    this.#open('settimeout');
    this.#calls.timeout = checked;
  }

  /** The timeout set by settimeout() or setblocking(), in seconds (null: none). */
  gettimeout(): number | null {
    return this.#calls.timeout;
  }

  // ---- the awaitable forms of the blocking calls ---------------------------------------------------

  /** Resolves once every byte was accepted by the send buffer (the timeout bounds the whole call). */
  sendall(data: SocketData, options?: WaitOptions): Promise<void> {
    return this.#calls.sendall(data, options);
  }

  /**
   * Python's blocking send(): waits only until something fits, sends what fits and resolves with
   * that count (maybe fewer than given; 0 for empty data). The timeout bounds the wait.
   */
  sendAsync(data: SocketData, options?: WaitOptions): Promise<number> {
    return this.#calls.sendAsync(data, options);
  }

  /** recv() that waits for data, EOF or an error. */
  recvAsync(size: number, options?: WaitOptions): Promise<Buffer> {
    return this.#calls.recvAsync(size, options);
  }

  /** accept() that waits for a connection. */
  acceptAsync(options?: WaitOptions): Promise<[Socket<F>, AddressOf<F>]> {
    return this.#calls.wait('accept', EVENT_READ, options, () => {
      try {
        return this.accept();
      } catch (error) {
        // A blocking accept on a Unix listener that shut down reading, with nothing queued, fails
        // with EINVAL (unix_accept); it is readable, so waiting would never end (unix-listener-shut-rd).
        if (error instanceof BlockingIOError && this.#calls.timeout !== 0 && this.#core.shutRd) throw socketError('EINVAL', 'accept');
        throw error;
      }
    });
  }

  /** connect() that waits for the outcome: resolves when connected, rejects with the failure. */
  async connectAsync(address: AddressInput, options?: WaitOptions): Promise<void> {
    const call = this.#calls.call('connect', EVENT_WRITE, options);
    try {
      this.connect(address);
      return;
    } catch (error) {
      if (!(error instanceof BlockingIOError) || call.timeout === 0) throw error;
    }
    await retry(this, call, () => this.connect(address));
  }

  /** A buffered file over this socket, as Python's makefile(): writes wait for flush() or a full buffer. */
  makefile(options?: SocketFileOptions): SocketFile {
    return new SocketFile(this, options);
  }

  /** `using s = socket()` closes it at the end of the block, as Python's `with socket.socket() as s`. */
  [Symbol.dispose](): void {
    this.close();
  }

  /** `await using`: close() (which never waits), for a block that disposes asynchronously. */
  [Symbol.asyncDispose](): Promise<void> {
    this.close();
    return Promise.resolve();
  }

  /** Python's repr: `<Socket fd=3, family=AF_INET, type=SOCK_STREAM, proto=0, laddr=('127.0.0.1', 5000)>`. */
  toString(): string {
    const core = this.#core;
    const isOpen = core.fd >= 0;
    const raddr = isOpen && core.listening === null && core.conn === 'established' ? core.remote : null;
    return socketRepr({ fd: core.fd, family: this.family, laddr: isOpen ? core.localName() : null, raddr });
  }

  /** console.log and util.inspect print the repr. */
  [inspect.custom](): string {
    return this.toString();
  }

  /** The core, once `syscall` may run on it: OSError `EBADF` on a closed socket. */
  #open(syscall: string): SocketCore {
    const core = this.#core;
    core.checkOpen(syscall);
    return core;
  }
}

function newCore(family: AddressFamily, type: number): SocketCore {
  const rules = rulesFor(family);
  if (rules === undefined) throw socketError('EAFNOSUPPORT', 'socket');
  if (type !== SOCK_STREAM) throw socketError('EPROTONOSUPPORT', 'socket', 'only SOCK_STREAM sockets are supported');
  return new SocketCore(family, rules);
}
