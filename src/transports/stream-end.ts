// The byte pipe under a connected Socket: node:net for TCP and Unix sockets, memory for socketpair().
// The Socket plays the kernel (buffers, shutdown, errors); a StreamEnd only moves bytes and reports.
import type { Socket as NetSocket } from 'node:net';

/** What a StreamEnd reports to the socket that owns it. */
export interface StreamEvents {
  /** Bytes arrived from the peer. */
  data(chunk: Buffer): void;
  /** The peer shut down writing (FIN). */
  end(): void;
  /** The connection failed or was reset; `code` as Node gives it (`'ECONNRESET'`). */
  error(code: string): void;
  /** A connect attempt completed. */
  connect(): void;
  /** Queued bytes were handed to the kernel, so there may be room in the send buffer again. */
  written(): void;
}

/** The byte pipe under a connected Socket; the Socket plays the kernel around it. */
export interface StreamEnd {
  /** Bytes accepted by send() that the kernel has not taken yet (the SO_SNDBUF accounting). */
  readonly queuedBytes: number;
  /** Bytes read from the kernel but not yet delivered: unread data, for the reset-on-close rule. */
  readonly undeliveredBytes: number;
  /** Queues `chunk` for the peer; the caller hands over a buffer it will not reuse. */
  write(chunk: Buffer): void;
  /** Holds writes until uncork(), so that several go to the kernel in one writev. */
  cork(): void;
  /** Sends what cork() held. */
  uncork(): void;
  /** FIN once the queued bytes are out. */
  end(): void;
  /** FIN once the queued bytes are out, then the descriptor is released. */
  close(): void;
  /** RST now; queued bytes are dropped. */
  reset(): void;
  /** Stops reading from the kernel, so the peer feels flow control (the receive buffer is full). */
  pause(): void;
  /** Starts reading from the kernel again. */
  resume(): void;
  /** TCP_NODELAY on the real socket. */
  setNoDelay(on: boolean): void;
  /** SO_KEEPALIVE on the real socket. */
  setKeepAlive(on: boolean): void;
  /** The kernel's local address of the connection, once known. */
  localEndpoint(): { host: string; port: number } | undefined;
}

const EVENTS = Symbol('switchboard.streamEvents');

/** A node:net socket carrying the events of the StreamEnd over it, for the shared listeners below. */
interface EventfulSocket extends NetSocket {
  [EVENTS]?: StreamEvents;
}

// node:net calls a listener with the socket as `this`.
function onData(this: EventfulSocket, chunk: Buffer): void {
  this[EVENTS]?.data(chunk);
}

function onEnd(this: EventfulSocket): void {
  this[EVENTS]?.end();
}

function onConnect(this: EventfulSocket): void {
  this[EVENTS]?.connect();
}

function onError(this: EventfulSocket, error: NodeJS.ErrnoException): void {
  this[EVENTS]?.error(error.code ?? 'ECONNRESET');
}

/** A StreamEnd over a node:net socket, which must have been created with `allowHalfOpen: true`. */
export class NodeStreamEnd implements StreamEnd {
  readonly #socket: NetSocket;
  readonly #isTcp: boolean;
  readonly #afterWrite: (error?: Error | null) => void;

  constructor(socket: NetSocket, events: StreamEvents, isTcp: boolean) {
    this.#socket = socket;
    this.#isTcp = isTcp;
    this.#afterWrite = (error) => {
      if (error == null) events.written();
    };
    // Shared listeners that find the events on the socket: four closures fewer per connection.
    (socket as EventfulSocket)[EVENTS] = events;
    socket.on('data', onData);
    socket.on('end', onEnd);
    socket.on('connect', onConnect);
    // Always listening for 'error': an unhandled one would end the process.
    socket.on('error', onError);
  }

  get queuedBytes(): number {
    return this.#socket.writableLength;
  }

  get undeliveredBytes(): number {
    return this.#socket.readableLength;
  }

  write(chunk: Buffer): void {
    if (this.#socket.destroyed) return;
    this.#socket.write(chunk, this.#afterWrite);
  }

  cork(): void {
    this.#socket.cork();
  }

  uncork(): void {
    this.#socket.uncork();
  }

  end(): void {
    if (!this.#socket.destroyed) this.#socket.end();
  }

  close(): void {
    const socket = this.#socket;
    if (socket.destroyed) return;
    if (socket.writableLength === 0) {
      socket.destroy();
      return;
    }
    socket.once('finish', () => socket.destroy());
    socket.end();
  }

  reset(): void {
    const socket = this.#socket;
    if (socket.destroyed) return;
    if (this.#isTcp) socket.resetAndDestroy();
    else socket.destroy();
  }

  pause(): void {
    this.#socket.pause();
  }

  resume(): void {
    this.#socket.resume();
  }

  setNoDelay(on: boolean): void {
    if (this.#isTcp && !this.#socket.destroyed) this.#socket.setNoDelay(on);
  }

  setKeepAlive(on: boolean): void {
    if (this.#isTcp && !this.#socket.destroyed) this.#socket.setKeepAlive(on);
  }

  localEndpoint(): { host: string; port: number } | undefined {
    const { localAddress, localPort } = this.#socket;
    if (localAddress === undefined || localPort === undefined) return undefined;
    return { host: localAddress, port: localPort };
  }

  /** The peer as node:net saw it (server side), IPv4-mapped IPv6 unwrapped. */
  remoteEndpoint(): { host: string; port: number } | undefined {
    const { remoteAddress, remotePort } = this.#socket;
    if (remoteAddress === undefined || remotePort === undefined) return undefined;
    return { host: unmapIPv4(remoteAddress), port: remotePort };
  }
}

/** `'::ffff:1.2.3.4'` as `'1.2.3.4'`; any other host unchanged. */
export function unmapIPv4(host: string): string {
  return host.startsWith('::ffff:') && host.includes('.') ? host.slice(7) : host;
}
