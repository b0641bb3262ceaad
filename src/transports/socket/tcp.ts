// TCP's rules (IPv4 and IPv6): the bind table, listening on a bound libuv handle, the connect state
// machine (EINPROGRESS, EALREADY, the outcome on the next connect), RST on a close with unread data,
// and TCP_CLOSE once both FINs are done (Linux's inet_stream_ops and tcp_*).
import * as net from 'node:net';
import { lookup } from 'node:dns';
import { type Address, checkHostFamily, formatAddress, ipEndpoint, numericHost } from '../address.js';
import { AF_INET, AF_INET6 } from '../constants.js';
import { BlockingIOError, OSError, ValueError, gaierror, socketError } from '../errors.js';
import * as registry from '../kernel/kernel-registry.js';
import { NodeStreamEnd, unmapIPv4 } from '../kernel/stream-end.js';
import { boundEndpoint, check, newTcpHandle } from '../kernel/uv-handles.js';
import { SocketCore } from './core.js';
import type { ArrivalNames, FamilyRules } from './family.js';
import { Listening } from './listening.js';
import { resetByIncomingData, takeClient } from './peer-link.js';

const EMPTY = Buffer.alloc(0);

/** TCP's rules, one object shared by every TCP socket. */
export const TCP_RULES: FamilyRules = {
  isTcp: true,
  isWritableAfterShutWr: true,
  closesWhenBothFinsDone: true,
  resetsDataToClosedPeer: true,

  bind(core, address) {
    const { host, port } = ipEndpoint(core.family, address);
    checkHostFamily(core.family, host);
    const numeric = numericHost(core.family, host);
    if (numeric === undefined) {
      throw new ValueError(
        `bind() cannot resolve '${host}' without waiting; resolve it first with await getaddrinfo('${host}', ${port})`,
      );
    }
    bindTcpHandle(core, numeric, port);
    core.isPortLocked = port !== 0;
  },

  listen(core, backlog) {
    // listen() after a SHUT_RD stopped listening binds again: a new port if the old one was released.
    if (Array.isArray(core.local)) rebindKeptAddress(core);
    else TCP_RULES.bind(core, core.family === AF_INET6 ? ['::', 0] : ['0.0.0.0', 0]);
    // Linux checks the bind table again for a listener: a socket sharing the address refuses it
    // unless both set SO_REUSEADDR and that one does not listen (tcp-bind-address-in-use).
    const local = core.local;
    const handle = core.tcpHandle;
    if (handle === null || !Array.isArray(local)) throw socketError('EINVAL', 'listen');
    if (registry.tcpBindConflict(tcpBinding(core, local[0], local[1]))) throw socketError('EADDRINUSE', 'listen');
    const listening = new Listening(core, backlog);
    core.tcpHandle = null;
    // The kernel's own queue stays deep: node:net accepts at once and the emulated queue applies the
    // backlog, so that a full queue can be held per client as Linux does.
    listening.server.listen(handle, 4096);
    registry.addTcpListener(local[0], local[1], core);
    core.listening = listening;
  },

  connect(core, address) {
    if (core.listening !== null || core.bsd === 'connected') throw socketError('EISCONN', 'connect');
    if (core.bsd === 'connecting') {
      if (core.conn === 'connecting') throw socketError('EALREADY', 'connect');
      if (core.conn === 'established') {
        core.bsd = 'connected';
        return;
      }
      // The attempt failed: report its error once and become unconnected again (connect-ex-refused-retry).
      const error = core.takePendingError('connect') ?? socketError('ECONNABORTED', 'connect');
      core.resetToUnconnected();
      throw error;
    }
    const { host, port } = ipEndpoint(core.family, address);
    checkHostFamily(core.family, host);
    core.bsd = 'connecting';
    core.conn = 'connecting';
    const numeric = numericHost(core.family, host);
    if (numeric === undefined) resolveThenConnect(core, host, port);
    else openTcp(core, numeric, port);
    core.notify();
    throw new BlockingIOError('EINPROGRESS', undefined, 'connect');
  },

  nameArrival(listening, connection): ArrivalNames {
    const core = listening.owner;
    const { remoteAddress, remotePort } = connection;
    const hasRemote = remoteAddress !== undefined && remotePort !== undefined;
    const remoteHost = hasRemote ? unmapIPv4(remoteAddress) : '';
    return {
      local: acceptedName(core, connection),
      remote: hasRemote ? TCP_RULES.ipAddress(core, remoteHost, remotePort) : null,
      client: hasRemote ? takeClient(listening.expectedTcp, remoteHost, remotePort) : undefined,
    };
  },

  admit(client) {
    client.isAwaitingAdmission = false;
    if (client.isTcpConnected) establish(client);
  },

  onAdmitted() {},

  onConnect(core) {
    if (core.conn !== 'connecting') return;
    core.isTcpConnected = true;
    if (!core.isAwaitingAdmission) establish(core);
  },

  checkCanSend(core) {
    if (core.listening !== null) throw socketError('EPIPE', 'send');
    const pending = core.takePendingError('send');
    if (pending !== null) throw pending;
    if (core.conn === 'connecting') throw new BlockingIOError('EAGAIN', undefined, 'send');
    if (core.conn !== 'established' || core.shutWr || core.stream === null) throw socketError('EPIPE', 'send');
    return core.stream;
  },

  checkCanRecv(core) {
    if (core.listening !== null) throw socketError('ENOTCONN', 'recv');
  },

  recvEmpty(core) {
    // Linux's order (tcp_recvmsg): a FIN already read means EOF, then a pending error, then shutdown.
    if (core.finReceived) return EMPTY;
    return core.recvAfterQueue();
  },

  acceptsData(core) {
    // Data for a socket that can no longer receive (closed, or shut down reading after its FIN went
    // out) is answered with an RST, as Linux does in FIN_WAIT with RCV_SHUTDOWN (shutdown-rdwr). Without
    // a FIN sent the socket is still ESTABLISHED and the data is delivered
    // (tcp-shutdown-before-connect-sticks [20]-[22]).
    if (core.fd < 0 || (core.shutRd && core.finSent)) {
      resetByIncomingData(core);
      return false;
    }
    return true;
  },

  onError(core, error) {
    if (core.conn === 'connecting') {
      // A listener that closed with this client still queued behind the backlog refuses it.
      core.pendingError = core.isAwaitingAdmission && error.code === 'ECONNRESET' ? socketError('ECONNREFUSED', 'connect') : error;
    } else if (error.code === 'ECONNRESET' || error.code === 'EPIPE') {
      // The errno an RST leaves depends on what it found: EPIPE once the peer's FIN had arrived.
      core.pendingError = socketError(core.finReceived ? 'EPIPE' : 'ECONNRESET', 'recv');
    } else {
      core.pendingError = error;
    }
    core.conn = 'done';
    core.notify();
  },

  shutdownEarly(core, reading, writing) {
    if (core.listening !== null) {
      // Linux sets no shutdown bits on a TCP listener: SHUT_RD stops listening, SHUT_WR does nothing.
      if (reading) core.listening.stop(false);
      return true;
    }
    if (core.conn === 'connecting') {
      // SYN_SENT: Linux disconnects, which also clears the shutdown bits (tcp_disconnect).
      core.stream?.reset();
      core.resetToUnconnected();
      return true;
    }
    if (core.conn !== 'established') {
      // TCP_CLOSE: ENOTCONN, yet inet_shutdown records the bits first: recv then gives b'', and
      // after a connect send raises EPIPE, with no FIN sent (tcp-shutdown-before-connect-sticks).
      if (reading) core.shutRd = true;
      if (writing) core.shutWr = true;
      core.notify();
      throw socketError('ENOTCONN', 'shutdown');
    }
    // inet_shutdown: a socket still SS_CONNECTING whose connection is established becomes
    // SS_CONNECTED, so a later connect() is EISCONN and leaves it as it was (m-own-shut-wr-peer-close-*-connect_ex).
    if (core.bsd === 'connecting') core.bsd = 'connected';
    return false;
  },

  // TCP never tells the peer of a SHUT_RD (shutdown-rd-effects).
  afterShutRead() {},

  onClose(core) {
    registry.releaseTcp(core);
  },

  onQueuedDropped() {},

  onStopListening(core, isClosing) {
    const local = core.local;
    if (!Array.isArray(local)) return;
    registry.removeTcpListener(local[0], local[1], core);
    if (!isClosing) keepBoundPort(core);
  },

  resetToUnconnected(core) {
    // tcp_disconnect clears the shutdown bits: only bits set while unconnected carry into a connect.
    core.shutRd = false;
    core.shutWr = false;
    // The connection consumed our bound handle: keep an explicitly bound port, as Linux does.
    if (core.isPortLocked) keepBoundPort(core);
    else registry.releaseTcp(core);
    if (core.tcpHandle === null) core.local = null;
  },

  ipAddress(core, host, port): Address {
    if (core.family === AF_INET) return formatAddress(core.family, unmapIPv4(host), port);
    // An AF_INET6 socket names an IPv4 peer by its mapped address, as Linux does.
    return formatAddress(core.family, net.isIPv4(host) ? `::ffff:${host}` : host, port);
  },
};

