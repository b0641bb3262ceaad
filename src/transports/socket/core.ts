// The emulated kernel's socket: its state and the rules both families share, with ordinary members
// so that the listening half, the peer link and the per-family rules (tcp.ts, unix.ts) can work on
// it. Not exported from the package: the Python API over it is ../socket.ts. The state machine
// mirrors the kernel's: BSD socket state (unconnected/connecting/connected) over the connection's
// state (none -> connecting -> established -> done). Each choice cites the scenario in
// test/fixtures/kernel that fixes it; what Node cannot express is listed in docs/semantics.md.
import { type Address, unnamedAddress } from '../address.js';
import { type AddressFamily, SOL_SOCKET, SO_ACCEPTCONN, SO_ERROR } from '../constants.js';
import { type OSError, raisedBy, socketError } from '../errors.js';
import { ReceiveQueue } from '../receive-queue.js';
import { bufferView, copyBytes } from '../kernel/copy-bytes.js';
import type { StreamEnd, StreamEvents } from '../kernel/stream-end.js';
import { type OptionValue, SocketOptions } from '../kernel/socket-options.js';
import type { PipeHandle, TcpHandle } from '../kernel/uv-handles.js';
import { EVENT_ERROR, EVENT_READ, EVENT_WRITE, type ReadinessListener, type Selectable } from '../../reactor/selectable.js';
import { CoreFlags } from './core-flags.js';
import type { FamilyRules } from './family.js';
import type { Listening } from './listening.js';

type ConnState = 'none' | 'connecting' | 'established' | 'done';
type BsdState = 'unconnected' | 'connecting' | 'connected';

const EMPTY = Buffer.alloc(0);
let nextFileno = 3;

/** One socket of the emulated kernel; it hears its stream's events itself (it is their StreamEvents). */
export class SocketCore extends CoreFlags implements StreamEvents {
  readonly family: AddressFamily;
  readonly rules: FamilyRules;
  /** The Python socket over this core, handed to readiness listeners; null until one is made. */
  facade: Selectable | null = null;
  fd = nextFileno++;
  bsd: BsdState = 'unconnected';
  conn: ConnState = 'none';
  listening: Listening | null = null;
  stream: StreamEnd | null = null;
  /** The other end, when it is a switchboard socket in this process (the emulated kernel's link). */
  peer: SocketCore | null = null;
  readonly rq = new ReceiveQueue();
  pendingError: OSError | null = null;
  local: Address | null = null;
  remote: Address | null = null;
  tcpHandle: TcpHandle | null = null;
  connectHandle: TcpHandle | null = null;
  pipeHandle: PipeHandle | null = null;
  /** Totals for the in-process flow-control accounting (peer-link.ts). */
  bytesSent = 0;
  bytesConsumed = 0;
  readonly options: SocketOptions;
  /**
   * Who watch()ed: none, the usual one (held alone: an idle connection saves an array), or several
   * (a copy-on-write array).
   */
  #listeners: ReadinessListener | readonly ReadinessListener[] | null = null;

  constructor(family: AddressFamily, rules: FamilyRules) {
    super();
    this.family = family;
    this.rules = rules;
    this.options = new SocketOptions(rules.isTcp);
  }

  fileno(): number {
    return this.fd;
  }

  // ---- readiness ---------------------------------------------------------------------------------

  readiness(): number {
    if (this.fd < 0) return 0;
    if (this.listening !== null) {
      // A Unix listener after SHUT_RD is readable (RCV_SHUTDOWN), queue or not (unix-listener-shut-rd [11]).
      return this.listening.queue.length > 0 || this.listening.acceptError !== undefined || this.shutRd ? EVENT_READ : 0;
    }
    const error = this.pendingError === null ? 0 : EVENT_ERROR;
    if (this.conn === 'none' || this.conn === 'done') return EVENT_READ | EVENT_WRITE | error;
    if (this.conn === 'connecting') {
      if (error !== 0) return EVENT_READ | EVENT_WRITE | error;
      // tcp_poll reports RCV_SHUTDOWN as readable even in SYN_SENT (a SHUT_RD made before connect).
      return this.shutRd ? EVENT_READ : 0;
    }
    const readable = !this.rq.isEmpty || this.finReceived || this.shutRd || error !== 0;
    const writable = (this.rules.isWritableAfterShutWr && this.shutWr) || error !== 0 || this.sendRoom() > 0;
    return (readable ? EVENT_READ : 0) | (writable ? EVENT_WRITE : 0) | error;
  }

