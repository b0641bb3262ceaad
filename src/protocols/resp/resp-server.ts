// The Redis-protocol server: one RespServerProtocol per connection, over one RespStore shared by
// all of a factory's connections. Commands are answered in order; the replies to one chunk of
// pipelined commands go out in one write. Not a redis: strings only, no persistence; 16 databases,
// transactions, RESP2 and RESP3 (HELLO), as the client libraries use them with their defaults.
//
//   state     reads  runs commands                leaves by
//   open      yes    as they arrive               pauseWriting -> paused; QUIT or protocol error -> closing
//   paused    no     no (they wait, parsed)       resumeWriting -> open, the waiting ones run
//   closing   no     no                           the last reply written, then transport.close()
import type { Factory, Protocol, Transport } from '../../contract/index.js';
import { ClientState } from './client-state.js';
import { type CommandArgs, type CommandContext, type CommandTable, dispatch } from './command.js';
import { CONNECTION_COMMANDS } from './connection-commands.js';
import { DATABASE_COMMANDS } from './database-commands.js';
import { KEYSPACE_COMMANDS } from './keyspace-commands.js';
import { type Reply, encodeError } from './resp-encoder.js';
import { type RespLimits, resolveRespLimits } from './resp-limits.js';
import { type RespCommand, RespParser, RespProtocolError, type RespValue, copyCommand } from './resp-parser.js';
import { SERVER_COMMANDS } from './server-commands.js';
import { RespServerState } from './server-state.js';
import { RespStore, type StoreOptions } from './store.js';
import { STRING_COMMANDS } from './string-commands.js';
import { TRANSACTION_COMMANDS } from './transaction-commands.js';

/** Options of one connection. */
export interface RespServerOptions {
  /** The parser's limits; those left out take DEFAULT_RESP_LIMITS (redis-server's own). */
  readonly limits?: Partial<RespLimits>;
}

/** Options of respFactory: the connections' limits and, unless `store` is given, the store's. */
export interface RespFactoryOptions extends RespServerOptions, StoreOptions {
  /** Database 0; default a new RespStore made with this object's clock and scheduler (as the other 15 are). */
  readonly store?: RespStore;
}

/** A Factory whose connections share one server state: 16 databases. */
export interface RespFactory extends Factory {
  /** Database 0 as it was made (SWAPDB may move it to another index); close() it on shutdown. */
  readonly store: RespStore;
  /** The 16 databases and counters; close() it on shutdown to stop every expiry sweep. */
  readonly server: RespServerState;
}

/** Every command the server knows, keyed by lower-case name. */
export const RESP_COMMANDS: CommandTable = new Map(
  [...STRING_COMMANDS, ...KEYSPACE_COMMANDS, ...DATABASE_COMMANDS, ...TRANSACTION_COMMANDS, ...CONNECTION_COMMANDS, ...SERVER_COMMANDS].map((spec) => [
    spec.name,
    spec,
  ]),
);

/** Replies are batched up to this many bytes per write; a bigger reply is written as it is, uncopied. */
const FLUSH_BYTES = 64 * 1024;

const NO_REPLY = Buffer.alloc(0);
const NESTED_ARGUMENT = encodeError('ERR Protocol error: nested arrays are not valid command arguments');

function isCommandArgs(command: RespCommand): command is CommandArgs {
  // A loop, not every(): this runs once per command.
  for (const arg of command) if (!Buffer.isBuffer(arg)) return false;
  return command.length > 0;
}

/**
 * One client connection. Event order like every Protocol: `connectionMade dataReceived* eofReceived?
 * connectionLost`. A protocol error gets redis's reply (`-ERR Protocol error: ...`) after the replies
 * to the commands before it, then the connection closes, as redis-server does. When the transport's
 * write buffer goes over its high-water mark, reading pauses until it drains (resumeWriting).
 */
export class RespServerProtocol implements Protocol {
  readonly #parser: RespParser;
  readonly #context: CommandContext;
  readonly #client: ClientState;
  #transport: Transport | undefined;
  /** Parsed, not yet run: only non-empty while writing is paused. */
  #queue: (RespCommand | RespProtocolError)[] = [];
  #head = 0;
  #replies: Buffer[] = [];
  #replyBytes = 0;
  #isWritePaused = false;
  #isClosingAfterReply = false;
  #isPeerDone = false;

