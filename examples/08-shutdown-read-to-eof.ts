// The socket HOWTO, "Disconnecting": the HTTP-like exchange that uses shutdown.
//
// "One way to use shutdown effectively is in an HTTP-like exchange. The client sends a request and
// then does a shutdown(1). This tells the server "This client is done sending, but can still
// receive." The server can detect "EOF" by a receive of 0 bytes. It can assume it has the complete
// request. The server sends a reply. If the send completes successfully then, indeed, the client
// was still receiving."
//
// shutdown(1) is shutdown(SHUT_WR). The server here answers with the size and SHA-256 of what it
// read, so the client can check that the whole request arrived; then it closes ("*Please* close
// your sockets when you're done").
//
//     npm run build && node dist/examples/08-shutdown-read-to-eof.js [request bytes]
import { createHash } from 'node:crypto';
import { pathToFileURL } from 'node:url';
import { AF_INET, SHUT_WR, SOCK_STREAM, type Address, type Socket, socket } from '../src/index.js';

/** The largest request or reply read, so that a peer that never stops cannot fill our memory. */
export const MAX_BYTES = 16 << 20;

/** recv until it returns 0 bytes: the peer has shut down its sending side. */
export async function recvUntilEOF(sock: Socket, maxBytes = MAX_BYTES): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let received = 0;
  for (;;) {
    const chunk = await sock.recvAsync(65536);
    if (chunk.length === 0) return Buffer.concat(chunks, received); // "EOF"
    received += chunk.length;
    if (received > maxBytes) throw new RangeError(`More than ${maxBytes} bytes before EOF`);
    chunks.push(chunk);
  }
}

export function describe(request: Uint8Array): string {
  return `${request.length} bytes, sha256 ${createHash('sha256').update(request).digest('hex')}\n`;
}

/** The client: send the request, shutdown(SHUT_WR), read the reply until the server closes. */
export async function exchange(address: Address, request: Uint8Array | string): Promise<string> {
  const s = socket(AF_INET, SOCK_STREAM);
  try {
    await s.connectAsync(address);
    await s.sendall(request);
    s.shutdown(SHUT_WR); // "This client is done sending, but can still receive."
    return (await recvUntilEOF(s)).toString();
  } finally {
    s.close();
  }
}

/** The server's part of one exchange: read the request to EOF, reply, close. Returns the request. */
export async function serveOne(conn: Socket): Promise<Buffer> {
  try {
    const request = await recvUntilEOF(conn); // 0 bytes: it can assume it has the complete request
    await conn.sendall(describe(request)); // completed: the client was still receiving
    conn.shutdown(SHUT_WR);
    return request;
  } finally {
    conn.close();
  }
}

export interface ShutdownServer {
  readonly address: Address;
  /** The requests served so far, whole, in the order they completed. */
  readonly requests: readonly Buffer[];
  /** Errors of exchanges that failed (the server keeps serving). */
  readonly errors: readonly unknown[];
  stop(): Promise<void>;
}

export function startServer(): ShutdownServer {
  const serversocket = socket(AF_INET, SOCK_STREAM);
  serversocket.bind(['localhost', 0]);
  serversocket.listen(5);
  const requests: Buffer[] = [];
  const errors: unknown[] = [];
  const tasks = new Set<Promise<void>>();
  const stopping = new AbortController();
  const loop = (async (): Promise<void> => {
    while (!stopping.signal.aborted) {
      let conn: Socket;
      try {
        [conn] = await serversocket.acceptAsync({ signal: stopping.signal });
      } catch (error) {
        if (stopping.signal.aborted) return;
        throw error;
      }
      const task = serveOne(conn).then(
        (request) => void requests.push(request),
        (error: unknown) => void errors.push(error),
      );
      tasks.add(task);
      void task.finally(() => tasks.delete(task));
    }
  })();
  return {
    address: serversocket.getsockname(),
    requests,
    errors,
    async stop() {
      stopping.abort();
      await loop;
      serversocket.close();
      await Promise.all(tasks);
    },
  };
}

export async function main(args: readonly string[], print: (line: string) => void = console.log): Promise<string> {
  const size = Number(args[0] ?? 100000);
  if (!Number.isInteger(size) || size < 0 || size > MAX_BYTES) throw new RangeError(`Not a request size: ${String(args[0])}`);
  const server = startServer();
  try {
    const request = Buffer.from(Array.from({ length: size }, (_, i) => 65 + (i % 26)));
    const reply = await exchange(server.address, request);
    print(`sent ${size} bytes, then shutdown(SHUT_WR); the server read to EOF and replied:`);
    print(`  ${reply.trimEnd()}`);
    print(`  ${reply === describe(request) ? 'which is what we sent' : 'which is NOT what we sent'}`);
    return reply;
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
