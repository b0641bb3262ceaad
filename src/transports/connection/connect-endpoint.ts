// Connecting endpoints: connectTCP and connectUnix start a connection and, once it is made, start
// it through the guarded path; every failure reaches the factory's connectionFailed on a later
// turn, never an unhandled rejection. serveConnection starts one accepted elsewhere.
import type * as net from 'node:net';
import { isIPv6 } from 'node:net';
import type { IOHandler, Reactor } from '../../reactor/reactor.js';
import type { DelayedCall } from '../../reactor/delayed-call.js';
import { addressText } from '../address.js';
import { AF_INET, AF_INET6, AF_UNIX } from '../constants.js';
import { codeOf, socketError } from '../errors.js';
import type { Factory } from '../../contract/index.js';
import { Socket } from '../socket.js';
import type { SocketTransport, SocketTransportOptions } from '../socket-transport.js';
import { startConnection } from './connection-start.js';
import { type ConnectOptions, type Connector, type ListenOptions, type PrepareSocket, reportFailure, tuneConnection } from './endpoint-options.js';

const DEFAULT_CONNECT_TIMEOUT = 30;

class ConnectingHandler implements IOHandler, Connector {
  readonly selectable: Socket;
  readonly #reactor: Reactor;
  readonly #factory: Factory;
  readonly #target: [string, number];
  readonly #options: SocketTransportOptions;
  readonly #timer: DelayedCall;
  readonly #prepare: PrepareSocket | undefined;
  #isDone = false;

  constructor(socket: Socket, target: [string, number], reactor: Reactor, factory: Factory, options: ConnectOptions, prepare?: PrepareSocket) {
    this.selectable = socket;
    this.#prepare = prepare;
    this.#target = target;
    this.#reactor = reactor;
    this.#factory = factory;
    this.#options = options;
    this.#timer = reactor.callLater(options.timeout ?? DEFAULT_CONNECT_TIMEOUT, () =>
      this.#fail(socketError('ETIMEDOUT', 'connect', `Connecting to ${addressText(target)} timed out`)),
    );
    reactor.addWriter(this);
    reactor.addErrorWatcher(this);
  }

  writeReady(): void {
    // The second connect_ex reports the outcome, as the kernel does: 0, or the pending error.
    const rc = this.selectable.connectEx(this.#target);
    if (rc === 0) this.#succeed();
    else if (codeOf(rc) !== 'EALREADY' && codeOf(rc) !== 'EINPROGRESS') this.#fail(socketError(codeOf(rc), 'connect'));
  }

  errorReady(): void {
    this.writeReady();
  }

  handlerFailed(error: unknown): void {
    this.#fail(error instanceof Error ? error : new Error(String(error)));
  }

  stopConnecting(): void {
    this.#fail(socketError('ECANCELED', 'connect', 'Connecting was cancelled'));
  }

  #succeed(): void {
    if (!this.#finish()) return;
    const factory = this.#factory;
    startConnection({
      reactor: this.#reactor,
      socket: this.selectable,
      factory,
      peer: this.selectable.getpeername(),
      options: this.#options,
      prepare: this.#prepare,
      onFailure: (error) => reportFailure(factory, error),
    });
  }

  #fail(reason: Error): void {
    if (!this.#finish()) return;
    this.selectable.close();
    reportFailure(this.#factory, reason);
  }

  #finish(): boolean {
    if (this.#isDone) return false;
    this.#isDone = true;
    if (this.#timer.active()) this.#timer.cancel();
    this.#reactor.removeAll(this);
    return true;
  }
}

/**
 * Starts a TCP connection to `host` (a numeric address or a name, resolved in the background) and
 * `port` (Twisted's `reactor.connectTCP`). On success `factory` builds the protocol and it gets
 * connectionMade(); on failure (refused, unreachable, `options.timeout` seconds passed, default 30)
 * `factory.connectionFailed(reason)` is called instead, on a later turn: it never throws for a
 * connection error. Returns a Connector to give up early.
 */
export function connectTCP(reactor: Reactor, host: string, port: number, factory: Factory, options: ConnectOptions = {}): Connector {
  return connectTCPPrepared(reactor, host, port, factory, options);
}

/** connectTCP with `prepare` run on the socket once connected (for connectTLS; not part of the public surface). */
export function connectTCPPrepared(reactor: Reactor, host: string, port: number, factory: Factory, options: ConnectOptions, prepare?: PrepareSocket): Connector {
  const socket = new Socket(isIPv6(host) ? AF_INET6 : AF_INET);
  tuneConnection(socket, options);
  const rc = socket.connectEx([host, port]);
  if (rc !== 0 && codeOf(rc) !== 'EINPROGRESS') {
    socket.close();
    const reason = socketError(codeOf(rc), 'connect');
    reactor.callSoon(() => reportFailure(factory, reason));
    return { stopConnecting() {} };
  }
  return new ConnectingHandler(socket, [host, port], reactor, factory, options, prepare);
}

/** Connects to a Unix path: the outcome is known at once for a listener in this process. */
export function connectUnix(reactor: Reactor, path: string, factory: Factory, options: SocketTransportOptions = {}): Connector {
  const socket = new Socket(AF_UNIX);
  try {
    socket.connect(path);
  } catch (error) {
    socket.close();
    reactor.callSoon(() => reportFailure(factory, error instanceof Error ? error : new Error(String(error))));
    return { stopConnecting() {} };
  }
  let isStarted = false;
  reactor.callSoon(() => {
    if (isStarted || socket.fileno() < 0) return;
    isStarted = true;
    startConnection({ reactor, socket, factory, peer: path, options, onFailure: (error) => reportFailure(factory, error) });
  });
  return {
    stopConnecting() {
      if (isStarted) return;
      isStarted = true;
      socket.close();
      reportFailure(factory, socketError('ECANCELED', 'connect', 'Connecting was cancelled'));
    },
  };
}


/**
 * Serves one connection accepted elsewhere (a `serve --workers` primary hands each one to a worker
 * over IPC) with a protocol from `factory`, on this process's reactor. If the factory or the
 * protocol's connectionMade throws, the connection is reset, `factory.connectionFailed` hears why,
 * and the transport returned is closed already.
 */
export function serveConnection(reactor: Reactor, connection: net.Socket, factory: Factory, options: ListenOptions = {}, prepare?: PrepareSocket): SocketTransport {
  const socket = Socket.fromConnection(connection);
  tuneConnection(socket, options);
  const peer = socket.getpeername();
  return startConnection({ reactor, socket, factory, peer, options, prepare, onFailure: (error) => reportFailure(factory, error) });
}
