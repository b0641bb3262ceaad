// The socket HOWTO, "Creating a Socket": the client socket, used for one exchange.
//
//     # create an INET, STREAMing socket
//     s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
//     # now connect to the web server on port 80 - the normal http port
//     s.connect(("www.python.org", 80))
//
// "When the connect completes, the socket s can be used to send in a request for the text of the
// page. The same socket will read the reply, and then be destroyed." And from "Using a Socket":
// "a client can detect the end of the reply by receiving 0 bytes".
//
// Node cannot block a thread, so each blocking call of the HOWTO is awaited: connect is connectAsync,
// send is sendall, recv is recvAsync. No internet: standalone, the program starts a tiny web server
// on loopback and fetches its page (or, given a port, fetches from a server already on localhost):
//
//     npm run build && node dist/examples/01-client.js [port]
import { pathToFileURL } from 'node:url';
import { AF_INET, SOCK_STREAM, type Address, type Socket, socket } from '../src/index.js';

/** A bound on the reply, so that a server that never stops sending cannot fill our memory. */
export const MAX_REPLY_BYTES = 1 << 20;

/** The HOWTO's client: connect, send one request, read the reply until the server closes. */
export async function fetchPage(host: string, port: number, path = '/'): Promise<Buffer> {
  // create an INET, STREAMing socket
  const s = socket(AF_INET, SOCK_STREAM);
  try {
    // now connect to the web server (a name, resolved as connect(("www.python.org", 80)) does)
    await s.connectAsync([host, port]);
    await s.sendall(`GET ${path} HTTP/1.0\r\nHost: ${host}\r\n\r\n`);
    const chunks: Buffer[] = [];
    let received = 0;
    for (;;) {
      const chunk = await s.recvAsync(4096);
      if (chunk.length === 0) break; // 0 bytes: the server closed its side, the reply is complete
      received += chunk.length;
      if (received > MAX_REPLY_BYTES) throw new RangeError(`Reply exceeds ${MAX_REPLY_BYTES} bytes`);
      chunks.push(chunk);
    }
    return Buffer.concat(chunks);
  } finally {
    // "...and then be destroyed": a client socket is for one exchange.
    s.close();
  }
}

export const TINY_PAGE = 'hello from the tiny web server\n';

/** A web server on loopback that answers every request with TINY_PAGE, for the standalone run. */
export interface TinyWebServer {
  readonly address: Address;
  readonly port: number;
  /** Stops accepting and closes the listening socket. */
  close(): Promise<void>;
}

export function startTinyWebServer(): TinyWebServer {
  const serversocket = socket(AF_INET, SOCK_STREAM);
  serversocket.bind(['localhost', 0]);
  serversocket.listen(5);
  const stopping = new AbortController();
  const loop = (async (): Promise<void> => {
    while (!stopping.signal.aborted) {
      let clientsocket: Socket;
      try {
        [clientsocket] = await serversocket.acceptAsync({ signal: stopping.signal });
      } catch (error) {
        if (stopping.signal.aborted) return;
        throw error;
      }
      void answer(clientsocket);
    }
  })();
  const address = serversocket.getsockname();
  return {
    address,
    port: typeof address === 'string' ? 0 : address[1],
    async close() {
      stopping.abort();
      await loop;
      serversocket.close();
    },
  };
}

/** Reads the request head (up to the blank line), sends the page, closes: HTTP/1.0 without keep-alive. */
async function answer(clientsocket: Socket): Promise<void> {
  try {
    let request = '';
    while (!request.includes('\r\n\r\n') && request.length < 8192) {
      const chunk = await clientsocket.recvAsync(4096);
      if (chunk.length === 0) return;
      request += chunk.toString('latin1');
    }
    await clientsocket.sendall(`HTTP/1.0 200 OK\r\nContent-Type: text/plain\r\nContent-Length: ${TINY_PAGE.length}\r\n\r\n${TINY_PAGE}`);
  } catch {
    // A client that goes away mid-request is the client's problem, not the server's.
  } finally {
    clientsocket.close();
  }
}

/** `01-client.js [port]`: fetches / from localhost:port, or from a tiny server it starts itself. */
export async function main(args: readonly string[], print: (line: string) => void = console.log): Promise<Buffer> {
  const given = args[0];
  const server = given === undefined ? startTinyWebServer() : undefined;
  const port = server?.port ?? Number(given);
  if (!Number.isInteger(port) || port <= 0 || port > 65535) throw new RangeError(`Not a port: ${String(given)}`);
  try {
    const reply = await fetchPage('localhost', port);
    print(`GET / from localhost:${port} gave ${reply.length} bytes:`);
    print(reply.toString('latin1'));
    return reply;
  } finally {
    await server?.close();
  }
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main(process.argv.slice(2)).catch((error: unknown) => {
    console.error(String(error));
    process.exitCode = 1;
  });
}