  watch(listener: ReadinessListener): void {
    const listeners = this.#listeners;
    if (listeners === null) this.#listeners = listener;
    else if (typeof listeners === 'function') {
      if (listeners !== listener) this.#listeners = [listeners, listener];
    } else if (!listeners.includes(listener)) this.#listeners = [...listeners, listener];
  }

  unwatch(listener: ReadinessListener): void {
    const listeners = this.#listeners;
    if (listeners === listener) this.#listeners = null;
    else if (listeners !== null && typeof listeners !== 'function' && listeners.includes(listener)) {
      const rest = listeners.filter((l) => l !== listener);
      this.#listeners = rest.length === 1 ? (rest[0] ?? null) : rest;
    }
  }

  notify(): void {
    const facade = this.facade;
    const listeners = this.#listeners;
    if (facade === null || listeners === null) return;
    if (typeof listeners === 'function') {
      listeners(facade);
      return;
    }
    // Copy-on-write array: a listener that unwatches during the loop does not disturb it.
    for (let i = 0; i < listeners.length; i++) listeners[i]?.(facade);
  }

  // ---- what the stream reports (StreamEvents) ----------------------------------------------------

  data(chunk: Buffer): void {
    if (!this.rules.acceptsData(this)) return;
    this.rq.push(chunk);
    this.updateReading();
    this.notify();
  }

  end(): void {
    this.finReceived = true;
    if (this.isResetOnEOF) {
      this.pendingError = socketError('ECONNRESET', 'recv');
      // TCP: the RST closed the connection (TCP_CLOSE): send is EPIPE from now on.
      if (this.rules.isTcp) this.conn = 'done';
    }
    if (this.isResetDue) {
      this.takeResetFromClosedPeer();
      return;
    }
    this.closeIfBothFinsDone();
    this.notify();
  }

  error(code: string, mapped?: OSError): void {
    if (this.fd < 0 || this.conn === 'done' || this.conn === 'none') return;
    this.stream?.reset();
    this.rules.onError(this, mapped ?? socketError(code, 'recv'));
  }

  connect(): void {
    this.rules.onConnect(this);
  }

  written(): void {
    if (this.resetWhenWritten) {
      // The RST comes after the peer's FIN, which may not have been read yet: then it waits for it.
      if (this.finReceived) this.takeResetFromClosedPeer();
      else this.isResetDue = true;
      return;
    }
    this.closeIfBothFinsDone();
    if (this.wasSendBufferFull && this.sendRoom() > 0) {
      this.wasSendBufferFull = false;
      this.notify();
    }
  }

  // ---- sending -------------------------------------------------------------------------------------

  /** send(): the count accepted, or -1 when nothing fits; `bytes` is copied unless handed over. */
  trySend(bytes: Uint8Array, isHandedOver: boolean): number {
    const stream = this.rules.checkCanSend(this);
    // An empty send copies nothing and returns 0 once the state checks passed, even with no room
    // (send-empty-payload [11], [28]).
    if (bytes.length === 0) return 0;
    const room = this.sendRoom();
    if (room <= 0) return -1;
    const count = Math.min(bytes.length, room);
    // Copied unless handed over: a Python caller may reuse its buffer while ours waits in the queue.
    if (!isHandedOver) stream.write(copyBytes(bytes, 0, count));
    else stream.write(bufferView(bytes, count));
    this.bytesSent += count;
    if (this.sendRoom() <= 0) this.wasSendBufferFull = true;
    // peer-close-then-send-epipe: bytes sent to a closed peer are answered with an RST. Node stops
    // reading at the FIN and would not see it, so the emulated kernel applies it for an in-process peer.
    if (this.rules.resetsDataToClosedPeer && this.peer !== null && this.peer.fd < 0) this.resetWhenWritten = true;
    return count;
  }