  /**
   * `server`: the databases it shares with the other connections. Given a RespStore, it is database
   * 0 of a server state made once for that store, which every connection made on it shares.
   */
  constructor(server: RespServerState | RespStore, options: RespServerOptions = {}) {
    const limits = resolveRespLimits(options.limits);
    const state = server instanceof RespStore ? stateOf(server) : server;
    const client = new ClientState(state);
    this.#client = client;
    this.#parser = new RespParser(limits);
    this.#context = {
      get store() {
        return client.store;
      },
      client,
      server: state,
      limits,
      commands: RESP_COMMANDS,
      closeAfterReply: () => {
        this.#isClosingAfterReply = true;
      },
    };
  }

  connectionMade(transport: Transport): void {
    this.#transport = transport;
    this.#client.connected();
  }

  /** The bytes held for this connection: the parser's, commands waiting behind backpressure, unsent replies. */
  get bufferedBytes(): number {
    const waiting = this.#queue.slice(this.#head).reduce((n, item) => n + (item instanceof RespProtocolError ? 0 : valueBytes(item)), 0);
    return this.#parser.bufferedBytes + waiting + this.#replyBytes;
  }

  dataReceived(data: Uint8Array): void {
    if (this.#transport === undefined || this.#isClosingAfterReply) return;
    try {
      this.#parser.feed(data, (command) => this.#queue.push(command));
    } catch (error) {
      if (!(error instanceof RespProtocolError)) throw error;
      this.#queue.push(error);
    }
    this.#drain();
    // Commands waiting behind backpressure outlive `data`, which the parser's may be views of.
    if (this.#head < this.#queue.length) this.#queue = this.#queue.slice(this.#head).map((item) => (item instanceof RespProtocolError ? item : copyCommand(item)));
    this.#head = 0;
  }

  eofReceived(): boolean {
    this.#isPeerDone = true;
    // Commands still waiting behind backpressure are answered before the connection closes.
    return this.#head < this.#queue.length;
  }

  pauseWriting(): void {
    this.#isWritePaused = true;
    this.#transport?.pauseReading();
  }

  resumeWriting(): void {
    this.#isWritePaused = false;
    if (this.#isClosingAfterReply) return;
    this.#transport?.resumeReading();
    this.#drain();
  }

  connectionLost(): void {
    if (this.#transport !== undefined) this.#client.disconnected();
    this.#transport = undefined;
    this.#queue = [];
    this.#head = 0;
    this.#replies = [];
    this.#replyBytes = 0;
  }

  #drain(): void {
    const transport = this.#transport;
    if (transport === undefined) return;
    while (!this.#isWritePaused && !this.#isClosingAfterReply && !transport.isClosing) {
      const item = this.#queue[this.#head];
      if (item === undefined) break;
      this.#head += 1;
      this.#reply(transport, this.#run(item));
    }
    this.#flush(transport);
    const isDrained = this.#head >= this.#queue.length;
    if (isDrained || this.#isClosingAfterReply) {
      this.#queue = [];
      this.#head = 0;
    }
    if (this.#isClosingAfterReply || (isDrained && this.#isPeerDone)) transport.close();
  }

  #run(item: RespCommand | RespProtocolError): Reply {
    if (item instanceof RespProtocolError) {
      this.#isClosingAfterReply = true;
      return item.closesSilently ? NO_REPLY : encodeError(`ERR ${item.message}`);
    }
    return isCommandArgs(item) ? dispatch(RESP_COMMANDS, item, this.#context) : NESTED_ARGUMENT;
  }

  #reply(transport: Transport, reply: Reply): void {
    if (Buffer.isBuffer(reply)) this.#replyPart(transport, reply);
    else for (const part of reply as readonly Buffer[]) this.#replyPart(transport, part);
  }

  /** Small parts are batched (one copy into the batch); a big one is written as it is, uncopied. */
  #replyPart(transport: Transport, part: Buffer): void {
    if (part.length >= FLUSH_BYTES) {
      this.#flush(transport);
      this.#write(transport, part);
      return;
    }
    this.#replies.push(part);
    this.#replyBytes += part.length;
    if (this.#replyBytes >= FLUSH_BYTES) this.#flush(transport);
  }

  #flush(transport: Transport): void {
    const replies = this.#replies;
    const data = replies.length > 1 ? Buffer.concat(replies, this.#replyBytes) : replies[0];
    this.#replies = [];
    this.#replyBytes = 0;
    if (data !== undefined) this.#write(transport, data);
  }

  #write(transport: Transport, data: Buffer): void {
    // A write can lose the connection (EPIPE): what follows it is dropped, never written to a closed transport.
    if (!transport.isClosing) transport.write(data);
  }
}

/** The server state of connections made on a bare store: one per store, so they share ids and databases. */
const statesOfStores = new WeakMap<RespStore, RespServerState>();

function stateOf(store: RespStore): RespServerState {
  let state = statesOfStores.get(store);
  if (state === undefined) {
    state = new RespServerState({ now: store.now }, store);
    statesOfStores.set(store, state);
  }
  return state;
}

function valueBytes(value: RespValue): number {
  if (value === null) return 0;
  if (!Array.isArray(value)) return value.length;
  let total = 0;
  for (const item of value) total += valueBytes(item);
  return total;
}

/**
 * A factory of RESP server connections sharing one store. Throws RangeError for an invalid limit.
 * With a scheduler, the store sweeps expired keys; call `store.close()` to stop that on shutdown.
 */
export function respFactory(options: RespFactoryOptions = {}): RespFactory {
  const limits = resolveRespLimits(options.limits);
  const store = options.store ?? new RespStore(options);
  const server = new RespServerState({ ...options, now: store.now }, store);
  // redis-server's words when maxclients is reached.
  return { store, server, buildProtocol: () => new RespServerProtocol(server, { limits }), refusal: () => Buffer.from('-ERR max number of clients reached\r\n') };
}