/**
 * The local name of a connection accepted by `listener`. A listener bound to one address (not a
 * wildcard) accepts only on that address and port: its own name, an immutable tuple, serves every
 * connection it accepts, and node:net is not asked (its cached name object and string, and a tuple
 * of our own, cost some 150 bytes per idle connection).
 */
function acceptedName(listener: SocketCore, connection: net.Socket): Address | null {
  const bound = listener.local;
  if (bound !== null && typeof bound !== 'string' && bound[0] !== '0.0.0.0' && bound[0] !== '::') return bound;
  const { localAddress, localPort } = connection;
  return localAddress !== undefined && localPort !== undefined ? TCP_RULES.ipAddress(listener, localAddress, localPort) : bound;
}

/**
 * A connected core over a node:net connection accepted elsewhere (another process's listener,
 * passed over IPC): Python's socket.fromfd. It reads from the start, as an accepted socket does
 * once accept() returned it.
 */
export function adoptConnection(core: SocketCore, connection: net.Socket): void {
  core.conn = 'established';
  core.bsd = 'connected';
  core.isReadPaused = true;
  core.stream = new NodeStreamEnd(connection, core, true, undefined, false);
  core.applyOptions();
  const { localAddress, localPort, remoteAddress, remotePort } = connection;
  if (localAddress !== undefined && localPort !== undefined) core.local = TCP_RULES.ipAddress(core, localAddress, localPort);
  if (remoteAddress !== undefined && remotePort !== undefined) core.remote = TCP_RULES.ipAddress(core, unmapIPv4(remoteAddress), remotePort);
  core.updateReading();
}

