// The socket HOWTO, "Creating a Socket": the server socket and the mainloop of the web server.
//
//     # create an INET, STREAMing socket
//     serversocket = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
//     # bind the socket to a public host, and a well-known port
//     serversocket.bind((socket.gethostname(), 80))
//     # become a server socket
//     serversocket.listen(5)
//
//     while True:
//         # accept connections from outside
//         (clientsocket, address) = serversocket.accept()
//         # now do something with the clientsocket
//         # in this case, we'll pretend this is a threaded server
//         ct = make_client_thread(clientsocket)
//         ct.start()
//
// "this is *all* a "server" socket does. It doesn't send any data. It doesn't receive any data. It
// just produces "client" sockets." The HOWTO's thread per client is an async task per connection
// here: ClientThread.start() runs it without waiting for it, so the loop goes back to accept().
// The client threads echo what they receive until the client half-closes.
//
//     npm run build && node dist/examples/02-server-accept-loop.js [clients]
import { pathToFileURL } from 'node:url';
import { AF_INET, SHUT_WR, SOCK_STREAM, type Address, type Socket, socket } from '../src/index.js';

/** The HOWTO's client thread: one task per connection, started by the accept loop. */
export class ClientThread {
  readonly clientsocket: Socket;
  readonly address: Address;
  /** Bytes echoed back so far. */
  echoed = 0;
  /** Why the task ended early (the client reset the connection, the server stopped), if it did. */
  error: unknown = undefined;
  #done: Promise<void> = Promise.resolve();

  constructor(clientsocket: Socket, address: Address) {
    this.clientsocket = clientsocket;
    this.address = address;
  }

  start(): void {
    this.#done = this.run();
  }

  /** Resolves when the task has ended (it never rejects: the error is kept in `error`). */
  join(): Promise<void> {
    return this.#done;
  }

  async run(): Promise<void> {
    try {
      for (;;) {
        const data = await this.clientsocket.recvAsync(4096);
        if (data.length === 0) break; // the client is done sending
        await this.clientsocket.sendall(data);
        this.echoed += data.length;
      }
      this.clientsocket.shutdown(SHUT_WR);
    } catch (error) {
      this.error = error;
    } finally {
      this.clientsocket.close();
    }
  }
}

export function makeClientThread(clientsocket: Socket, address: Address): ClientThread {
  return new ClientThread(clientsocket, address);
}

export interface AcceptLoopServer {
  readonly serversocket: Socket;
  readonly address: Address;
  /** Every client thread started so far, in accept order. */
  readonly threads: readonly ClientThread[];
  /** Stops accepting, closes the server socket, then the clients still connected, and waits for their tasks. */
  stop(): Promise<void>;
}

/** Binds to localhost (`port` 0 picks a free one), listens with a backlog of 5 and runs the accept loop. */
export function startServer(port = 0): AcceptLoopServer {
  // create an INET, STREAMing socket
  const serversocket = socket(AF_INET, SOCK_STREAM);
  // bind the socket to a host and a port. The HOWTO binds to socket.gethostname() to be visible
  // to the outside world; this example stays on loopback ("only visible within the same machine").
  // A name other than 'localhost' needs a lookup first: await getaddrinfo(gethostname(), port).
  serversocket.bind(['localhost', port]);
  // become a server socket
  serversocket.listen(5);
  const threads: ClientThread[] = [];
  const stopping = new AbortController();
  const mainloop = (async (): Promise<void> => {
    while (!stopping.signal.aborted) {
      let clientsocket: Socket;
      let address: Address;
      try {
        // accept connections from outside
        [clientsocket, address] = await serversocket.acceptAsync({ signal: stopping.signal });
      } catch (error) {
        if (stopping.signal.aborted) return;
        throw error;
      }
      // now do something with the clientsocket
      // in this case, we'll pretend this is a threaded server
      const ct = makeClientThread(clientsocket, address);
      threads.push(ct);
      ct.start();
    }
  })();
  return {
    serversocket,
    address: serversocket.getsockname(),
    threads,
    async stop() {
      stopping.abort();
      await mainloop;
      serversocket.close();
      for (const ct of threads) ct.clientsocket.close();
      await Promise.all(threads.map((ct) => ct.join()));
    },
  };
}

/** A client for the demonstration: sends `message`, half-closes, and reads the echo until EOF. */
export async function echoOnce(address: Address, message: string): Promise<string> {
  const s = socket(AF_INET, SOCK_STREAM);
  try {
    await s.connectAsync(address);
    await s.sendall(message);
    s.shutdown(SHUT_WR);
    const chunks: Buffer[] = [];
    for (let received = 0; received <= message.length; ) {
      const chunk = await s.recvAsync(4096);
      if (chunk.length === 0) break;
      chunks.push(chunk);
      received += chunk.length;
    }
    return Buffer.concat(chunks).toString();
  } finally {
    s.close();
  }
}

/** `02-server-accept-loop.js [clients]`: starts the server, runs that many clients at once, stops. */
export async function main(args: readonly string[], print: (line: string) => void = console.log): Promise<string[]> {
  const count = Number(args[0] ?? 3);
  if (!Number.isInteger(count) || count < 1 || count > 1000) throw new RangeError(`Not a client count: ${String(args[0])}`);
  const server = startServer();
  print(`server socket listening on ${JSON.stringify(server.address)} with listen(5)`);
  try {
    const messages = Array.from({ length: count }, (_, i) => `hello from client ${i}`);
    const replies = await Promise.all(messages.map((message) => echoOnce(server.address, message)));
    for (const reply of replies) print(`echoed: ${reply}`);
    print(`${server.threads.length} client threads started`);
    return replies;
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