  sendRoom(): number {
    const stream = this.stream;
    if (stream === null) return 0;
    const peer = this.peer;
    // Both ends in this process: count what the peer's application has not read yet against our
    // send buffer plus its receive buffer, as the kernel does, rather than node:net's queue alone
    // (the real kernel buffers under it are autotuned to megabytes; fill-unwritable-then-drain).
    // Inline here, not in peer-link.ts: readiness() asks it on every select.
    if (peer !== null && !this.isPair && peer.fd >= 0) return this.options.sendCapacity + peer.options.rcvbuf - (this.bytesSent - peer.bytesConsumed);
    return this.options.sendCapacity - stream.queuedBytes;
  }

  /** The closed in-process peer answered our bytes with an RST, after the FIN it had sent. */
  takeResetFromClosedPeer(): void {
    this.resetWhenWritten = false;
    this.isResetDue = false;
    this.error('EPIPE', socketError('EPIPE', 'send'));
  }

  // ---- receiving -----------------------------------------------------------------------------------

  /** recv() with a valid size > 0: the bytes, an empty Buffer at EOF, null for would-block. */
  tryRecv(size: number): Buffer | null {
    this.rules.checkCanRecv(this);
    if (!this.rq.isEmpty) {
      const data = this.rq.take(size);
      this.bytesConsumed += data.length;
      this.updateReading();
      if (this.peer !== null) this.peer.onPeerConsumed();
      return data;
    }
    return this.rules.recvEmpty(this);
  }

  /** What recv() finds once the queue is empty, after the family's own EOF rule. */
  recvAfterQueue(): Buffer | null {
    const pending = this.takePendingError('recv');
    if (pending !== null) throw pending;
    if (this.finReceived || this.shutRd || this.conn === 'done') return EMPTY;
    if (this.conn === 'none') throw socketError('ENOTCONN', 'recv');
    return null;
  }

  /** Pauses node:net while the emulated receive buffer is full (TCP flow control reaches the peer). */
  updateReading(): void {
    const stream = this.stream;
    if (stream === null || this.isPair) return;
    // Full at SO_RCVBUF; reading resumes only once half of it is free again, as Linux reopens a
    // window only when it can grow by a useful amount (receiver-side silly window avoidance): a
    // resume per recv() would cost node:net a read that finds nothing (EAGAIN) each time.
    const limit = this.isReadPaused ? this.options.rcvbuf / 2 : this.options.rcvbuf;
    const shouldPause = !this.isAccepted || this.rq.bytes >= limit;
    if (shouldPause === this.isReadPaused) return;
    this.isReadPaused = shouldPause;
    if (shouldPause) stream.pause();
    else stream.resume();
  }

  /** Our in-process peer read some bytes: with the shared accounting, we may have room again. */
  onPeerConsumed(): void {
    if (this.fd < 0) return;
    if (this.isPair || this.wasSendBufferFull) {
      if (this.sendRoom() > 0) this.wasSendBufferFull = false;
      this.notify();
    }
  }

  /**
   * TCP: once both FINs have gone and our queued bytes are out, Linux's connection is closed
   * (TIME_WAIT or LAST_ACK end in TCP_CLOSE): shutdown and getpeername raise ENOTCONN, and the socket
   * is readable and writable like every finished connection (tcp-both-shut-wr-then-closed [19]-[31]).
   * The last ACK on loopback is handled by the kernel before the next call can look.
   */
  closeIfBothFinsDone(): void {
    if (!this.rules.closesWhenBothFinsDone || this.conn !== 'established' || !this.finSent || !this.finReceived) return;
    if (this.stream === null || this.stream.queuedBytes > 0) return;
    this.conn = 'done';
    this.notify();
  }

  // ---- shutdown and close --------------------------------------------------------------------------

  shutdown(reading: boolean, writing: boolean): void {
    if (this.rules.shutdownEarly(this, reading, writing)) return;
    if (reading) {
      this.shutRd = true;
      this.rules.afterShutRead(this);
    }
    if (writing) {
      this.shutWr = true;
      // The FIN goes out from a connected socket only, however often SHUT_WR was asked for before
      // (tcp-shutdown-before-connect-sticks [24]-[26], tcp-both-shut-wr-then-closed [9], [12]).
      const stream = this.stream;
      if (!this.finSent && stream !== null) {
        this.finSent = true;
        stream.end();
      }
    }
    this.closeIfBothFinsDone();
    this.notify();
  }

