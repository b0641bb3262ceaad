// The byte pipe under a connected Socket: node:net for TCP and Unix sockets, memory for socketpair().
// The Socket plays the kernel (buffers, shutdown, errors); a StreamEnd only moves bytes and reports.
import type { Socket as NetSocket } from 'node:net';
import type { OSError } from '../errors.js';

/** What a StreamEnd reports to the socket that owns it. */
export interface StreamEvents {
  data(chunk: Buffer): void;
  /** The peer shut down writing (FIN). */
  end(): void;
  /** The connection failed or was reset; `code` as Node gives it (`'ECONNRESET'`), `mapped` if a wrapper named it. */
  error(code: string, mapped?: OSError): void;
  /** A connect attempt completed. */
  connect(): void;
  /** Queued bytes were handed to the kernel, so there may be room in the send buffer again. */
  written(): void;
}

/** The byte pipe under a connected Socket: node:net for TCP and Unix, memory for socketpair(). */
export interface StreamEnd {
  /** Bytes accepted by send() that the kernel has not taken yet (the SO_SNDBUF accounting). */
  readonly queuedBytes: number;
  /** Bytes read from the kernel but not yet delivered: unread data, for the reset-on-close rule. */
  readonly undeliveredBytes: number;
  write(chunk: Buffer): void;
  /** Holds writes until uncork(), so that several go to the kernel in one writev. */
  cork(): void;
  uncork(): void;
  /** FIN once the queued bytes are out. */
  end(): void;
  /** FIN once the queued bytes are out, then the descriptor is released. */
  close(): void;
  /** RST now; queued bytes are dropped. */
  reset(): void;
  pause(): void;
  resume(): void;
  setNoDelay(on: boolean): void;
  setKeepAlive(on: boolean): void;
  /** The kernel's local address of the connection, once known. */
  localEndpoint(): { host: string; port: number } | undefined;
}

/** What a wrapping stream (a tls.TLSSocket) changes: who takes RST and options, and how errors read. */
interface Wrapping {
  /** The node:net socket under the wrapper: RST, TCP_NODELAY and addresses go to it. */
  readonly control: NetSocket;
  readonly toError: (error: Error) => OSError;
}

const EVENTS = Symbol('switchboard.streamEvents');
const TO_ERROR = Symbol('switchboard.toError');

/** A node:net socket carrying what the shared listeners below report to. */
interface EventfulSocket extends NetSocket {
  [EVENTS]?: StreamEvents;
  /** A wrapper's naming of its errors (TLS's SSLError classes). */
  [TO_ERROR]?: (error: Error) => OSError;
}

// Shared by every connection (four closures fewer each): node:net calls a listener with the socket as `this`.
function onData(this: EventfulSocket, chunk: Buffer): void {
  this[EVENTS]?.data(chunk);
}

function onEnd(this: EventfulSocket): void {
  this[EVENTS]?.end();
}

function onConnect(this: EventfulSocket): void {
  this[EVENTS]?.connect();
}

// Always listening for 'error': an unhandled one would end the process.
function onError(this: EventfulSocket, error: NodeJS.ErrnoException): void {
  this[EVENTS]?.error(error.code ?? 'ECONNRESET', this[TO_ERROR]?.(error));
}

/** A StreamEnd over a node:net socket, which must have been created with `allowHalfOpen: true`. */
export class NodeStreamEnd implements StreamEnd {
  readonly #socket: NetSocket;
  readonly #control: NetSocket;
  readonly #isTcp: boolean;
  readonly #wrapping: Wrapping | undefined;
  readonly #afterWrite: (error?: Error | null) => void;
  /** cork() calls not yet matched by uncork(). */
  #corks = 0;
  /**
   * The one write made while corked, held here rather than in node:net's corked queue: a dispatch
   * usually writes one reply, and node:net's cork costs an entry object, a fresh queue array and a
   * second pass per write (some 250 bytes of garbage a message). A second write corks node:net.
   */
  #held: Buffer | null = null;

