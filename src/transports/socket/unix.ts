// AF_UNIX stream rules: paths in the file system, a connect that succeeds or fails at once, the
// peer's close and shutdown seen at once by an in-process peer, no RST and no TCP_CLOSE (Linux's
// unix_stream_ops). What node:net cannot carry between processes is in docs/semantics.md section 6.
import * as net from 'node:net';
import { existsSync } from 'node:fs';
import { dirname } from 'node:path';
import { unixPath } from '../address.js';
import { BlockingIOError, OSError, socketError } from '../errors.js';
import * as registry from '../kernel/kernel-registry.js';
import { NodeStreamEnd } from '../kernel/stream-end.js';
import { check, newPipeHandle } from '../kernel/uv-handles.js';
import { SocketCore } from './core.js';
import type { FamilyRules } from './family.js';
import { Listening } from './listening.js';
import { onPeerClosed, onPeerShutRead } from './peer-link.js';

/** AF_UNIX's rules, one object shared by every Unix socket. */
export const UNIX_RULES: FamilyRules = {
  isTcp: false,
  isWritableAfterShutWr: false,
  closesWhenBothFinsDone: false,
  resetsDataToClosedPeer: false,

  bind(core, address) {
    const path = unixPath(address);
    if (path === '') throw socketError('EINVAL', 'bind', 'abstract and autobound AF_UNIX addresses are not supported');
    if (existsSync(path)) throw socketError('EADDRINUSE', 'bind');
    const handle = newPipeHandle();
    try {
      check(handle.bind(path), 'bind');
    } catch (error) {
      handle.close();
      // libuv turns ENOENT into EACCES (for Windows' sake); Linux says ENOENT for a missing directory.
      if (error instanceof OSError && error.code === 'EACCES' && !existsSync(dirname(path))) throw socketError('ENOENT', 'bind');
      throw error;
    }
    core.pipeHandle = handle;
    core.local = path;
    registry.bindUnixPath(path, core);
  },

  listen(core, backlog) {
    const path = core.local;
    if (typeof path !== 'string') throw socketError('EINVAL', 'listen');
    const listening = new Listening(core, backlog);
    // libuv can only listen on a handle it bound itself: release our bound handle (which unlinks the
    // path) and let node:net bind it again at once, in the same turn.
    core.pipeHandle?.close();
    core.pipeHandle = null;
    // A deep kernel queue, as for TCP: the emulated AcceptQueue applies the backlog.
    listening.server.listen({ path, backlog: 4096 });
    registry.markUnixListening(path, core);
    core.listening = listening;
  },

  connect(core, address) {
    const path = unixPath(address);
    // A connect to a path nobody here listens on that failed a turn later (docs/semantics.md 6.5):
    // the next connect reports it once, as connect reports a failed TCP attempt.
    const late = core.conn === 'none' ? core.takePendingError('connect') : null;
    if (late !== null) throw late;
    // Linux finds the target before it looks at this socket's own state (unix_stream_connect), so a
    // connected socket gets ENOENT or ECONNREFUSED for a bad target (unix-connect-again [9]-[11]).
    const entry = registry.findUnixPath(path);
    const listener = entry?.owner instanceof SocketCore ? entry.owner : null;
    // Not listening, or listening after SHUT_RD (unix-listener-shut-rd [9]): refused at once.
    if (entry !== undefined && (!entry.listening || (listener !== null && listener.shutRd))) {
      throw socketError('ECONNREFUSED', 'connect');
    }
    const listening = listener === null ? null : listener.listening;
    // unix-backlog-full-eagain: a full queue refuses at once with EAGAIN, and nothing is connected.
    if (listening !== null && !listening.queue.hasRoom) throw new BlockingIOError('EAGAIN', undefined, 'connect');
    if (listening === null && !existsSync(path)) throw socketError('ENOENT', 'connect');
    if (core.listening !== null) throw socketError('EINVAL', 'connect');
    if (core.conn !== 'none') throw socketError('EISCONN', 'connect');
    if (listening !== null) {
      listening.queue.reserve();
      listening.expectedUnix.push(core);
    }
    // A Unix connect succeeds at once (unix-listener-connect); node:net connects in the background,
    // and writes made meanwhile wait in its queue, counted against SO_SNDBUF.
    const connection = new net.Socket({ allowHalfOpen: true });
    core.stream = new NodeStreamEnd(connection, core, false);
    core.conn = 'established';
    core.bsd = 'connected';
    core.remote = path;
    core.isUnixConnectUnconfirmed = listening === null;
    // A bound client keeps its name (unix-bound-client-connect [7]); node:net still connects an unnamed
    // socket, so only in-process peers learn the name (docs/semantics.md 6.3).
    core.local ??= '';
    connection.connect({ path });
    core.notify();
  },

  nameArrival(listening) {
    // In-process Unix clients connected in this order (AF_UNIX arrivals carry no address to match by).
    const client = listening.expectedUnix.shift();
    // Linux refuses a connect to a Unix listener that shut down reading (unix-listener-shut-rd [9]);
    // a client in another process has connected already, so it is dropped instead.
    if (client === undefined && listening.owner.shutRd) return null;
    // The peer's name is the path the client bound, if any (unix-bound-client-connect [10]-[11]).
    const clientPath = client === undefined ? '' : client.local;
    return { local: listening.owner.local, remote: typeof clientPath === 'string' ? clientPath : '', client };
  },

  // A Unix client is connected from its connect() on.
  admit() {},

  onAdmitted(accepted, client) {
    // A send checks whether the peer can receive: not once it closed
    // (unix-client-closed-before-accept [14]) or shut down reading, even before it connected
    // (unix-shutdown-before-connect-sticks [18]).
    if (client.fd < 0 || client.shutRd) accepted.peerCannotReceive = true;
  },

  onConnect(core) {
    core.isUnixConnectUnconfirmed = false;
  },

  checkCanSend(core) {
    if (core.conn !== 'established' || core.stream === null) {
      // The late failure of a connect (docs/semantics.md 6.5) is reported once, by the first call.
      throw core.takePendingError('send') ?? socketError('ENOTCONN', 'send');
    }
    if (core.shutWr || core.peerCannotReceive) throw socketError('EPIPE', 'send');
    return core.stream;
  },

  checkCanRecv(core) {
    if (core.conn !== 'established') {
      // The late failure of a connect (docs/semantics.md 6.5) is reported once, by the first call.
      throw core.takePendingError('recv') ?? socketError('EINVAL', 'recv');
    }
  },

  recvEmpty(core) {
    return core.recvAfterQueue();
  },

  acceptsData(core) {
    return core.fd >= 0 && !core.shutRd;
  },

  onError(core, error) {
    if (core.isUnixConnectUnconfirmed) {
      // The connect itself failed (say ECONNREFUSED from a path another process bound): Linux raises
      // that from connect() and leaves the socket unconnected, so it is unconnected again and can
      // retry; the first connect, recv, send or SO_ERROR reports the error (docs/semantics.md 6.5).
      core.resetToUnconnected();
      core.pendingError = socketError(error.code, 'connect');
      core.notify();
      return;
    }
    core.finReceived = true;
    core.peerCannotReceive = true;
    if (error.code !== 'EPIPE') core.pendingError = error;
    core.notify();
  },

  shutdownEarly() {
    return false;
  },

  afterShutRead(core) {
    // AF_UNIX tells the peer on every call (unix_shutdown). An unconnected Unix socket has no peer to
    // tell: the bits only hold for itself (unix-shutdown-before-connect-sticks).
    if (core.peer !== null) onPeerShutRead(core.peer);
  },

  onClose(core, hadUnread) {
    // A bound client's path too: connect keeps the name (unix-bound-client-connect).
    if (typeof core.local === 'string' && core.local !== '') registry.releaseUnixPath(core.local, core);
    if (core.peer !== null) onPeerClosed(core.peer, hadUnread);
  },

  onQueuedDropped(client) {
    // No RST on the wire: the emulated kernel sets ECONNRESET on an in-process client (unix_release_sock).
    if (client !== undefined) onPeerClosed(client, true);
  },

  onStopListening(core) {
    if (typeof core.local === 'string') registry.releaseUnixPath(core.local, core);
  },

  resetToUnconnected(core) {
    // A connect that failed left the socket as it was: its shutdown bits, and a bound path.
    if (core.pipeHandle === null) core.local = null;
  },

  // Unix sockets have no IP endpoints; a path is its own name.
  ipAddress() {
    return '';
  },
};
