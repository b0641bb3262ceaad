// What every endpoint shares: the options of listening and connecting, the emulated buffers of the
// connections it makes, and how a failed connection reaches its factory.
import type { Address } from '../address.js';
import { IPPROTO_TCP, SOL_SOCKET, SO_RCVBUF, SO_SNDBUF, TCP_NODELAY } from '../constants.js';
import type { OSError } from '../errors.js';
import type { Factory } from '../../contract/index.js';
import type { Socket } from '../socket.js';
import type { SocketTransportOptions } from '../socket-transport.js';

/**
 * The emulated buffers of a connection made by an endpoint: Linux starts a TCP socket at 16 KiB of
 * send buffer but autotunes it to megabytes under load; a reactor connection starts at 256 KiB, so
 * a stream is not throttled by the emulation (the real kernel buffers still sit underneath).
 */
export const CONNECTION_BUFFER_BYTES = 256 * 1024;

/**
 * Sets a new connection's emulated buffers, and TCP_NODELAY unless `options.noDelay` is false (the
 * Unix endpoints pass false: the option is TCP's).
 */
export function tuneConnection(socket: Socket, options: NoDelayOption): void {
  if (options.noDelay !== false) socket.setsockopt(IPPROTO_TCP, TCP_NODELAY, 1);
  // setsockopt doubles the value as Linux does: half of it gives a buffer of the size named here.
  socket.setsockopt(SOL_SOCKET, SO_SNDBUF, Math.ceil((options.sendBufferBytes ?? CONNECTION_BUFFER_BYTES) / 2));
  socket.setsockopt(SOL_SOCKET, SO_RCVBUF, Math.ceil((options.receiveBufferBytes ?? CONNECTION_BUFFER_BYTES) / 2));
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

/** Tells `factory` that a connection failed (connectionFailed), or stderr if it does not listen. */
export function reportFailure(factory: Factory, reason: Error): void {
  if (factory.connectionFailed !== undefined) factory.connectionFailed(reason);
  else console.error('switchboard: connection failed and the factory has no connectionFailed():', reason);
}

