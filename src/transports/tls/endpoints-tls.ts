// TLS endpoints beside listenTCP/connectTCP: the same factories and protocols, with node:tls's
// TLSWrap put straight on each connection's libuv handle (the fast path: no JavaScript between the
// kernel and OpenSSL). The Socket under the transport keeps its kernel semantics for the plain text.
import type { Reactor } from '../../reactor/reactor.js';
import {
  type ConnectOptions,
  type Connector,
  type ListenOptions,
  type ListeningPort,
  type PrepareSocket,
  connectTCPPrepared,
  listenTCPPrepared,
  serveConnection,
} from '../endpoints.js';
import type { Factory } from '../../contract/index.js';
import type { SocketTransport } from '../socket-transport.js';
import type * as net from 'node:net';
import { TimeoutError, ValueError } from '../errors.js';
import { sslErrorFrom } from './ssl-error-map.js';
import type { TLSContext } from './tls-context.js';
import { checkSide, openSession } from './tls-session.js';

/** listenTCP's options and the server context to serve TLS with. */
export interface ListenTLSOptions extends ListenOptions {
  /** A server context with its certificate chain loaded. */
  readonly context: TLSContext;
  /**
   * Seconds a client has to finish its handshake, on the reactor's clock; past it the connection is
   * closed with TimeoutError (default 120, node:tls's handshakeTimeout). Without it, a client that
   * connects and never says ClientHello holds a descriptor forever, and an answer written meanwhile
   * (HTTP's 408) waits for a handshake that never comes.
   */
  readonly handshakeTimeout?: number;
}

/** node:tls's default handshakeTimeout, in seconds. */
export const DEFAULT_HANDSHAKE_TIMEOUT = 120;

/** connectTCP's options, the client context and the name to verify. */
export interface ConnectTLSOptions extends ConnectOptions {
  /** A client context (createDefaultContext() verifies the server and its host name). */
  readonly context: TLSContext;
  /** The name to verify and send as SNI; default `host`. */
  readonly serverHostname?: string;
  /**
   * Seconds the server has to finish the handshake once TCP is connected, on the reactor's clock;
   * past it the connection ends with TimeoutError as connectionLost's reason (default 120, as the
   * server side). Without it, a server that accepts and never answers the ClientHello holds the
   * client's connection, and whatever its protocol wrote, forever.
   */
  readonly handshakeTimeout?: number;
}

/**
 * listenTCP over TLS. Each protocol's connectionMade comes at once, before the handshake (as
 * Twisted's TLS does); what it writes goes out once the handshake is done. A handshake that fails
 * ends the connection with the SSLError as connectionLost's reason.
 *
 * Half-close: `writeEOF()` sends TLS's close_notify and then a TCP FIN, after the queued data. The
 * peer reads EOF (its eofReceived, or recv() giving b''), and may still send: TLS 1.3 keeps the
 * other direction open, and so does node:tls for TLS 1.2.
 */
export function listenTLS(reactor: Reactor, port: number, factory: Factory, options: ListenTLSOptions): Promise<ListeningPort> {
  // Built now, so a missing certificate fails the listen rather than every connection.
  options.context.secureContext();
  checkSide(options.context, { serverSide: true });
  return listenTCPPrepared(reactor, port, factory, options, serverPreparer(reactor, options));
}

/** connectTCP over TLS; verification failures end the connection with SSLCertVerificationError. */
export function connectTLS(reactor: Reactor, host: string, port: number, factory: Factory, options: ConnectTLSOptions): Connector {
  const side = { serverSide: false, serverHostname: options.serverHostname ?? host };
  checkSide(options.context, side);
  const timeout = handshakeTimeoutOf(options);
  let isHandshakeDone = false;
  const prepare: PrepareSocket = (socket) => {
    socket.wrapConnection(
      (connection) => {
        const session = openSession(connection, options.context, side);
        withHandshakeDeadline(reactor, session, timeout, 'secureConnect', () => (isHandshakeDone = true));
        return session;
      },
      (error) => sslErrorFrom(error, isHandshakeDone),
    );
  };
  return connectTCPPrepared(reactor, host, port, factory, options, prepare);
}

/**
 * Serves one TLS connection accepted elsewhere (`serve --workers` hands the plain node:net
 * connection to a worker, which runs TLS on it): serveConnection over TLS.
 */
export function serveTLSConnection(reactor: Reactor, connection: net.Socket, factory: Factory, options: ListenTLSOptions): SocketTransport {
  return serveConnection(reactor, connection, factory, options, serverPreparer(reactor, options));
}

function serverPreparer(reactor: Reactor, options: ListenTLSOptions): PrepareSocket {
  const { context } = options;
  const timeout = handshakeTimeoutOf(options);
  return (socket) => {
    let isHandshakeDone = false;
    socket.wrapConnection(
      (connection) => {
        const session = openSession(connection, context, { serverSide: true });
        withHandshakeDeadline(reactor, session, timeout, 'secure', () => (isHandshakeDone = true));
        return session;
      },
      (error) => sslErrorFrom(error, isHandshakeDone),
    );
  };
}

/**
 * Ends `session` with TimeoutError unless its handshake finishes (`doneEvent`: 'secure' on the
 * server side, 'secureConnect' on the client) within `timeout` seconds of the reactor's clock.
 */
function withHandshakeDeadline(reactor: Reactor, session: net.Socket, timeout: number, doneEvent: 'secure' | 'secureConnect', onDone: () => void): void {
  const deadline = reactor.callLater(timeout, () => {
    session.destroy(new TimeoutError('ETIMEDOUT', `TLS handshake not finished within ${timeout} s`, 'do_handshake'));
  });
  const settle = (): void => {
    if (deadline.active()) deadline.cancel();
  };
  session.once(doneEvent, () => {
    onDone();
    settle();
  });
  session.once('close', settle);
}

function handshakeTimeoutOf(options: { readonly handshakeTimeout?: number }): number {
  const timeout = options.handshakeTimeout ?? DEFAULT_HANDSHAKE_TIMEOUT;
  if (typeof timeout !== 'number' || !(timeout > 0) || !Number.isFinite(timeout)) {
    throw new ValueError(`handshakeTimeout must be a positive, finite number of seconds, got ${String(timeout)}`);
  }
  return timeout;
}