  /**
   * `hearsConnect` false: an accepted (or adopted) connection, which node:net never announces with
   * 'connect'; not listening for it keeps node's listener table of an idle connection smaller.
   */
  constructor(socket: NetSocket, events: StreamEvents, isTcp: boolean, wrapping?: Wrapping, hearsConnect = true) {
    this.#socket = socket;
    this.#control = wrapping?.control ?? socket;
    this.#isTcp = isTcp;
    this.#wrapping = wrapping;
    this.#afterWrite = (error) => {
      if (error == null) events.written();
    };
    const eventful: EventfulSocket = socket;
    eventful[EVENTS] = events;
    if (wrapping !== undefined) eventful[TO_ERROR] = wrapping.toError;
    socket.on('data', onData).on('end', onEnd).on('error', onError);
    if (hearsConnect) socket.on('connect', onConnect);
  }

  #detach(): void {
    const eventful: EventfulSocket = this.#socket;
    eventful.off('data', onData).off('end', onEnd).off('connect', onConnect).off('error', onError);
    delete eventful[EVENTS];
    delete eventful[TO_ERROR];
  }

  /**
   * This connection with `wrap(socket)` between it and the socket's owner (a tls.TLSSocket, which
   * then runs on the libuv handle itself); this StreamEnd stops listening. Only before any byte was read.
   */
  wrapped(wrap: (socket: NetSocket) => NetSocket, events: StreamEvents, toError: (error: Error) => OSError): NodeStreamEnd {
    this.#detach();
    const control = this.#socket;
    return new NodeStreamEnd(wrap(control), events, this.#isTcp, { control, toError });
  }

  get queuedBytes(): number {
    return this.#socket.writableLength + (this.#held?.length ?? 0);
  }

  get undeliveredBytes(): number {
    return this.#socket.readableLength;
  }

  write(chunk: Buffer): void {
    if (this.#socket.destroyed) return;
    if (this.#corks > 0 && !this.#socket.writableCorked) {
      if (this.#held === null) {
        this.#held = chunk;
        return;
      }
      this.#socket.cork();
      this.#release();
    }
    this.#socket.write(chunk, this.#afterWrite);
  }

  cork(): void {
    this.#corks += 1;
  }

  uncork(): void {
    if (this.#corks === 0) return;
    this.#corks -= 1;
    if (this.#corks > 0) return;
    if (this.#socket.writableCorked) this.#socket.uncork();
    else this.#release();
  }

  /** Hands the held write to node:net, ahead of anything written after it. */
  #release(): void {
    const held = this.#held;
    if (held === null) return;
    this.#held = null;
    if (!this.#socket.destroyed) this.#socket.write(held, this.#afterWrite);
  }

  end(): void {
    this.#release();
    if (!this.#socket.destroyed) this.#socket.end();
  }

  close(): void {
    this.#release();
    const socket = this.#socket;
    if (socket.destroyed) return;
    // A wrapper may have its own goodbye to send first (TLS's close_notify, before the FIN).
    if (socket.writableLength === 0 && this.#wrapping === undefined) {
      socket.destroy();
      return;
    }
    socket.once('finish', () => socket.destroy());
    socket.end();
  }

  reset(): void {
    this.#held = null;
    const socket = this.#control;
    if (socket.destroyed) {
      this.#socket.destroy();
      return;
    }
    if (this.#isTcp) socket.resetAndDestroy();
    else socket.destroy();
    this.#socket.destroy();
  }

  pause(): void {
    this.#socket.pause();
  }

  resume(): void {
    this.#socket.resume();
  }

  setNoDelay(on: boolean): void {
    if (this.#isTcp && !this.#control.destroyed) this.#control.setNoDelay(on);
  }

  setKeepAlive(on: boolean): void {
    if (this.#isTcp && !this.#control.destroyed) this.#control.setKeepAlive(on);
  }

  localEndpoint(): { host: string; port: number } | undefined {
    const { localAddress, localPort } = this.#control;
    if (localAddress === undefined || localPort === undefined) return undefined;
    return { host: localAddress, port: localPort };
  }

  /** The peer as node:net saw it (server side), IPv4-mapped IPv6 unwrapped. */
  remoteEndpoint(): { host: string; port: number } | undefined {
    const { remoteAddress, remotePort } = this.#control;
    if (remoteAddress === undefined || remotePort === undefined) return undefined;
    return { host: unmapIPv4(remoteAddress), port: remotePort };
  }
}

/** `::ffff:1.2.3.4` as `1.2.3.4`: node:net reports IPv4 peers of a dual-stack socket that way. */
export function unmapIPv4(host: string): string {
  return host.startsWith('::ffff:') && host.includes('.') ? host.slice(7) : host;
}
