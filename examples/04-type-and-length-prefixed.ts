// The socket HOWTO, "Using a Socket": the type-prefixed and length-prefixed messages it leaves "as an
// exercise for the reader".
//
// "The easiest enhancement is to make the first character of the message an indicator of message
// type, and have the type determine the length. Now you have two recvs - the first to get (at
// least) that first character so you can look up the length, and the second in a loop to get the
// rest."
//
// "Prefixing the message with its length (say, as 5 numeric characters) gets more complex, because
// (believe it or not), you may not get all 5 characters in one recv. ... your code will very quickly
// break unless you use two recv loops - the first to determine the length, the second to get the
// data part of the message. Nasty. This is also when you'll discover that send does not always
// manage to get rid of everything in one pass." Here send is sendall, which loops for us.
//
// A third variant puts the length in binary, 4 bytes in network byte order ("Binary Data").
//
//     npm run build && node dist/examples/04-type-and-length-prefixed.js
import { pathToFileURL } from 'node:url';
import { AF_INET, SHUT_WR, SOCK_STREAM, type Socket, ValueError, socket } from '../src/index.js';

const EMPTY = Buffer.alloc(0);

/** The HOWTO's RuntimeError("socket connection broken"), with the bytes that had arrived. */
export class RuntimeError extends Error {
  override name = 'RuntimeError';
  readonly partial: Buffer;

  constructor(message: string, partial: Buffer = EMPTY) {
    super(message);
    this.partial = partial;
  }
}

/** The recv loop: exactly `n` bytes, however few each recv returns; RuntimeError at an early EOF. */
export async function recvExactly(sock: Socket, n: number): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let received = 0;
  while (received < n) {
    const chunk = await sock.recvAsync(n - received);
    if (chunk.length === 0) throw new RuntimeError('socket connection broken', Buffer.concat(chunks));
    chunks.push(chunk);
    received += chunk.length;
  }
  return Buffer.concat(chunks, n);
}

/** As recvExactly, but an EOF before the first byte is a clean end between messages: null. */
async function recvStart(sock: Socket, n: number): Promise<Buffer | null> {
  try {
    return await recvExactly(sock, n);
  } catch (error) {
    if (error instanceof RuntimeError && error.partial.length === 0) return null;
    throw error;
  }
}

// ---- 1. the first character is the type, and the type determines the length ---------------------

/** The body length of each message type. */
export const MESSAGE_LENGTHS: ReadonlyMap<string, number> = new Map([
  ['P', 0], // ping: the type alone
  ['I', 8], // an id of 8 characters
  ['D', 10], // a date, YYYY-MM-DD
]);

export interface TypedMessage {
  readonly type: string;
  readonly body: string;
}

export async function sendTyped(sock: Socket, { type, body }: TypedMessage): Promise<void> {
  const length = MESSAGE_LENGTHS.get(type);
  if (length === undefined) throw new ValueError(`Unknown message type ${JSON.stringify(type)}`);
  if (Buffer.byteLength(body, 'latin1') !== length) throw new ValueError(`A '${type}' message has ${length} characters, got ${body.length}`);
  await sock.sendall(Buffer.from(type + body, 'latin1'));
}

/** The next message, or null at EOF between messages. */
export async function recvTyped(sock: Socket): Promise<TypedMessage | null> {
  // the first recv: (at least) the first character, to look up the length
  const first = await recvStart(sock, 1);
  if (first === null) return null;
  const type = first.toString('latin1');
  const length = MESSAGE_LENGTHS.get(type);
  if (length === undefined) throw new ValueError(`Unknown message type ${JSON.stringify(type)}`);
  // the second, in a loop, to get the rest
  const body = await recvExactly(sock, length);
  return { type, body: body.toString('latin1') };
}

// ---- 2. the length as 5 numeric characters -----------------------------------------------------------

export const LENGTH_DIGITS = 5;
export const MAX_DECIMAL_LENGTH = 10 ** LENGTH_DIGITS - 1;

export function encodeDecimalPrefixed(msg: Uint8Array): Buffer {
  if (msg.length > MAX_DECIMAL_LENGTH) throw new RangeError(`Message of ${msg.length} bytes exceeds ${MAX_DECIMAL_LENGTH}`);
  return Buffer.concat([Buffer.from(String(msg.length).padStart(LENGTH_DIGITS, '0'), 'latin1'), msg]);
}

