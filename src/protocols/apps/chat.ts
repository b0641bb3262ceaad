// A line-based chat server (`switchboard serve chat`): a client is guest<N> until it sends /nick NAME;
// /who lists who is here, /help the commands (both listed on join); every other line goes to every
// other client as `NAME: line`; others see joins and leaves. A line over the limit gets
// `* line too long` and that connection closes. Lines end in LF or CRLF.
import type { Factory, Protocol, Transport } from '../../contract/index.js';
import type { Codec } from '../framing/codec.js';
import { LineCodec } from '../framing/line-codec.js';
import { stack } from '../stack.js';

/** Options of chatFactory (the `serve chat` limits). */
export interface ChatOptions {
  /** The longest line a client may send, in bytes (default 4096). */
  readonly maxLineBytes?: number;
  /** Bytes a client may have waiting unsent before it is dropped as too slow (default 1 MiB). */
  readonly maxBacklogBytes?: number;
}

const NICK = /^[A-Za-z0-9_.-]{1,32}$/;
const decoder = new TextDecoder();

/** The shared state of one chat server: who is here. */
export class ChatRoom {
  /** The connected clients, in the order they joined; a member leaves it on connectionLost. */
  readonly members = new Set<ChatMember>();
  /** Unsent bytes a member may have queued before say() aborts its connection as too slow. */
  readonly maxBacklogBytes: number;
  #guests = 0;

  constructor(maxBacklogBytes: number) {
    this.maxBacklogBytes = maxBacklogBytes;
  }

  /**
   * A new `guest<N>` name, N counting up from 1 for this room (never reused), skipping names a member
   * took with /nick: two clients never share a name.
   */
  nextGuestName(): string {
    do this.#guests += 1;
    while (this.isTaken(`guest${this.#guests}`));
    return `guest${this.#guests}`;
  }

  /** The members' names, in the order they joined. */
  names(): string[] {
    return [...this.members].map((member) => member.name);
  }

  /** True if a member goes by `name` now (names are case-sensitive). */
  isTaken(name: string): boolean {
    for (const member of this.members) if (member.name === name) return true;
    return false;
  }

  /**
   * Sends `text` to everyone but `from`: encoded once, the same bytes queued for every recipient (a
   * room of N costs one line, not N copies of it; nothing writes into a queued Buffer).
   */
  broadcast(text: string, from: ChatMember): void {
    const line = lineOf(text);
    for (const member of this.members) if (member !== from) member.send(line);
  }
}

/** The commands, as /help and the greeting on join list them. */
export const CHAT_COMMANDS: readonly string[] = ['/nick NAME  take a name (1-32 letters, digits, _ . -)', '/who        list who is here', '/help       this list'];

/**
 * One chat client, a Protocol of lines (below it, chatFactory stacks a LineCodec): joins as
 * `guest<N>` and is greeted `* welcome, guest<N>; commands: /nick NAME, /who, /help`; renames with
 * `/nick NAME` (1-32 of `A-Z a-z 0-9 _ . -`, not taken; answered `* you are NAME`, others see
 * `* OLD is now NAME`); `/who` is answered `* here: NAME, ...` and `/help` with one `* ` line per
 * command, to the asker only; any other line goes to the others as `NAME: line`. Others see
 * `* NAME joined` and `* NAME left`.
 */
export class ChatMember implements Protocol<Uint8Array> {
  /** The member's current name: `guest<N>` from connectionMade until a `/nick`. */
  name = '';
  readonly #room: ChatRoom;
  #transport: Transport<Uint8Array> | undefined;

  constructor(room: ChatRoom) {
    this.#room = room;
  }

  connectionMade(transport: Transport<Uint8Array>): void {
    this.#transport = transport;
    this.name = this.#room.nextGuestName();
    this.#room.broadcast(`* ${this.name} joined`, this);
    this.#room.members.add(this);
    this.say(`* welcome, ${this.name}; commands: /nick NAME, /who, /help`);
  }

  dataReceived(line: Uint8Array): void {
    const text = decoder.decode(line);
    const command = text.trim();
    if (command === '/who') this.say(`* here: ${this.#room.names().join(', ')}`);
    else if (command === '/help') for (const help of CHAT_COMMANDS) this.say(`* ${help}`);
    else {
      const nick = /^\/nick\s+(.*)$/.exec(text);
      if (nick === null) this.#room.broadcast(`${this.name}: ${text}`, this);
      else this.#rename((nick[1] ?? '').trim());
    }
  }

  #rename(wanted: string): void {
    if (!NICK.test(wanted)) this.say('* a name is 1-32 letters, digits, _ . or -');
    else if (wanted !== this.name && this.#room.isTaken(wanted)) this.say(`* ${wanted} is taken`);
    else {
      const old = this.name;
      this.name = wanted;
      this.say(`* you are ${wanted}`);
      if (old !== wanted) this.#room.broadcast(`* ${old} is now ${wanted}`, this);
    }
  }

  /** The line codec rejected a line: tell the client before the connection closes. */
  decodeFailed(): void {
    this.say('* line too long');
  }

  /**
   * Sends `text` as one line to this member (nothing once its connection is closing). A member whose
   * unsent backlog passes the room's maxBacklogBytes is aborted: a client that does not read cannot
   * make the server hold its messages forever.
   */
  say(text: string): void {
    this.send(lineOf(text));
  }

  /** Sends one encoded line (lineOf), as say() does; broadcast() shares one among the room. */
  send(line: Uint8Array): void {
    const transport = this.#transport;
    if (transport === undefined || transport.isClosing) return;
    transport.write(line);
    // A client that does not read cannot make the server hold its messages forever.
    if (transport.getWriteBufferSize() > this.#room.maxBacklogBytes) transport.abort();
  }

  connectionLost(): void {
    if (!this.#room.members.delete(this)) return;
    this.#transport = undefined;
    this.#room.broadcast(`* ${this.name} left`, this);
  }
}

/** One line as the chat sends it: UTF-8, ending in LF. */
function lineOf(text: string): Buffer {
  return Buffer.from(`${text}\n`);
}

/**
 * Lines in with the client's limit, lines out with none: what the server sends (`NAME: line`) is
 * longer than what it accepted, and only the input needs bounding. Outgoing lines come encoded,
 * LF included (lineOf), so that one broadcast line is one Buffer for every recipient.
 */
function chatLines(maxLineLength: number): Codec<Uint8Array> {
  const lines = new LineCodec({ maxLineLength, ending: 'any', emitPartialAtEOF: true });
  return {
    feed: (input, emit) => lines.feed(input, emit),
    end: (emit) => lines.end(emit),
    encode: (line) => line,
  };
}

/**
 * The factory of `serve chat`: one ChatRoom shared by its connections, each a LineCodec (lines end in
 * LF or CRLF, at most `maxLineBytes`) under a ChatMember. A line over the limit gets
 * `* line too long` and that connection closes.
 */
export function chatFactory(options: ChatOptions = {}): Factory & {
  /** The room every connection of this factory joins. */
  readonly room: ChatRoom;
} {
  const room = new ChatRoom(options.maxBacklogBytes ?? 1024 * 1024);
  const maxLineLength = options.maxLineBytes ?? 4096;
  return {
    room,
    buildProtocol: () => stack(chatLines(maxLineLength), new ChatMember(room)),
  };
}
