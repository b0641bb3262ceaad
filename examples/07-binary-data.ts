// The socket HOWTO, "Binary Data": integers sent in network byte order.
//
// "It is perfectly possible to send binary data over a socket. The major problem is that not all
// machines use the same formats for binary data. ... Socket libraries have calls for converting 16
// and 32 bit integers - ntohl, htonl, ntohs, htons where "n" means *network* and "h" means *host*,
// "s" means *short* and "l" means *long*."
//
// htonl and friends are here for the record, but in JavaScript one writes bytes in a chosen order
// instead of swapping integers: DataView's setUint32(offset, value, false) or Buffer's
// writeUInt32BE write network (big-endian) order on every host. The HOWTO also notes that "0" in
// ASCII can be smaller than its binary form; the run prints both sizes.
//
// Zero bytes are data like any other: a batch of zeros arrives whole. Only a recv that returns no
// bytes at all (b'' in Python, an empty Buffer here) means EOF.
//
// A batch on the wire (all big-endian):
//
//     +---------+---------+---------+---------+-- ... --+
//     | version | count   | value 0           | value 1 |   version, count: u16 (htons)
//     | 2 bytes | 2 bytes | 4 bytes           |         |   values: u32 (htonl)
//     +---------+---------+---------+---------+-- ... --+
//
//     npm run build && node dist/examples/07-binary-data.js
import { endianness } from 'node:os';
import { pathToFileURL } from 'node:url';
import { AF_INET, SHUT_WR, SOCK_STREAM, type Socket, ValueError, socket } from '../src/index.js';

const IS_HOST_LITTLE_ENDIAN = endianness() === 'LE';

function checkUint(x: number, bits: 16 | 32): void {
  if (!Number.isInteger(x) || x < 0 || x >= 2 ** bits) throw new RangeError(`Not an unsigned ${bits}-bit integer: ${x}`);
}

/** socket.htonl: a 32-bit integer from host to network byte order (the bytes swapped on x86). */
export function htonl(x: number): number {
  checkUint(x, 32);
  if (!IS_HOST_LITTLE_ENDIAN) return x;
  return (((x & 0xff) << 24) | ((x & 0xff00) << 8) | ((x >>> 8) & 0xff00) | (x >>> 24)) >>> 0;
}

/** socket.ntohl: the same swap, back. */
export function ntohl(x: number): number {
  return htonl(x);
}

/** socket.htons: a 16-bit integer from host to network byte order. */
export function htons(x: number): number {
  checkUint(x, 16);
  return IS_HOST_LITTLE_ENDIAN ? ((x & 0xff) << 8) | (x >>> 8) : x;
}

export function ntohs(x: number): number {
  return htons(x);
}

export const VERSION = 1;
const HEADER = 4;
const MAX_VALUES = 0xffff;

/** The batch above, written with DataView in network byte order (false: big-endian). */
export function encodeBatch(values: readonly number[]): Buffer {
  if (values.length > MAX_VALUES) throw new RangeError(`At most ${MAX_VALUES} values in a batch`);
  const out = Buffer.alloc(HEADER + 4 * values.length);
  const view = new DataView(out.buffer, out.byteOffset, out.byteLength);
  view.setUint16(0, VERSION, false);
  view.setUint16(2, values.length, false);
  values.forEach((value, i) => {
    checkUint(value, 32);
    view.setUint32(HEADER + 4 * i, value, false);
  });
  return out;
}

/** The recv loop for exactly `n` bytes, zeros included; null if EOF comes first, before any byte. */
export async function recvExactly(sock: Socket, n: number): Promise<Buffer | null> {
  const chunks: Buffer[] = [];
  let received = 0;
  while (received < n) {
    const chunk = await sock.recvAsync(n - received);
    if (chunk.length === 0) {
      // EOF: the only "nothing" there is. A chunk of zero bytes (0x00) is data.
      if (received === 0) return null;
      throw new Error('socket connection broken');
    }
    chunks.push(chunk);
    received += chunk.length;
  }
  return Buffer.concat(chunks, n);
}

/** The next batch's values, or null at EOF between batches. */
export async function recvBatch(sock: Socket): Promise<number[] | null> {
  const header = await recvExactly(sock, HEADER);
  if (header === null) return null;
  const version = header.readUInt16BE(0); // ntohs
  if (version !== VERSION) throw new ValueError(`Unknown batch version ${version}`);
  const count = header.readUInt16BE(2);
  const body = (await recvExactly(sock, 4 * count)) ?? Buffer.alloc(0);
  if (body.length !== 4 * count) throw new Error('socket connection broken');
  const view = new DataView(body.buffer, body.byteOffset, body.byteLength);
  return Array.from({ length: count }, (_, i) => view.getUint32(4 * i, false)); // ntohl
}

/** The same values as ASCII text, as the HOWTO compares: "0" and a separator is two bytes. */
export function asciiSize(values: readonly number[]): number {
  return Buffer.byteLength(`${values.join(' ')}\n`);
}

export interface BinaryReport {
  readonly sent: readonly (readonly number[])[];
  readonly received: readonly (readonly number[])[];
  /** What the first batch looked like on the wire, in hex. */
  readonly wire: string;
  /** What recv returned after the last batch: EOF, as an empty Buffer. */
  readonly afterLast: Buffer;
}

/** Sends the batches over localhost, half-closes, and reads them back on the server side. */
export async function exchange(batches: readonly (readonly number[])[]): Promise<BinaryReport> {
  const serversocket = socket(AF_INET, SOCK_STREAM);
  serversocket.bind(['localhost', 0]);
  serversocket.listen(5);
  const client = socket(AF_INET, SOCK_STREAM);
  try {
    const accepting = serversocket.acceptAsync();
    await client.connectAsync(serversocket.getsockname());
    const [conn] = await accepting;
    try {
      for (const batch of batches) await client.sendall(encodeBatch(batch));
      client.shutdown(SHUT_WR);
      const received: number[][] = [];
      for (let batch = await recvBatch(conn); batch !== null; batch = await recvBatch(conn)) {
        received.push(batch);
        if (received.length > batches.length) break; // more than was sent: stop, the check will fail
      }
      const afterLast = await conn.recvAsync(100);
      return { sent: batches, received, wire: encodeBatch(batches[0] ?? []).toString('hex'), afterLast };
    } finally {
      conn.close();
    }
  } finally {
    client.close();
    serversocket.close();
  }
}

export async function main(_args: readonly string[], print: (line: string) => void = console.log): Promise<BinaryReport> {
  const mostlyZero = [0, 1, 0, 0, 1, 0, 0, 0];
  const report = await exchange([[1, 0xdeadbeef, 2 ** 32 - 1], mostlyZero, new Array<number>(1000).fill(0)]);
  print(`htonl(1) = 0x${htonl(1).toString(16).padStart(8, '0')} on this ${endianness()} host; on the wire 1 is 00 00 00 01`);
  print(`first batch on the wire: ${report.wire}`);
  for (const batch of report.received) {
    const shown = batch.length > 8 ? `${batch.length} values, all ${batch.every((v) => v === 0) ? 'zero' : 'mixed'}` : batch.join(', ');
    print(`received ${shown} (binary ${HEADER + 4 * batch.length} bytes, ASCII ${asciiSize(batch)} bytes)`);
  }
  print(`then recv returned ${report.afterLast.length} bytes: EOF`);
  return report;
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main(process.argv.slice(2)).catch((error: unknown) => {
    console.error(String(error));
    process.exitCode = 1;
  });
}