export async function sendDecimalPrefixed(sock: Socket, msg: Uint8Array): Promise<void> {
  await sock.sendall(encodeDecimalPrefixed(msg));
}

/** Two recv loops: the first for the 5 characters of the length, the second for the data. Null at EOF. */
export async function recvDecimalPrefixed(sock: Socket): Promise<Buffer | null> {
  const header = await recvStart(sock, LENGTH_DIGITS);
  if (header === null) return null;
  const digits = header.toString('latin1');
  if (!/^[0-9]{5}$/.test(digits)) throw new ValueError(`Bad length prefix ${JSON.stringify(digits)}`);
  return recvExactly(sock, Number(digits));
}

/**
 * The trap: one recv per part. "In playing around, you'll get away with it", until a recv returns
 * fewer than 5 characters; then the length is wrong and every later message is misread.
 */
export async function recvDecimalPrefixedNaively(sock: Socket): Promise<Buffer> {
  const header = await sock.recvAsync(LENGTH_DIGITS); // may hold fewer than 5 characters!
  const length = Number(header.toString('latin1'));
  return sock.recvAsync(length); // may hold fewer than `length` bytes!
}

// ---- 3. the length in binary: 4 bytes, network byte order ------------------------------------------

export const BINARY_HEADER = 4;
/** The longest message recvBinaryPrefixed takes by default, so that a bad header cannot make it wait for 4 GiB. */
export const MAX_BINARY_LENGTH = 1 << 20;

export function encodeBinaryPrefixed(msg: Uint8Array): Buffer {
  const header = Buffer.alloc(BINARY_HEADER);
  header.writeUInt32BE(msg.length); // htonl: big-endian whatever the host's order
  return Buffer.concat([header, msg]);
}

export async function sendBinaryPrefixed(sock: Socket, msg: Uint8Array): Promise<void> {
  await sock.sendall(encodeBinaryPrefixed(msg));
}

/** The 4-byte length (rejected at once when over `maxLength`), then the data. Null at EOF. */
export async function recvBinaryPrefixed(sock: Socket, maxLength = MAX_BINARY_LENGTH): Promise<Buffer | null> {
  const header = await recvStart(sock, BINARY_HEADER);
  if (header === null) return null;
  const length = header.readUInt32BE(0); // ntohl
  if (length > maxLength) throw new RangeError(`Message of ${length} bytes exceeds ${maxLength}`);
  return recvExactly(sock, length);
}

// ---- the standalone run ------------------------------------------------------------------------------

/** A client sends every kind back to back over localhost; the server reads them in the same order. */
export async function main(_args: readonly string[], print: (line: string) => void = console.log): Promise<string[]> {
  const serversocket = socket(AF_INET, SOCK_STREAM);
  serversocket.bind(['localhost', 0]);
  serversocket.listen(5);
  const client = socket(AF_INET, SOCK_STREAM);
  try {
    const accepting = serversocket.acceptAsync();
    await client.connectAsync(serversocket.getsockname());
    const [conn] = await accepting;
    try {
      await sendTyped(client, { type: 'I', body: 'user0042' });
      await sendTyped(client, { type: 'P', body: '' });
      await sendTyped(client, { type: 'D', body: '2024-06-01' });
      await sendDecimalPrefixed(client, Buffer.from('a message with its length as 5 digits'));
      await sendBinaryPrefixed(client, Buffer.from('a message with a 4-byte length'));
      client.shutdown(SHUT_WR);
      const got: string[] = [];
      for (let i = 0; i < 3; i++) {
        const typed = await recvTyped(conn);
        got.push(typed === null ? 'EOF' : `typed ${typed.type} ${JSON.stringify(typed.body)}`);
      }
      got.push(`decimal ${JSON.stringify((await recvDecimalPrefixed(conn))?.toString() ?? null)}`);
      got.push(`binary ${JSON.stringify((await recvBinaryPrefixed(conn))?.toString() ?? null)}`);
      got.push(`then ${(await recvBinaryPrefixed(conn)) === null ? 'EOF' : 'more'}`);
      for (const line of got) print(line);
      return got;
    } finally {
      conn.close();
    }
  } finally {
    client.close();
    serversocket.close();
  }
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main(process.argv.slice(2)).catch((error: unknown) => {
    console.error(String(error));
    process.exitCode = 1;
  });
}
