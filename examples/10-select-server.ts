// The socket HOWTO, "Non-blocking Sockets": an echo server for many clients, driven by select().
//
//     ready_to_read, ready_to_write, in_error = \
//                    select.select(
//                       potential_readers,
//                       potential_writers,
//                       potential_errs,
//                       timeout)
//
// "You pass select three lists: the first contains all sockets that you might want to try reading;
// the second all the sockets you might want to try writing to, and the last (normally left empty)
// those that you want to check for errors." "If you have a "server" socket, put it in the
// potential_readers list. If it comes out in the readable list, your accept will (almost
// certainly) work. If you have created a new socket to connect to someone else, put it in the
// potential_writers list. If it shows up in the writable list, you have a decent chance that it
// has connected."
//
// The lists are camelCase here (potentialReaders, readyToRead...). Every call is non-blocking: send
// takes what fits, recv what is there, and BlockingIOError means "not yet" (readiness is a hint).
// One difference from Linux: Node has no out-of-band data, so the error list reports sockets with an
// error pending (a reset, a refused connect), which is what the HOWTO's "in error" suggests.
// The server echoes each client until it half-closes, then closes it once the echo is flushed; it
// stops reading from a client whose echo is not being read (HIGH_WATER), so its memory stays bounded.
// selectClients is the other half: non-blocking connects, sends and receives for many clients, in
// one select loop too.
//
//     npm run build && node dist/examples/10-select-server.js [clients]
import { pathToFileURL } from 'node:url';
import {
  AF_INET,
  BlockingIOError,
  SHUT_WR,
  SOCK_STREAM,
  SOL_SOCKET,
  SO_ERROR,
  type Address,
  type Socket,
  TimeoutError,
  codeOf,
  errnoOf,
  select,
  socket,
  socketError,
} from '../src/index.js';

/** The HOWTO's "nice long timeout (say a minute)": select wakes on readiness long before. */
export const SELECT_TIMEOUT = 60;
export const RECV_SIZE = 65536;
/** Echo bytes held for one client before the server stops reading from it. */
export const HIGH_WATER = 65536;
/** At most this many accepts each time the server socket comes out readable. */
const ACCEPTS_PER_ROUND = 16;

interface Client {
  readonly sock: Socket;
  /** Echo bytes not yet sent, oldest first. */
  outgoing: Buffer[];
  outgoingBytes: number;
  /** The client half-closed: close once `outgoing` is empty. */
  isEOF: boolean;
}

export interface Dropped {
  /** Where the error showed: in the error list, or raised by recv or send. */
  readonly how: 'in_error' | 'recv' | 'send';
  readonly code: string;
}

export class SelectEchoServer {
  readonly serversocket: Socket;
  readonly address: Address;
  readonly #clients = new Map<Socket, Client>();
  readonly #stopping = new AbortController();
  #waiters: { count: number; resolve: () => void }[] = [];
  accepted = 0;
  /** The most echo bytes ever held for one client (stays within HIGH_WATER + RECV_SIZE). */
  maxOutgoing = 0;
  readonly dropped: Dropped[] = [];
  readonly done: Promise<void>;

  constructor(port = 0) {
    this.serversocket = socket(AF_INET, SOCK_STREAM);
    this.serversocket.bind(['localhost', port]);
    this.serversocket.listen(5);
    this.serversocket.setblocking(false);
    this.address = this.serversocket.getsockname();
    this.done = this.#run();
  }

  get clientCount(): number {
    return this.#clients.size;
  }

