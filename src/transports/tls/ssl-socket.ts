// A non-blocking TLS socket as Python's ssl.SSLSocket: node:tls does the cryptography over a
// CiphertextChannel through the wrapped Socket, and this class gives it the socket contract
// (readiness, recv/send, would-block as SSLWantReadError/SSLWantWriteError) so select() drives it.
//
//   phase        | readiness                        | leaves by
//   idle         | the wrapped socket's             | doHandshake(), recv(), send() -> handshaking
//   handshaking  | none                             | 'secure' -> open; failure -> failed
//   open         | READ|WRITE until a call saw it   | close()
//                | READ: a record arrived, EOF      |
//                | WRITE: room in the send buffer   |
// A failure is sticky: every later call throws it, and the socket is READ|WRITE|ERROR ready.
import type * as tls from 'node:tls';
import type { Address } from '../address.js';
import { SHUT_RD, SHUT_RDWR, SHUT_WR, SOL_SOCKET, SO_ERROR, SO_RCVBUF, SO_SNDBUF } from '../constants.js';
import { OSError, ValueError, raisedBy, socketError } from '../errors.js';
import type { Socket } from '../socket.js';
import { type SocketData, bytesOf } from '../bytes-like.js';
import type { OptionValue } from '../kernel/socket-options.js';
import type { StreamSocket } from '../stream-socket.js';
import { EVENT_ERROR, EVENT_READ, EVENT_WRITE, type ReadinessListener } from '../../reactor/selectable.js';
import { ReadinessListeners } from '../../reactor/readiness-listeners.js';
import type { WaitOptions } from '../../reactor/wait-ready.js';
import { AwaitableCalls, checkedTimeout } from '../socket/awaitables.js';
import { bufferView, copyBytes } from '../kernel/copy-bytes.js';
import { CiphertextChannel } from './ciphertext-channel.js';
import { SSLWantReadError, SSLWantWriteError } from './errors.js';
import { type CipherInfo, type PeerCertificate, cipherInfo, peerCertificate, peerCertificateDER } from './peer-info.js';
import { RecordBuffer } from './record-buffer.js';
import { sslErrorFrom } from './ssl-error-map.js';
import type { TLSSettings } from './tls-context.js';
import { type SessionSide, checkSide, endSession, openSession } from './tls-session.js';

/** How TLSContext#wrapSocket wraps a socket: the side, the host name, when the handshake starts. */
export interface WrapSocketOptions extends Partial<SessionSide> {
  /**
   * Start the handshake now (default true), so recv/send raise SSLWantReadError until it is done.
   * With false nothing happens until doHandshake() (or the first recv/send), as the HOWTO loop wants.
   */
  readonly doHandshakeOnConnect?: boolean;
  /** Ciphertext already read from the socket by its earlier reader (STARTTLS): given to TLS first. */
  readonly leftover?: Uint8Array;
}

type Phase = 'idle' | 'handshaking' | 'open';
const EMPTY = Buffer.alloc(0);
const NOTHING = -1;

/**
 * Python's `ssl.SSLSocket`, non-blocking: the socket contract (readiness, recv/send, shutdown,
 * close) over a wrapped Socket, with would-block as SSLWantReadError/SSLWantWriteError, so that
 * select(), a Selector or a SocketTransport drives it. Made by TLSContext#wrapSocket.
 */
export class SSLSocket implements StreamSocket {
  readonly #raw: Socket;
  readonly #settings: TLSSettings;
  readonly #side: SessionSide;
  readonly #leftover: Uint8Array | undefined;
  readonly #records = new RecordBuffer();
  readonly #sndbuf: number;
  readonly #rcvbuf: number;
  #fd: number;
  #phase: Phase = 'idle';
  #channel: CiphertextChannel | null = null;
  #session: tls.TLSSocket | null = null;
  #failure: OSError | null = null;
  #hasEOF = false;
  #isShutRd = false;
  #isShutWr = false;
  #isPaused = false;
  /** The handshake finished in the background and no call has seen it: readable, so the loop calls again. */
  #isHandshakeUnseen = false;
  readonly #listeners = new ReadinessListeners();
  readonly #calls: AwaitableCalls;
  readonly #onRawReadiness = (): void => this.#notify();

