// The socket HOWTO, "Using a Socket": delimited messages, and the trap of reading the start of the
// next message.
//
// "If you decide to go the delimited route, you'll be receiving in some arbitrary chunk size, (4096
// or 8192 is frequently a good match for network buffer sizes), and scanning what you've received
// for a delimiter. One complication to be aware of: if your conversational protocol allows multiple
// messages to be sent back to back (without some kind of reply), and you pass recv an arbitrary
// chunk size, you may end up reading the start of a following message. You'll need to put that
// aside and hold onto it, until it's needed."
//
// DelimitedReader keeps what follows the delimiter for the next call; recvMessageNaively drops it,
// and so loses or garbles the messages that came with the first.
//
//     npm run build && node dist/examples/05-delimited.js
import { pathToFileURL } from 'node:url';
import { AF_INET, SHUT_WR, SOCK_STREAM, type Socket, ValueError, socket, socketpair } from '../src/index.js';

export const DELIMITER = 0x0a; // '\n'
export const CHUNK_SIZE = 4096;
/** The longest message taken, so that a peer that never sends the delimiter cannot fill our memory. */
export const MAX_MESSAGE = 65536;
const EMPTY = Buffer.alloc(0);

/** The HOWTO's RuntimeError("socket connection broken"). */
export class RuntimeError extends Error {
  override name = 'RuntimeError';
}

export async function sendMessage(sock: Socket, msg: string | Uint8Array): Promise<void> {
  const bytes = typeof msg === 'string' ? Buffer.from(msg) : msg;
  if (bytes.includes(DELIMITER)) throw new ValueError('A message cannot contain the delimiter');
  await sock.sendall(Buffer.concat([bytes, Uint8Array.of(DELIMITER)]));
}

export class DelimitedReader {
  readonly #sock: Socket;
  readonly #maxMessage: number;
  /** Received but not yet returned: the start of the following message(s), put aside. */
  #pending: Buffer = EMPTY;
  /** How far #pending has been scanned for the delimiter, so no byte is scanned twice. */
  #scanned = 0;

  constructor(sock: Socket, maxMessage = MAX_MESSAGE) {
    this.#sock = sock;
    this.#maxMessage = maxMessage;
  }

  /** Bytes received after the last message returned (what a naive reader would have lost). */
  get pending(): Buffer {
    return this.#pending;
  }

  /** The next message without its delimiter; null at EOF between messages. */
  async recvMessage(): Promise<Buffer | null> {
    for (;;) {
      const end = this.#pending.indexOf(DELIMITER, this.#scanned);
      if (end >= 0) {
        const msg = this.#pending.subarray(0, end);
        this.#pending = this.#pending.subarray(end + 1); // hold onto it, until it's needed
        this.#scanned = 0;
        return msg;
      }
      this.#scanned = this.#pending.length;
      if (this.#scanned > this.#maxMessage) throw new RangeError(`Message exceeds ${this.#maxMessage} bytes`);
      const chunk = await this.#sock.recvAsync(CHUNK_SIZE);
      if (chunk.length === 0) {
        if (this.#pending.length === 0) return null;
        throw new RuntimeError('socket connection broken');
      }
      this.#pending = this.#pending.length === 0 ? chunk : Buffer.concat([this.#pending, chunk]);
    }
  }
}

/** The trap: scans each chunk for the delimiter and returns, dropping whatever came after it. */
export async function recvMessageNaively(sock: Socket, maxMessage = MAX_MESSAGE): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for (let received = 0; received <= maxMessage; ) {
    const chunk = await sock.recvAsync(CHUNK_SIZE);
    if (chunk.length === 0) throw new RuntimeError('socket connection broken');
    const end = chunk.indexOf(DELIMITER);
    if (end >= 0) return Buffer.concat([...chunks, chunk.subarray(0, end)]); // the rest is lost
    chunks.push(chunk);
    received += chunk.length;
  }
  throw new RangeError(`Message exceeds ${maxMessage} bytes`);
}

/** Three messages sent back to back over localhost, read by DelimitedReader; then the trap, on a socketpair. */
export async function main(_args: readonly string[], print: (line: string) => void = console.log): Promise<{ careful: string[]; naive: string[] }> {
  const serversocket = socket(AF_INET, SOCK_STREAM);
  serversocket.bind(['localhost', 0]);
  serversocket.listen(5);
  const client = socket(AF_INET, SOCK_STREAM);
  const careful: string[] = [];
  try {
    const accepting = serversocket.acceptAsync();
    await client.connectAsync(serversocket.getsockname());
    const [conn] = await accepting;
    try {
      // One send holds all three: the first recv gets them together.
      await client.sendall('one\ntwo\nthree\n');
      client.shutdown(SHUT_WR);
      const reader = new DelimitedReader(conn);
      for (let msg = await reader.recvMessage(); msg !== null && careful.length < 10; msg = await reader.recvMessage()) {
        careful.push(msg.toString());
      }
    } finally {
      conn.close();
    }
  } finally {
    client.close();
    serversocket.close();
  }
  print(`DelimitedReader:    ${JSON.stringify(careful)}`);
  // The trap, on an in-memory pair so that the bytes are split exactly so: "one\ntwo\nthr", then "ee\n".
  const [a, b] = socketpair();
  const naive: string[] = [];
  try {
    a.send('one\ntwo\nthr');
    naive.push((await recvMessageNaively(b)).toString()); // "two\nthr" is dropped
    a.send('ee\n');
    naive.push((await recvMessageNaively(b)).toString());
  } finally {
    a.close();
    b.close();
  }
  print(`recvMessageNaively: ${JSON.stringify(naive)} ("two" lost, "three" cut)`);
  return { careful, naive };
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main(process.argv.slice(2)).catch((error: unknown) => {
    console.error(String(error));
    process.exitCode = 1;
  });
}