  /** Resolves once the server has exactly `count` clients (checked after each select round). */
  whenClientsAre(count: number): Promise<void> {
    if (this.#clients.size === count) return Promise.resolve();
    return new Promise((resolve) => this.#waiters.push({ count, resolve }));
  }

  /** Stops the loop and closes the server socket and every client. */
  async stop(): Promise<void> {
    this.#stopping.abort();
    await this.done;
  }

  async #run(): Promise<void> {
    try {
      while (!this.#stopping.signal.aborted) await this.#round();
    } catch (error) {
      if (!this.#stopping.signal.aborted) throw error;
    } finally {
      for (const sock of this.#clients.keys()) sock.close();
      this.#clients.clear();
      this.serversocket.close();
      this.#wake();
    }
  }

  async #round(): Promise<void> {
    const clients = [...this.#clients.values()];
    const potentialReaders = [this.serversocket, ...clients.filter((c) => !c.isEOF && c.outgoingBytes < HIGH_WATER).map((c) => c.sock)];
    const potentialWriters = clients.filter((c) => c.outgoingBytes > 0).map((c) => c.sock);
    const potentialErrs = clients.map((c) => c.sock);
    const [readyToRead, readyToWrite, inError] = await select(potentialReaders, potentialWriters, potentialErrs, SELECT_TIMEOUT, this.#stopping.signal);
    for (const sock of inError) {
      // Reading SO_ERROR takes the pending error, as getsockopt does on Linux.
      this.#drop(sock, { how: 'in_error', code: codeOf(sock.getsockopt(SOL_SOCKET, SO_ERROR)) });
    }
    for (const sock of readyToRead) {
      if (sock === this.serversocket) this.#acceptSome();
      else this.#readFrom(sock);
    }
    for (const sock of readyToWrite) this.#writeTo(sock);
    this.#wake();
  }

  #acceptSome(): void {
    for (let i = 0; i < ACCEPTS_PER_ROUND; i++) {
      let clientsocket: Socket;
      try {
        [clientsocket] = this.serversocket.accept();
      } catch (error) {
        if (error instanceof BlockingIOError) return; // no one else is waiting
        throw error;
      }
      clientsocket.setblocking(false); // as the HOWTO does; the synchronous calls never block anyway
      this.#clients.set(clientsocket, { sock: clientsocket, outgoing: [], outgoingBytes: 0, isEOF: false });
      this.accepted++;
    }
  }

  #readFrom(sock: Socket): void {
    const client = this.#clients.get(sock);
    if (client === undefined) return; // dropped earlier in this round
    let data: Buffer;
    try {
      data = sock.recv(RECV_SIZE);
    } catch (error) {
      if (error instanceof BlockingIOError) return;
      this.#drop(sock, { how: 'recv', code: errorCode(error) });
      return;
    }
    if (data.length === 0) {
      client.isEOF = true; // the client is done sending: finish the echo, then close
      if (client.outgoingBytes === 0) this.#finish(client);
      return;
    }
    client.outgoing.push(data);
    client.outgoingBytes += data.length;
    this.maxOutgoing = Math.max(this.maxOutgoing, client.outgoingBytes);
  }

  #writeTo(sock: Socket): void {
    const client = this.#clients.get(sock);
    if (client === undefined) return;
    const [head] = client.outgoing;
    if (head === undefined) return;
    let sent: number;
    try {
      sent = sock.send(head); // maybe not all you want to, but *something*
    } catch (error) {
      if (error instanceof BlockingIOError) return;
      this.#drop(sock, { how: 'send', code: errorCode(error) });
      return;
    }
    client.outgoingBytes -= sent;
    if (sent === head.length) client.outgoing.shift();
    else client.outgoing[0] = head.subarray(sent);
    if (client.isEOF && client.outgoingBytes === 0) this.#finish(client);
  }

  #finish(client: Client): void {
    client.sock.shutdown(SHUT_WR);
    client.sock.close();
    this.#clients.delete(client.sock);
  }

  #drop(sock: Socket, reason: Dropped): void {
    if (!this.#clients.delete(sock)) return;
    this.dropped.push(reason);
    sock.close();
  }

  #wake(): void {
    const size = this.#stopping.signal.aborted ? 0 : this.#clients.size;
    const ready = this.#waiters.filter((w) => w.count === size);
    this.#waiters = this.#waiters.filter((w) => w.count !== size);
    for (const w of ready) w.resolve();
  }
}

function errorCode(error: unknown): string {
  if (error instanceof Error && 'code' in error && typeof error.code === 'string') return error.code;
  throw error;
}

interface Conversation {
  readonly sock: Socket;
  phase: 'connecting' | 'sending' | 'receiving' | 'done';
  toSend: Buffer;
  readonly received: Buffer[];
}

/**
 * Many clients in one select loop: each connects without blocking (connect_ex gives EINPROGRESS;
 * writable means connected, and SO_ERROR says whether it worked), sends its message while reading
 * the echo, half-closes, and reads until EOF. Raises TimeoutError after `timeout` s without progress.
 */