  constructor(raw: Socket, settings: TLSSettings, options: WrapSocketOptions = {}) {
    this.#side = { serverSide: options.serverSide ?? settings.purpose === 'server', ...(options.serverHostname === undefined ? {} : { serverHostname: options.serverHostname }) };
    checkSide(settings, this.#side);
    this.#raw = raw;
    this.#settings = settings;
    this.#leftover = options.leftover;
    // Python's wrap_socket keeps the socket's timeout.
    this.#calls = new AwaitableCalls(this, raw.gettimeout());
    this.#fd = raw.fileno();
    if (this.#fd < 0) throw socketError('EBADF', 'wrap_socket');
    this.#sndbuf = raw.getsockopt(SOL_SOCKET, SO_SNDBUF);
    this.#rcvbuf = raw.getsockopt(SOL_SOCKET, SO_RCVBUF);
    raw.watch(this.#onRawReadiness);
    if (options.doHandshakeOnConnect ?? true) this.#start();
  }

  /** True on the server side, as Python's `server_side`. */
  get serverSide(): boolean {
    return this.#side.serverSide;
  }

  /** The host name a client verifies and sends as SNI, as Python's `server_hostname`; null if none. */
  get serverHostname(): string | null {
    return this.#side.serverHostname ?? null;
  }

  // ---- Selectable ------------------------------------------------------------------------------

  /** The wrapped socket's descriptor number; -1 once closed. */
  fileno(): number {
    return this.#fd;
  }

  /** EVENT_READ/EVENT_WRITE/EVENT_ERROR as the table at the top of this file gives them per phase. */
  readiness(): number {
    if (this.#fd < 0) return 0;
    if (this.#failure !== null) return EVENT_READ | EVENT_WRITE | EVENT_ERROR;
    switch (this.#phase) {
      case 'idle':
        return this.#raw.readiness() & (EVENT_READ | EVENT_WRITE);
      case 'handshaking':
        return 0;
      case 'open': {
        if (this.#isHandshakeUnseen) return EVENT_READ | EVENT_WRITE;
        const readable = this.#records.arrivedBytes > 0 || this.#hasEOF || this.#isShutRd;
        const writable = this.#isShutWr || this.#sendRoom() > 0;
        return (readable ? EVENT_READ : 0) | (writable ? EVENT_WRITE : 0);
      }
    }
  }

  /** Calls `listener` whenever the readiness may have changed. */
  watch(listener: ReadinessListener): void {
    this.#listeners.add(listener);
  }

  /** Stops calling a listener given to watch(). */
  unwatch(listener: ReadinessListener): void {
    this.#listeners.remove(listener);
  }

  #notify(): void {
    this.#listeners.notify(this);
  }

  // ---- the handshake -----------------------------------------------------------------------------

  /**
   * Runs the handshake: returns once it is done; until then throws SSLWantReadError (or
   * SSLWantWriteError while our handshake bytes wait for room in the socket), and the socket shows
   * READ|WRITE readiness when it is worth calling again. A failed handshake throws its SSLError.
   */
  doHandshake(): void {
    this.#checkOpen('do_handshake');
    if (this.#failure !== null) throw raisedBy(this.#failure, 'do_handshake');
    if (this.#phase === 'open') {
      this.#isHandshakeUnseen = false;
      return;
    }
    if (this.#phase === 'idle') this.#start();
    if (this.#channel?.isWriteBlocked === true) throw new SSLWantWriteError();
    throw new SSLWantReadError();
  }

  /** doHandshake() that waits: resolves once the handshake is done, rejects with its failure. */
  doHandshakeAsync(options?: WaitOptions): Promise<void> {
    return this.#calls.wait('do_handshake', EVENT_READ | EVENT_WRITE, options, () => this.doHandshake());
  }

  #start(): void {
    this.#phase = 'handshaking';
    this.#raw.unwatch(this.#onRawReadiness);
    const channel = new CiphertextChannel(this.#raw, this.#leftover);
    const session = openSession(channel, this.#settings, this.#side);
    this.#channel = channel;
    this.#session = session;
    // The client's 'secureConnect' comes after node:tls checked the certificate; the server's
    // 'secure' after tls-session.ts checked a client certificate.
    session.once(this.#side.serverSide ? 'secure' : 'secureConnect', () => this.#onSecure());
    session.on('data', (record: Buffer) => this.#onRecord(record));
    session.on('end', () => this.#onEnd());
    session.on('error', (error: unknown) => this.#onFailure(error));
    session.on('close', () => this.#onEnd());
  }

  #onSecure(): void {
    if (this.#session === null || this.#session.destroyed || this.#failure !== null) return;
    this.#phase = 'open';
    this.#isHandshakeUnseen = true;
    this.#notify();
  }

  #onRecord(record: Buffer): void {
    if (this.#fd < 0 || this.#isShutRd) return;
    this.#records.add(record);
    // The emulated receive buffer is full: stop node:tls, which stops reading ciphertext, which
    // fills the wrapped socket's buffer, which pauses node:net, so TCP flow control reaches the peer.
    if (this.#records.arrivedBytes >= this.#rcvbuf && !this.#isPaused) {
      this.#isPaused = true;
      this.#session?.pause();
    }
    this.#notify();
  }

  #onEnd(): void {
    if (this.#hasEOF) return;
    this.#hasEOF = true;
    // An end before the handshake finished is the peer leaving mid-handshake: Python's SSLEOFError.
    if (this.#phase !== 'open' && this.#failure === null) this.#failure = sslErrorFrom(Object.assign(new Error('EOF'), { code: 'ECONNRESET' }), false);
    this.#notify();
  }

  #onFailure(error: unknown): void {
    if (this.#failure === null) this.#failure = sslErrorFrom(error, this.#phase === 'open');
    this.#notify();
  }

  // ---- data ----------------------------------------------------------------------------------------

  /** Up to `size` decrypted bytes; an empty Buffer at EOF; SSLWantReadError when none are there yet. */
  recv(size: number): Buffer {
    const data = this.tryRecv(size);
    if (data === null) throw new SSLWantReadError();
    return data;
  }

  /** recv() with null for would-block (for hot loops, as Socket.tryRecv). */
  tryRecv(size: number): Buffer | null {
    if (!Number.isInteger(size) || size < 0) throw new ValueError('negative buffersize in recv');
    if (size === 0) return EMPTY;
    this.#checkOpen('recv');
    this.#isHandshakeUnseen = false;
    if (!this.#records.isEmpty && !this.#isShutRd) return this.#take(size);
    if (this.#failure !== null) throw raisedBy(this.#failure, 'recv');
    // node:tls tells close_notify and a bare FIN apart for no one: both end as b'', as Python's
    // default suppress_ragged_eofs=True returns b'' for both.
    if (this.#hasEOF || this.#isShutRd) return EMPTY;
    if (this.#phase === 'idle') this.#start();
    return null;
  }

  #take(size: number): Buffer {
    const data = this.#records.take(size);
    if (this.#isPaused && this.#records.arrivedBytes < this.#rcvbuf) {
      this.#isPaused = false;
      this.#session?.resume();
    }
    return data;
  }

  /** The decrypted bytes already in the SSL buffer, which recv() returns without readiness showing. */
  pending(): number {
    return this.#records.pending;
  }

  /** Sends what fits in the send buffer; SSLWantReadError during the handshake, SSLWantWriteError when full. */
  send(data: SocketData): number {
    const count = this.trySend(data);
    if (count !== NOTHING) return count;
    throw this.#phase === 'open' ? new SSLWantWriteError() : new SSLWantReadError();
  }

  /** send() with -1 for would-block (for hot loops, as Socket.trySend). */
  trySend(data: SocketData, isHandedOver = false): number {
    const bytes = bytesOf(data, 'send');
    this.#checkOpen('send');
    this.#isHandshakeUnseen = false;
    if (this.#failure !== null) throw raisedBy(this.#failure, 'send');
    if (this.#isShutWr) throw socketError('EPIPE', 'send');
    if (this.#phase === 'idle') this.#start();
    const session = this.#session;
    if (this.#phase !== 'open' || session === null) return NOTHING;
    if (bytes.length === 0) return 0;
    const room = this.#sendRoom();
    if (room <= 0) return NOTHING;
    const count = Math.min(room, bytes.length);
    // Copied unless handed over: the caller may reuse its buffer while node:tls still holds ours.
    session.write(isHandedOver ? bufferView(bytes, count) : copyBytes(bytes, 0, count), () => this.#notify());
    return count;
  }

  /** Resolves once every byte was accepted by the send buffer; settimeout bounds the whole call. */
  sendall(data: SocketData, options?: WaitOptions): Promise<void> {
    return this.#calls.sendall(data, options);
  }

  /** recv() that waits for data, EOF or a failure, bounded by settimeout. */
  recvAsync(size: number, options?: WaitOptions): Promise<Buffer> {
    return this.#calls.recvAsync(size, options);
  }

  /**
   * The timeout of the awaitable calls (sendall, recvAsync, doHandshakeAsync), in seconds, as
   * Socket.settimeout: null waits forever, 0 fails at once with the would-block error, a positive
   * value fails with TimeoutError `timed out` once it passes. Starts as the wrapped socket's.
   */
  settimeout(seconds: number | null): void {
    const checked = checkedTimeout(seconds);
    this.#checkOpen('settimeout');
    this.#calls.timeout = checked;
  }

  /** The timeout set by settimeout() or setblocking(), in seconds (null: none). */
  gettimeout(): number | null {
    return this.#calls.timeout;
  }

  /** `false` is non-blocking (timeout 0); `true` waits forever (timeout null), as Socket.setblocking. */
  setblocking(flag: boolean): void {
    this.#checkOpen('setblocking');
    this.#calls.timeout = flag ? null : 0;
  }

  /** SO_SNDBUF of the wrapped socket bounds the plaintext node:tls holds plus its ciphertext not yet sent. */
  #sendRoom(): number {
    const queued = (this.#session?.writableLength ?? 0) + (this.#channel?.queuedBytes ?? 0);
    return this.#sndbuf - queued;
  }

  /** Holds what send() accepts until uncork(), so that several sends become one TLS record. */
  cork(): void {
    this.#session?.cork();
  }

  /** Encrypts and sends what send() accepted since cork(). */
  uncork(): void {
    this.#session?.uncork();
  }

  // ---- the session -------------------------------------------------------------------------------

  /** The negotiated version ('TLSv1.3'), or null before the handshake. */
  version(): string | null {
    return this.#phase === 'open' ? (this.#session?.getProtocol() ?? null) : null;
  }

  /** Python's cipher(): (name, protocol, secret bits), or null before the handshake. */
  cipher(): CipherInfo | null {
    return this.#phase === 'open' && this.#session !== null ? cipherInfo(this.#session) : null;
  }

  /** Python's selected_alpn_protocol(): the protocol ALPN agreed on, or null (none, or before the handshake). */
  selectedAlpnProtocol(): string | null {
    const protocol = this.#phase === 'open' ? this.#session?.alpnProtocol : undefined;
    return typeof protocol === 'string' ? protocol : null;
  }

  /** The peer's certificate (the DER bytes with `binaryForm`), or null if it sent none. */
  getpeercert(binaryForm?: false): PeerCertificate | null;
  getpeercert(binaryForm: true): Buffer | null;
  getpeercert(binaryForm = false): PeerCertificate | Buffer | null {
    const session = this.#session;
    if (this.#phase !== 'open' || session === null) throw new ValueError('handshake not done yet');
    return binaryForm ? peerCertificateDER(session) : peerCertificate(session);
  }

  // ---- the wrapped socket --------------------------------------------------------------------------

  /** The wrapped socket's local address. */
  getsockname(): Address {
    return this.#raw.getsockname();
  }

  /** The wrapped socket's peer address. */
  getpeername(): Address {
    return this.#raw.getpeername();
  }

  /** The wrapped socket's option; SO_ERROR also reports a TLS failure (its errno). */
  getsockopt(level: number, option: number): number {
    this.#checkOpen('getsockopt');
    if (level === SOL_SOCKET && option === SO_ERROR && this.#failure !== null) return this.#failure.errno ?? 0;
    return this.#raw.getsockopt(level, option);
  }

  /** Sets an option of the wrapped socket. */
  setsockopt(level: number, option: number, value: OptionValue): void {
    this.#checkOpen('setsockopt');
    this.#raw.setsockopt(level, option, value);
  }

  /**
   * SHUT_WR sends close_notify and then a FIN once queued data is out (Python drops TLS and sends a
   * bare FIN; a peer would take that for a truncation attack). The peer's recv() then gives b''
   * and it may still send: TLS 1.3 and node:tls keep the other direction open. SHUT_RD only stops
   * our reading, as on a plain TCP socket.
   */
  shutdown(how: number): void {
    this.#checkOpen('shutdown');
    if (how !== SHUT_RD && how !== SHUT_WR && how !== SHUT_RDWR) throw socketError('EINVAL', 'shutdown');
    if (how !== SHUT_WR) {
      this.#isShutRd = true;
      this.#records.clear();
    }
    if (how !== SHUT_RD && !this.#isShutWr) {
      this.#isShutWr = true;
      if (this.#session !== null) this.#session.end();
      else this.#raw.shutdown(SHUT_WR);
    }
    this.#notify();
  }

  /**
   * Closes: once the handshake is done, close_notify and a FIN follow the data already sent (as
   * node:tls's end(); Python sends no close_notify here), then the wrapped socket closes.
   */
  close(): void {
    if (this.#fd < 0) return;
    this.#fd = -1;
    this.#records.clear();
    this.#raw.unwatch(this.#onRawReadiness);
    const raw = this.#raw;
    const isGraceful = this.#phase === 'open' && this.#failure === null;
    endSession(this.#session, this.#channel, isGraceful, () => raw.close());
    this.#notify();
  }

  #checkOpen(call: string): void {
    if (this.#fd < 0) throw socketError('EBADF', call);
  }
}
