// What differs between a TCP and a Unix stream socket, as one table of rules per family (Linux's
// per-family proto_ops: inet_stream_ops and unix_stream_ops). The core asks its rules wherever the
// kernel's behaviour depends on the family; nothing else in the socket tests the family.
import type * as net from 'node:net';
import type { Address, AddressInput } from '../address.js';
import type { OSError } from '../errors.js';
import type { SocketCore } from './core.js';
import type { Listening } from './listening.js';

/** Where a connection that reached a listener came from, as the family names it. */
export interface ArrivalNames {
  readonly local: Address | null;
  readonly remote: Address | null;
  /** The connecting socket when it lives in this process. */
  readonly client: SocketCore | undefined;
}

/** One family's rules: what bind, listen, connect, send, recv, shutdown and close do differently. */
export interface FamilyRules {
  /** True for TCP: the stream carries TCP semantics (RST on unread close, a TCP connect state machine). */
  readonly isTcp: boolean;
  /** bind(): checks and binds `address`. */
  bind(core: SocketCore, address: AddressInput): void;
  /** listen() on a socket that is not listening yet: checks, binds if need be, starts listening. */
  listen(core: SocketCore, backlog: number): void;
  /** connect(): starts (TCP) or makes (Unix) the connection, or throws its outcome. */
  connect(core: SocketCore, address: AddressInput): void;
  /** The names of a connection that reached `listening`; null drops it (a Unix listener after SHUT_RD). */
  nameArrival(listening: Listening, connection: net.Socket): ArrivalNames | null;
  /** The listener took `client` into its queue: a TCP client is now connected. */
  admit(client: SocketCore): void;
  /** After the listener admitted an in-process client: the accepted socket learns what it must of it. */
  onAdmitted(accepted: SocketCore, client: SocketCore): void;
  /** node:net completed a connect. */
  onConnect(core: SocketCore): void;
  /** The stream to send on, or the error send() raises in this state. */
  checkCanSend(core: SocketCore): NonNullable<SocketCore['stream']>;
  /** recv() on a socket with nothing queued: EOF (an empty Buffer), null for would-block, or throws. */
  recvEmpty(core: SocketCore): Buffer | null;
  /** recv() before the queue is looked at: throws in the states the family refuses. */
  checkCanRecv(core: SocketCore): void;
  /** Data arrived: false when the family drops it (and may answer with an RST) instead of queueing. */
  acceptsData(core: SocketCore): boolean;
  /** The stream failed (reset, refused ...): records the error as Linux would. */
  onError(core: SocketCore, error: OSError): void;
  /** shutdown() before the bits are set: true when it is complete already (a TCP listener, a connecting socket). */
  shutdownEarly(core: SocketCore, reading: boolean, writing: boolean): boolean;
  /** After SHUT_RD was recorded. */
  afterShutRead(core: SocketCore): void;
  /** Whether a shut-down writer still reports writable (TCP does, AF_UNIX does not). */
  readonly isWritableAfterShutWr: boolean;
  /** Whether both FINs close the connection (TCP's TIME_WAIT/LAST_ACK end). */
  readonly closesWhenBothFinsDone: boolean;
  /** Whether sending to a closed in-process peer is answered with an RST after its FIN (TCP). */
  readonly resetsDataToClosedPeer: boolean;
  /** close(): the family's part (bindings, the peer's view). */
  onClose(core: SocketCore, hadUnread: boolean): void;
  /** A listener stopped with `accepted` still queued, from `client` if in this process. */
  onQueuedDropped(client: SocketCore | undefined): void;
  /** A listener stopped listening (close, or TCP's SHUT_RD). */
  onStopListening(core: SocketCore, isClosing: boolean): void;
  /** The connection attempt is over: the family's part of becoming unconnected again. */
  resetToUnconnected(core: SocketCore): void;
  /** The address of a kernel endpoint as this socket names it (IPv4 peers of an AF_INET6 socket mapped). */
  ipAddress(core: SocketCore, host: string, port: number): Address;
}