function establish(core: SocketCore): void {
  if (core.conn !== 'connecting') return;
  core.conn = 'established';
  core.updateReading();
  core.notify();
}

/** A real bind(2) on a fresh libuv handle, checked against the emulated kernel's bind table. */
function bindTcpHandle(core: SocketCore, numeric: string, port: number): void {
  const handle = newTcpHandle('socket');
  let bound: { host: string; port: number };
  try {
    check(core.family === AF_INET6 ? handle.bind6(numeric, port, 0) : handle.bind(numeric, port), 'bind');
    // libuv defers EADDRINUSE to the next call on the handle: getsockname reports it here.
    bound = boundEndpoint(handle);
  } catch (error) {
    handle.close();
    throw error instanceof OSError ? socketError(error.code, 'bind') : error;
  }
  const binding = tcpBinding(core, bound.host, bound.port);
  // libuv set SO_REUSEADDR on the handle, so the real kernel shares an address that Linux would
  // refuse to a program that did not set it: the bind table decides (tcp-bind-address-in-use [3]).
  if (registry.tcpBindConflict(binding)) {
    handle.close();
    throw socketError('EADDRINUSE', 'bind');
  }
  registry.bindTcp(binding);
  core.tcpHandle = handle;
  core.local = formatAddress(core.family, bound.host, bound.port);
}

function tcpBinding(core: SocketCore, host: string, port: number): registry.TcpBinding {
  return {
    owner: core,
    isV6: core.family === AF_INET6,
    host,
    port,
    reusesAddress: () => core.options.reuseAddr,
    isListening: () => core.listening !== null,
  };
}

/**
 * The listen or connect that used our bound TCP handle is over. Linux keeps a port the program bound
 * (SOCK_BINDPORT_LOCK) and releases one it picked itself (tcp_set_state(TCP_CLOSE) puts the port);
 * the bound address stays either way (tcp-listener-shut-rd [24]).
 */
function keepBoundPort(core: SocketCore): void {
  const local = core.local;
  if (core.isPortLocked && Array.isArray(local)) {
    try {
      bindTcpHandle(core, local[0], local[1]);
      return;
    } catch {
      // Taken meanwhile (by another process): the port is lost.
    }
  }
  registry.releaseTcp(core);
}

/** A fresh handle on the address a stopped listener kept (a new port if Linux released the old one). */
function rebindKeptAddress(core: SocketCore): void {
  const local = core.local;
  if (core.tcpHandle !== null || !Array.isArray(local)) return;
  bindTcpHandle(core, local[0], core.isPortLocked ? local[1] : 0);
}

function resolveThenConnect(core: SocketCore, host: string, port: number): void {
  const fd = core.fd;
  lookup(host, { family: core.family === AF_INET6 ? 6 : 4 }, (error, address) => {
    if (core.fd !== fd || core.conn !== 'connecting') return;
    if (error) core.error(error.code ?? 'ENOTFOUND', new gaierror(error.code ?? 'ENOTFOUND', `getaddrinfo ${host}: ${error.message}`));
    else openTcp(core, address, port);
  });
}

function openTcp(core: SocketCore, host: string, port: number): void {
  if (core.tcpHandle === null && Array.isArray(core.local)) {
    // A listener stopped by SHUT_RD connects from the address it kept (Linux's SOCK_BINDADDR_LOCK).
    try {
      rebindKeptAddress(core);
    } catch {
      registry.releaseTcp(core);
      core.local = null;
    }
  }
  const handle = core.tcpHandle ?? newTcpHandle('socket');
  core.tcpHandle = null;
  // Our own handle, so getsockname() asks the kernel directly (node:net caches the first answer,
  // which before the connect is port 0).
  core.connectHandle = handle;
  // I/O boundary: node:net takes an existing libuv handle (the one bind() reserved) through the
  // undocumented `handle` option, as its own child_process code does; `manualStart` keeps it from
  // reading before the connect completes.
  const options = { allowHalfOpen: true, handle, manualStart: true } as net.SocketConstructorOpts;
  const connection = new net.Socket(options);
  core.stream = new NodeStreamEnd(connection, core, true);
  core.applyOptions();
  core.remote = formatAddress(core.family, host, port);
  const listener = registry.findTcpListener(host, port);
  if (listener instanceof SocketCore && listener.listening !== null) {
    core.isAwaitingAdmission = true;
    listener.listening.expectedTcp.add(core);
  }
  connection.connect({ host, port });
}

