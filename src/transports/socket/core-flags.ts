// The sixteen yes/no facts of an emulated socket (SocketCore's), kept as bits of one number behind
// ordinary properties: sixteen boolean fields cost 8 bytes each on a 64-bit node (no pointer
// compression), 128 bytes for every idle connection; one small integer costs 8.

const IS_PAIR = 1 << 0;
const FIN_RECEIVED = 1 << 1;
const SHUT_RD = 1 << 2;
const SHUT_WR = 1 << 3;
const FIN_SENT = 1 << 4;
const PEER_CANNOT_RECEIVE = 1 << 5;
const IS_RESET_ON_EOF = 1 << 6;
const IS_READ_PAUSED = 1 << 7;
const IS_ACCEPTED = 1 << 8;
const IS_TCP_CONNECTED = 1 << 9;
const IS_AWAITING_ADMISSION = 1 << 10;
const WAS_SEND_BUFFER_FULL = 1 << 11;
const RESET_WHEN_WRITTEN = 1 << 12;
const IS_RESET_DUE = 1 << 13;
const IS_PORT_LOCKED = 1 << 14;
const IS_UNIX_CONNECT_UNCONFIRMED = 1 << 15;

/** SocketCore's flags, each a boolean property over one bit; a new socket has only `isAccepted` set. */
export class CoreFlags {
  #bits = IS_ACCEPTED;

