// The sixteen yes/no facts of an emulated socket (SocketCore's), kept as bits of one number behind
// ordinary properties: sixteen boolean fields cost 8 bytes each on a 64-bit node (no pointer
// compression), 128 bytes for every idle connection; one small integer costs 8.

import { BitFlags } from '../kernel/bit-flags.js';

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
export class CoreFlags extends BitFlags {
  constructor() {
    super(IS_ACCEPTED);
  }

  /** One end of a socketpair(). */
  get isPair(): boolean {
    return this.hasFlag(IS_PAIR);
  }
  set isPair(on: boolean) {
    this.setFlag(IS_PAIR, on);
  }
  /** The peer's FIN (or AF_UNIX EOF) arrived. */
  get finReceived(): boolean {
    return this.hasFlag(FIN_RECEIVED);
  }
  set finReceived(on: boolean) {
    this.setFlag(FIN_RECEIVED, on);
  }
  /**
   * The shutdown bits (sk_shutdown). Linux records them even when shutdown() fails with ENOTCONN or
   * the socket is not connected yet, and keeps them across a later connect
   * (tcp-shutdown-before-connect-sticks, unix-shutdown-before-connect-sticks).
   */
  get shutRd(): boolean {
    return this.hasFlag(SHUT_RD);
  }
  set shutRd(on: boolean) {
    this.setFlag(SHUT_RD, on);
  }
  /** SHUT_WR was asked for (the sending half of sk_shutdown, kept like SHUT_RD). */
  get shutWr(): boolean {
    return this.hasFlag(SHUT_WR);
  }
  set shutWr(on: boolean) {
    this.setFlag(SHUT_WR, on);
  }
  /** Our FIN (or AF_UNIX EOF) went to the stream: only a SHUT_WR on a connected socket sends it. */
  get finSent(): boolean {
    return this.hasFlag(FIN_SENT);
  }
  set finSent(on: boolean) {
    this.setFlag(FIN_SENT, on);
  }
  /** AF_UNIX: the peer can no longer receive (it closed or shut down reading): send raises EPIPE. */
  get peerCannotReceive(): boolean {
    return this.hasFlag(PEER_CANNOT_RECEIVE);
  }
  set peerCannotReceive(on: boolean) {
    this.setFlag(PEER_CANNOT_RECEIVE, on);
  }
  /** AF_UNIX over node:net: the peer closed with data unread, so its EOF arrives as ECONNRESET. */
  get isResetOnEOF(): boolean {
    return this.hasFlag(IS_RESET_ON_EOF);
  }
  set isResetOnEOF(on: boolean) {
    this.setFlag(IS_RESET_ON_EOF, on);
  }
  /** node:net is not reading for this socket (its receive buffer is full, or accept() has not taken it yet). */
  get isReadPaused(): boolean {
    return this.hasFlag(IS_READ_PAUSED);
  }
  set isReadPaused(on: boolean) {
    this.setFlag(IS_READ_PAUSED, on);
  }
  /** False while the socket waits in a listener's queue for accept(); true for every other socket. */
  get isAccepted(): boolean {
    return this.hasFlag(IS_ACCEPTED);
  }
  set isAccepted(on: boolean) {
    this.setFlag(IS_ACCEPTED, on);
  }
  /** node:net confirmed the TCP connect (its 'connect' event). */
  get isTcpConnected(): boolean {
    return this.hasFlag(IS_TCP_CONNECTED);
  }
  set isTcpConnected(on: boolean) {
    this.setFlag(IS_TCP_CONNECTED, on);
  }
  /** A TCP connect that a switchboard listener in this process has not admitted to its accept queue yet. */
  get isAwaitingAdmission(): boolean {
    return this.hasFlag(IS_AWAITING_ADMISSION);
  }
  set isAwaitingAdmission(on: boolean) {
    this.setFlag(IS_AWAITING_ADMISSION, on);
  }
  /** A send found no room: the next room that opens makes the socket writable again. */
  get wasSendBufferFull(): boolean {
    return this.hasFlag(WAS_SEND_BUFFER_FULL);
  }
  set wasSendBufferFull(on: boolean) {
    this.setFlag(WAS_SEND_BUFFER_FULL, on);
  }
  /** Data went to an in-process peer that had closed: the connection resets once it is written. */
  get resetWhenWritten(): boolean {
    return this.hasFlag(RESET_WHEN_WRITTEN);
  }
  set resetWhenWritten(on: boolean) {
    this.setFlag(RESET_WHEN_WRITTEN, on);
  }
  /** The bytes meant for a closed in-process peer are out, but its FIN is not read yet: the RST follows it. */
  get isResetDue(): boolean {
    return this.hasFlag(IS_RESET_DUE);
  }
  set isResetDue(on: boolean) {
    this.setFlag(IS_RESET_DUE, on);
  }
  /** TCP: bound to a port the program chose (SOCK_BINDPORT_LOCK): Linux keeps it when a listen or connect ends. */
  get isPortLocked(): boolean {
    return this.hasFlag(IS_PORT_LOCKED);
  }
  set isPortLocked(on: boolean) {
    this.setFlag(IS_PORT_LOCKED, on);
  }
  /** AF_UNIX: connected to a path no switchboard socket listens on, and node:net has not confirmed it yet. */
  get isUnixConnectUnconfirmed(): boolean {
    return this.hasFlag(IS_UNIX_CONNECT_UNCONFIRMED);
  }
  set isUnixConnectUnconfirmed(on: boolean) {
    this.setFlag(IS_UNIX_CONNECT_UNCONFIRMED, on);
  }
}
