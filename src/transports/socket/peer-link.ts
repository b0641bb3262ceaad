// The in-process peer bookkeeping: when both ends of a connection are switchboard sockets of this
// process, the emulated kernel links them and applies what node:net cannot show: the shared send
// and receive buffer accounting, the RST that answers data sent to a closed peer, AF_UNIX's
// immediate view of the peer's close and shutdown, and which arrival belongs to which client (the
// shared buffer accounting is SocketCore.sendRoom, on the readiness path).
import { socketError } from '../errors.js';
import { PairStreamEnd } from '../kernel/pair-stream-end.js';
import { unmapIPv4 } from '../kernel/stream-end.js';
import type { SocketCore } from './core.js';

/** socketpair(): links two fresh AF_UNIX cores over memory, connected. */
export function linkPair(a: SocketCore, b: SocketCore): void {
  for (const [self, other] of [
    [a, b],
    [b, a],
  ] as const) {
    self.stream = new PairStreamEnd(other, () => other.rq.bytes);
    self.isPair = true;
    self.peer = other;
    self.conn = 'established';
    self.bsd = 'connected';
    self.local = '';
    self.remote = '';
  }
}

/** Data reached a TCP socket that can no longer receive: it answers with an RST, and its peer learns of it. */
export function resetByIncomingData(core: SocketCore): void {
  core.stream?.reset();
  const peer = core.peer;
  if (core.fd >= 0 && core.conn === 'established') {
    core.pendingError = socketError('ECONNRESET', 'recv');
    core.conn = 'done';
    core.notify();
  }
  if (peer !== null) onPeerReset(peer);
}

/** The in-process peer sent an RST that node:net cannot see here (it stopped reading at the FIN). */
function onPeerReset(core: SocketCore): void {
  if (core.fd < 0 || core.conn !== 'established' || !core.finReceived) return;
  core.error('ECONNRESET', socketError('ECONNRESET', 'recv'));
}

/** AF_UNIX: the peer closed, so we can neither read more nor send (socketpair-close-peer). */
export function onPeerClosed(core: SocketCore, hadUnread: boolean): void {
  if (core.fd < 0) return;
  core.peerCannotReceive = true;
  if (core.isPair) {
    core.finReceived = true;
    if (hadUnread) core.pendingError = socketError('ECONNRESET', 'recv');
  } else {
    // Over node:net the peer's last bytes and its FIN may still be on the way: EOF (and the reset
    // for unread data) wait for them; only sending fails at once, as on Linux.
    core.isResetOnEOF = hadUnread;
  }
  core.notify();
}

/** AF_UNIX: the peer shut down reading, so our send raises EPIPE (unix_shutdown tells the peer). */
export function onPeerShutRead(core: SocketCore): void {
  if (core.fd < 0) return;
  core.peerCannotReceive = true;
  core.notify();
}

/** The in-process TCP client whose local address is `host`:`port`, taken from `expected`. */
export function takeClient(expected: Set<SocketCore>, host: string, port: number): SocketCore | undefined {
  for (const client of expected) {
    if (client.fd < 0) {
      expected.delete(client);
      continue;
    }
    const local = client.localName();
    if (Array.isArray(local) && local[1] === port && (local[0] === host || unmapIPv4(local[0]) === host)) {
      expected.delete(client);
      return client;
    }
  }
  return undefined;
}