  close(): void {
    if (this.fd < 0) return;
    this.fd = -1;
    this.listening?.stop(true);
    this.pipeHandle?.close();
    this.pipeHandle = null;
    this.tcpHandle?.close();
    this.tcpHandle = null;
    const hadUnread = !this.rq.isEmpty || (this.stream?.undeliveredBytes ?? 0) > 0;
    if (this.options.lingerZero || (hadUnread && this.rules.isTcp)) {
      this.stream?.reset();
      // libuv reads an RST that follows data as EOF (tcp_recvmsg checks SOCK_DONE before sk_err),
      // so node:net never shows it; an in-process TCP peer is told here (m-peer-data-reset-*).
      if (this.rules.isTcp && this.peer !== null && this.peer.fd >= 0) this.peer.isResetOnEOF = true;
    } else {
      this.stream?.close();
    }
    this.rq.clear();
    this.rules.onClose(this, hadUnread);
    this.notify();
  }

  /** The connection attempt is over (failed or disconnected): Linux's tcp_disconnect, or AF_UNIX never connected. */
  resetToUnconnected(): void {
    this.bsd = 'unconnected';
    this.conn = 'none';
    this.stream = null;
    this.connectHandle = null;
    this.remote = null;
    this.peer = null;
    this.bytesSent = 0;
    this.bytesConsumed = 0;
    this.finReceived = false;
    this.finSent = false;
    this.peerCannotReceive = false;
    this.isResetOnEOF = false;
    this.resetWhenWritten = false;
    this.isResetDue = false;
    this.isTcpConnected = false;
    this.isAwaitingAdmission = false;
    this.isUnixConnectUnconfirmed = false;
    this.isReadPaused = false;
    this.rq.clear();
    this.rules.resetToUnconnected(this);
  }

  // ---- names, options and errors -------------------------------------------------------------------

  /**
   * getsockname(): as bound, or the one the kernel picked for a connect (learnt once node:net has
   * issued it); the unnamed address before either.
   */
  localName(): Address {
    if (this.local !== null) return this.local;
    const known = this.connectHandle === null ? undefined : knownEndpoint(this.connectHandle);
    if (known === undefined) return unnamedAddress(this.family);
    this.local = this.rules.ipAddress(this, known.host, known.port);
    return this.local;
  }

  // ---- options and errors --------------------------------------------------------------------------

  /** getsockopt: SO_ERROR and SO_ACCEPTCONN read the socket's state; the rest are plain values. */
  getOption(level: number, option: number): number {
    if (level === SOL_SOCKET && option === SO_ERROR) return this.takePendingError('getsockopt')?.errno ?? 0;
    if (level === SOL_SOCKET && option === SO_ACCEPTCONN) return this.listening === null ? 0 : 1;
    return this.options.get(level, option);
  }

  /** setsockopt: stores the value, then lets the part of the socket it changes act on it. */
  setOption(level: number, option: number, value: OptionValue): void {
    switch (this.options.set(level, option, value)) {
      case 'receive-buffer':
        this.updateReading();
        return;
      case 'send-buffer':
        this.notify();
        return;
      case 'stream':
        this.applyOptions();
        return;
      case 'none':
        return;
    }
  }

  applyOptions(): void {
    this.stream?.setNoDelay(this.options.noDelay);
    if (this.options.keepAlive) this.stream?.setKeepAlive(true);
  }

  /** The pending error (SO_ERROR), cleared, as the call `syscall` raises it. */
  takePendingError(syscall: string): OSError | null {
    const error = this.pendingError;
    this.pendingError = null;
    return error === null ? null : raisedBy(error, syscall);
  }

  checkOpen(syscall: string): void {
    if (this.fd < 0) throw socketError('EBADF', syscall);
  }
}

/** The address the kernel gave a connecting handle, once it has one (node:net caches the first answer, port 0). */
function knownEndpoint(handle: TcpHandle): { host: string; port: number } | undefined {
  const out: { address?: string; port?: number } = {};
  if (handle.getsockname(out) !== 0 || out.address === undefined || !out.port) return undefined;
  return { host: out.address, port: out.port };
}
