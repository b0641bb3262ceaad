// The listening half of a socket: node:net's server under it, the emulated accept queue (backlog,
// held arrivals), the in-process clients waiting to be matched to their arrivals, and the accept
// failures (EMFILE) kept for accept() to raise.
import * as net from 'node:net';
import { type Address, unnamedAddress } from '../address.js';
import { type OSError, socketError } from '../errors.js';
import { AcceptQueue, type Arrival } from '../kernel/accept-queue.js';
import { descriptorShortage } from '../kernel/descriptor-probe.js';
import { NodeStreamEnd } from '../kernel/stream-end.js';
import { SocketCore } from './core.js';

/** A listening socket's state; `owner` is the listening core. */
export class Listening {
  readonly owner: SocketCore;
  readonly queue: AcceptQueue<SocketCore>;
  readonly server: net.Server;
  /** In-process TCP clients connecting to us, matched to arrivals by their local address. */
  readonly expectedTcp = new Set<SocketCore>();
  /** In-process Unix clients, in connect order (AF_UNIX arrivals carry no address to match by). */
  readonly expectedUnix: SocketCore[] = [];
  /** Connections were lost to EMFILE/ENFILE since the last accept(): the next one that finds the queue empty raises it. */
  acceptError: OSError | undefined;

  constructor(owner: SocketCore, backlog: number) {
    this.owner = owner;
    this.queue = new AcceptQueue<SocketCore>(backlog, {
      admitted: (arrival) => this.#onAdmitted(arrival),
      dropped: (arrival, code) => this.#onDropped(arrival, code),
    });
    this.server = net.createServer({ pauseOnConnect: true, allowHalfOpen: true });
    this.server.on('connection', (connection: net.Socket) => this.#onArrival(connection));
    // After a successful bind, node:net reports only accept failures here: EMFILE when libuv could
    // not shed the load itself (its spare descriptor is gone). Kept for accept(), never thrown here.
    this.server.on('error', (error: NodeJS.ErrnoException) => this.#onAcceptFailed(error.code ?? 'EIO'));
  }

  /**
   * accept(): the oldest waiting connection's core and the peer's address, null when none waits.
   * Linux's accept() fails with EMFILE while the table is full; ours has the queued connections'
   * descriptors in hand already, so those are handed out first and the failure is raised once after.
   */
  take(): [SocketCore, Address] | null {
    const arrival = this.queue.shift();
    if (arrival === undefined) {
      const failed = this.acceptError;
      this.acceptError = undefined;
      if (failed !== undefined) throw failed;
      return null;
    }
    const accepted = arrival.accepted;
    accepted.isAccepted = true;
    accepted.updateReading();
    this.owner.notify();
    return [accepted, accepted.remote ?? unnamedAddress(this.owner.family)];
  }

  /** Stops listening: on close, or (TCP) on SHUT_RD, after which the socket may listen or connect again. */
  stop(isClosing: boolean): void {
    const owner = this.owner;
    owner.listening = null;
    this.server.close();
    owner.rules.onStopListening(owner, isClosing);
    // Linux resets the connections still waiting in the queue of a closed listener. AF_UNIX has no
    // RST on the wire: the emulated kernel sets ECONNRESET on an in-process client (unix_release_sock).
    for (const arrival of this.queue.drain()) {
      arrival.accepted.stream?.reset();
      owner.rules.onQueuedDropped(arrival.client);
    }
  }

  #onArrival(connection: net.Socket): void {
    const owner = this.owner;
    if (owner.listening !== this || owner.fd < 0) {
      connection.destroy();
      return;
    }
    const names = owner.rules.nameArrival(this, connection);
    if (names === null) {
      connection.destroy();
      return;
    }
    const accepted = new SocketCore(owner.family, owner.rules);
    accepted.options.inheritFrom(owner.options);
    accepted.isAccepted = false;
    // pauseOnConnect: node:net does not read an arrival before accept() (its kernel queue holds it).
    accepted.isReadPaused = true;
    accepted.conn = 'established';
    accepted.bsd = 'connected';
    accepted.stream = new NodeStreamEnd(connection, accepted, owner.rules.isTcp, undefined, false);
    accepted.applyOptions();
    accepted.local = names.local;
    accepted.remote = names.remote;
    // An AF_UNIX client of this process was counted against the backlog when it connected.
    this.queue.offer({ accepted, client: names.client }, !owner.rules.isTcp && names.client !== undefined);
    // This arrival may have taken the last descriptor: libuv then closes every later one unseen.
    const shortage = descriptorShortage();
    if (shortage !== undefined) this.#onAcceptFailed(shortage);
  }

  #onAcceptFailed(code: string): void {
    if (this.owner.listening !== this) return;
    const message = code === 'EMFILE' || code === 'ENFILE' ? `Cannot accept: ${code === 'ENFILE' ? 'the system' : 'this process'} has no file descriptor left` : undefined;
    this.acceptError ??= socketError(code, 'accept', message);
    this.owner.notify();
  }

  #onAdmitted(arrival: Arrival<SocketCore>): void {
    const { accepted, client } = arrival;
    if (client !== undefined) {
      // Linked even when the client has closed already: the emulated kernel then knows that the peer
      // is gone (its RST answers our data, an AF_UNIX send fails).
      accepted.peer = client;
      if (client.fd >= 0) {
        client.peer = accepted;
        client.rules.admit(client);
      }
      this.owner.rules.onAdmitted(accepted, client);
    }
    this.owner.notify();
  }

  #onDropped(arrival: Arrival<SocketCore>, code: 'ETIMEDOUT' | 'ECONNRESET'): void {
    arrival.accepted.stream?.reset();
    arrival.client?.error(code, socketError(code, 'connect'));
  }
}
