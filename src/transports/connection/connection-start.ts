// The one way a new connection starts (listen and connect, TCP, Unix and TLS, serveConnection,
// socketpair in the conformance suite): prepare the socket (TLS wraps it), build the protocol, give
// it connectionMade. Whatever of these throws costs that connection alone: it is reset, the reactor
// keeps no handler of it, the descriptor is closed, and the failure is reported once; a listener
// goes on accepting. Twisted guards only part of this (a buildProtocol returning None); asyncio logs
// a failing connection_made and leaves the transport open, which is the leak this path closes.
import type { Reactor } from '../../reactor/reactor.js';
import type { Address } from '../address.js';
import type { Factory, Protocol } from '../../contract/index.js';
import type { Socket } from '../socket.js';
import { SocketTransport, type SocketTransportOptions } from '../socket-transport.js';

/** What starting one connection needs; every callback is optional but the factory. */
export interface ConnectionStart {
  readonly reactor: Reactor;
  /** The connected (or accepted) socket; it belongs to the connection from here on. */
  readonly socket: Socket;
  /** Builds the connection's protocol: `buildProtocol(peer)` is called once. */
  readonly factory: Pick<Factory, 'buildProtocol'>;
  /** The address given to buildProtocol: the client's for a listener, the server's for a connect. */
  readonly peer: Address;
  readonly options?: SocketTransportOptions;
  /** Runs on the socket before the protocol is built (listenTLS and connectTLS wrap it for TLS). */
  readonly prepare?: ((socket: Socket) => void) | undefined;
  /** Hears the transport before connectionMade, so that an owner can count it (onEnd uncounts it). */
  readonly onOpen?: (transport: SocketTransport) => void;
  /** Hears when the connection is over, before the protocol's connectionLost (a port's count). */
  readonly onEnd?: (transport: SocketTransport) => void;
  /** Hears why a start failed (factory.connectionFailed, or the endpoint's report). */
  readonly onFailure: (error: Error) => void;
}

/**
 * Starts one connection through the guarded path. Returns its transport: open, or already closed
 * (`isClosing` true) when preparing, buildProtocol or connectionMade threw, in which case the
 * connection was reset and `onFailure` heard the error.
 */
export function startConnection(start: ConnectionStart): SocketTransport {
  const protocol = buildGuarded(start);
  const transport = new SocketTransport(start.socket, protocol, start.reactor, start.options, start.onEnd);
  start.onOpen?.(transport);
  try {
    // start() resets the connection itself when connectionMade throws.
    transport.start();
  } catch (error) {
    start.onFailure(asError(error));
  }
  return transport;
}

/** The protocol, or one whose connectionMade rethrows what preparing or building threw (one path for every failure). */
function buildGuarded(start: ConnectionStart): Protocol {
  try {
    start.prepare?.(start.socket);
    return start.factory.buildProtocol(start.peer);
  } catch (error) {
    return failedStart(asError(error));
  }
}

function failedStart(error: Error): Protocol {
  return {
    connectionMade() {
      throw error;
    },
    dataReceived() {},
    connectionLost() {},
  };
}

function asError(error: unknown): Error {
  return error instanceof Error ? error : new Error(String(error));
}