  /** One end of a socketpair(). */
  get isPair(): boolean {
    return (this.#bits & IS_PAIR) !== 0;
  }
  set isPair(on: boolean) {
    this.#bits = on ? this.#bits | IS_PAIR : this.#bits & ~IS_PAIR;
  }
  /** The peer's FIN (or AF_UNIX EOF) arrived. */
  get finReceived(): boolean {
    return (this.#bits & FIN_RECEIVED) !== 0;
  }
  set finReceived(on: boolean) {
    this.#bits = on ? this.#bits | FIN_RECEIVED : this.#bits & ~FIN_RECEIVED;
  }
  /**
   * The shutdown bits (sk_shutdown). Linux records them even when shutdown() fails with ENOTCONN or
   * the socket is not connected yet, and keeps them across a later connect
   * (tcp-shutdown-before-connect-sticks, unix-shutdown-before-connect-sticks).
   */
  get shutRd(): boolean {
    return (this.#bits & SHUT_RD) !== 0;
  }
  set shutRd(on: boolean) {
    this.#bits = on ? this.#bits | SHUT_RD : this.#bits & ~SHUT_RD;
  }
  /** SHUT_WR was asked for (the sending half of sk_shutdown, kept like SHUT_RD). */
  get shutWr(): boolean {
    return (this.#bits & SHUT_WR) !== 0;
  }
  set shutWr(on: boolean) {
    this.#bits = on ? this.#bits | SHUT_WR : this.#bits & ~SHUT_WR;
  }
  /** Our FIN (or AF_UNIX EOF) went to the stream: only a SHUT_WR on a connected socket sends it. */
  get finSent(): boolean {
    return (this.#bits & FIN_SENT) !== 0;
  }
  set finSent(on: boolean) {
    this.#bits = on ? this.#bits | FIN_SENT : this.#bits & ~FIN_SENT;
  }
  /** AF_UNIX: the peer can no longer receive (it closed or shut down reading): send raises EPIPE. */
  get peerCannotReceive(): boolean {
    return (this.#bits & PEER_CANNOT_RECEIVE) !== 0;
  }
  set peerCannotReceive(on: boolean) {
    this.#bits = on ? this.#bits | PEER_CANNOT_RECEIVE : this.#bits & ~PEER_CANNOT_RECEIVE;
  }
  /** AF_UNIX over node:net: the peer closed with data unread, so its EOF arrives as ECONNRESET. */
  get isResetOnEOF(): boolean {
    return (this.#bits & IS_RESET_ON_EOF) !== 0;
  }
  set isResetOnEOF(on: boolean) {
    this.#bits = on ? this.#bits | IS_RESET_ON_EOF : this.#bits & ~IS_RESET_ON_EOF;
  }
  /** node:net is not reading for this socket (its receive buffer is full, or accept() has not taken it yet). */
  get isReadPaused(): boolean {
    return (this.#bits & IS_READ_PAUSED) !== 0;
  }
  set isReadPaused(on: boolean) {
    this.#bits = on ? this.#bits | IS_READ_PAUSED : this.#bits & ~IS_READ_PAUSED;
  }
  /** False while the socket waits in a listener's queue for accept(); true for every other socket. */
  get isAccepted(): boolean {
    return (this.#bits & IS_ACCEPTED) !== 0;
  }
  set isAccepted(on: boolean) {
    this.#bits = on ? this.#bits | IS_ACCEPTED : this.#bits & ~IS_ACCEPTED;
  }
  /** node:net confirmed the TCP connect (its 'connect' event). */
  get isTcpConnected(): boolean {
    return (this.#bits & IS_TCP_CONNECTED) !== 0;
  }
  set isTcpConnected(on: boolean) {
    this.#bits = on ? this.#bits | IS_TCP_CONNECTED : this.#bits & ~IS_TCP_CONNECTED;
  }
  /** A TCP connect that a switchboard listener in this process has not admitted to its accept queue yet. */
  get isAwaitingAdmission(): boolean {
    return (this.#bits & IS_AWAITING_ADMISSION) !== 0;
  }
  set isAwaitingAdmission(on: boolean) {
    this.#bits = on ? this.#bits | IS_AWAITING_ADMISSION : this.#bits & ~IS_AWAITING_ADMISSION;
  }
  /** A send found no room: the next room that opens makes the socket writable again. */
  get wasSendBufferFull(): boolean {
    return (this.#bits & WAS_SEND_BUFFER_FULL) !== 0;
  }
  set wasSendBufferFull(on: boolean) {
    this.#bits = on ? this.#bits | WAS_SEND_BUFFER_FULL : this.#bits & ~WAS_SEND_BUFFER_FULL;
  }
  /** Data went to an in-process peer that had closed: the connection resets once it is written. */
  get resetWhenWritten(): boolean {
    return (this.#bits & RESET_WHEN_WRITTEN) !== 0;
  }
  set resetWhenWritten(on: boolean) {
    this.#bits = on ? this.#bits | RESET_WHEN_WRITTEN : this.#bits & ~RESET_WHEN_WRITTEN;
  }
  /** The bytes meant for a closed in-process peer are out, but its FIN is not read yet: the RST follows it. */
  get isResetDue(): boolean {
    return (this.#bits & IS_RESET_DUE) !== 0;
  }
  set isResetDue(on: boolean) {
    this.#bits = on ? this.#bits | IS_RESET_DUE : this.#bits & ~IS_RESET_DUE;
  }
  /** TCP: bound to a port the program chose (SOCK_BINDPORT_LOCK): Linux keeps it when a listen or connect ends. */
  get isPortLocked(): boolean {
    return (this.#bits & IS_PORT_LOCKED) !== 0;
  }
  set isPortLocked(on: boolean) {
    this.#bits = on ? this.#bits | IS_PORT_LOCKED : this.#bits & ~IS_PORT_LOCKED;
  }
  /** AF_UNIX: connected to a path no switchboard socket listens on, and node:net has not confirmed it yet. */
  get isUnixConnectUnconfirmed(): boolean {
    return (this.#bits & IS_UNIX_CONNECT_UNCONFIRMED) !== 0;
  }
  set isUnixConnectUnconfirmed(on: boolean) {
    this.#bits = on ? this.#bits | IS_UNIX_CONNECT_UNCONFIRMED : this.#bits & ~IS_UNIX_CONNECT_UNCONFIRMED;
  }
}