export async function selectClients(address: Address, messages: readonly Uint8Array[], timeout = 10): Promise<Buffer[]> {
  const talks: Conversation[] = messages.map((msg) => ({ sock: socket(AF_INET, SOCK_STREAM), phase: 'connecting', toSend: Buffer.from(msg), received: [] }));
  try {
    for (const talk of talks) {
      talk.sock.setblocking(false);
      const rc = talk.sock.connectEx(address);
      if (rc !== 0 && rc !== errnoOf('EINPROGRESS')) throw socketError(codeOf(rc), 'connect');
    }
    // Each round moves at least one conversation on (or the select times out), so this is bounded.
    const maxRounds = 10 * (messages.length + 1) + messages.reduce((n, m) => n + m.length, 0);
    for (let round = 0; round < maxRounds && talks.some((t) => t.phase !== 'done'); round++) {
      const potentialReaders = talks.filter((t) => t.phase === 'sending' || t.phase === 'receiving').map((t) => t.sock);
      const potentialWriters = talks.filter((t) => t.phase === 'connecting' || t.phase === 'sending').map((t) => t.sock);
      const [readyToRead, readyToWrite] = await select(potentialReaders, potentialWriters, [], timeout);
      if (readyToRead.length + readyToWrite.length === 0) throw new TimeoutError('ETIMEDOUT', `No progress in ${timeout} s`);
      for (const talk of talks) {
        if (readyToWrite.includes(talk.sock)) clientWrite(talk);
        if (readyToRead.includes(talk.sock)) clientRead(talk);
      }
    }
    if (talks.some((t) => t.phase !== 'done')) throw new RangeError('Too many select rounds');
    return talks.map((t) => Buffer.concat(t.received));
  } finally {
    for (const talk of talks) talk.sock.close();
  }
}

function clientWrite(talk: Conversation): void {
  if (talk.phase === 'connecting') {
    const err = talk.sock.getsockopt(SOL_SOCKET, SO_ERROR);
    if (err !== 0) throw socketError(codeOf(err), 'connect');
    talk.phase = 'sending';
  }
  if (talk.phase !== 'sending') return;
  if (talk.toSend.length > 0) {
    try {
      talk.toSend = talk.toSend.subarray(talk.sock.send(talk.toSend));
    } catch (error) {
      if (!(error instanceof BlockingIOError)) throw error;
    }
  }
  if (talk.toSend.length === 0) {
    talk.sock.shutdown(SHUT_WR);
    talk.phase = 'receiving';
  }
}

function clientRead(talk: Conversation): void {
  if (talk.phase !== 'sending' && talk.phase !== 'receiving') return;
  let data: Buffer;
  try {
    data = talk.sock.recv(RECV_SIZE);
  } catch (error) {
    if (error instanceof BlockingIOError) return;
    throw error;
  }
  if (data.length > 0) talk.received.push(data);
  else if (talk.phase === 'receiving') talk.phase = 'done';
  else throw socketError('ECONNRESET', 'recv', 'The server closed before the echo was complete');
}

/** `10-select-server.js [clients]`: the server and that many select-driven clients, in one process. */
export async function main(args: readonly string[], print: (line: string) => void = console.log): Promise<boolean> {
  const count = Number(args[0] ?? 20);
  if (!Number.isInteger(count) || count < 1 || count > 500) throw new RangeError(`Not a client count: ${String(args[0])}`);
  const server = new SelectEchoServer();
  try {
    const messages = Array.from({ length: count }, (_, i) => Buffer.alloc(1000 * (i + 1) * (i + 1), `client ${i}|`));
    const echoes = await selectClients(server.address, messages);
    const isIntact = echoes.every((echo, i) => echo.equals(messages[i] ?? Buffer.alloc(0)));
    const total = messages.reduce((n, m) => n + m.length, 0);
    print(`${count} clients sent ${total} bytes through one select() loop; echoes ${isIntact ? 'intact' : 'CORRUPTED'}`);
    await server.whenClientsAre(0);
    print(`server: ${server.accepted} accepted, at most ${server.maxOutgoing} echo bytes held for one client, ${server.dropped.length} dropped`);
    return isIntact;
  } finally {
    await server.stop();
  }
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main(process.argv.slice(2)).catch((error: unknown) => {
    console.error(String(error));
    process.exitCode = 1;
  });
}
