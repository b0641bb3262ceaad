// The socket HOWTO, "Using a Socket": the fixed-length MySocket, with its send and receive loops.
//
//     class MySocket:
//         """demonstration class only
//           - coded for clarity, not efficiency
//         """
//         def __init__(self, sock=None):
//             if sock is None:
//                 self.sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
//             else:
//                 self.sock = sock
//         def connect(self, host, port):
//             self.sock.connect((host, port))
//         def mysend(self, msg):
//             totalsent = 0
//             while totalsent < MSGLEN:
//                 sent = self.sock.send(msg[totalsent:])
//                 if sent == 0:
//                     raise RuntimeError("socket connection broken")
//                 totalsent = totalsent + sent
//         def myreceive(self):
//             chunks = []
//             bytes_recd = 0
//             while bytes_recd < MSGLEN:
//                 chunk = self.sock.recv(min(MSGLEN - bytes_recd, 2048))
//                 if chunk == b'':
//                     raise RuntimeError("socket connection broken")
//                 chunks.append(chunk)
//                 bytes_recd = bytes_recd + len(chunk)
//             return b''.join(chunks)
//
// "send and recv operate on the network buffers. They do not necessarily handle all the bytes you
// hand them ... It is *your* responsibility to call them again until your message has been
// completely dealt with." The standalone run shrinks the buffers so that the loops visibly go round:
//
//     npm run build && node dist/examples/03-mysocket-fixed-length.js [messages]
import { pathToFileURL } from 'node:url';
import {
  AF_INET,
  BlockingIOError,
  IPPROTO_TCP,
  SOCK_STREAM,
  SOL_SOCKET,
  SO_RCVBUF,
  SO_SNDBUF,
  type Socket,
  TCP_NODELAY,
  TimeoutError,
  select,
  socket,
} from '../src/index.js';

export const MSGLEN = 65536;

/** Python's RuntimeError, which the HOWTO raises for a connection that broke mid-message. */
export class RuntimeError extends Error {
  override name = 'RuntimeError';
}

/**
 * Python's blocking `send()`: waits until the send buffer has room, then sends what fits and returns
 * that count (possibly less than given). Socket.send never waits; sendall would hide the partial
 * sends this example is about.
 */
export async function blockingSend(sock: Socket, data: Uint8Array): Promise<number> {
  for (;;) {
    try {
      return sock.send(data);
    } catch (error) {
      if (!(error instanceof BlockingIOError)) throw error;
    }
    const [, writable] = await select([], [sock], [], sock.gettimeout());
    if (writable.length === 0) throw new TimeoutError('ETIMEDOUT', 'timed out', 'send');
  }
}

/** demonstration class only - coded for clarity, not efficiency */
export class MySocket {
  readonly sock: Socket;
  /** How many send() and recv() calls the loops made (to see the partial sends and receives). */
  sendCalls = 0;
  recvCalls = 0;

  constructor(sock?: Socket) {
    if (sock === undefined) {
      this.sock = socket(AF_INET, SOCK_STREAM);
    } else {
      this.sock = sock;
    }
  }

  async connect(host: string, port: number): Promise<void> {
    await this.sock.connectAsync([host, port]);
  }

  async mysend(msg: Uint8Array): Promise<void> {
    if (msg.length !== MSGLEN) throw new RangeError(`A message is ${MSGLEN} bytes, got ${msg.length}`);
    let totalsent = 0;
    while (totalsent < MSGLEN) {
      const sent = await blockingSend(this.sock, msg.subarray(totalsent));
      this.sendCalls++;
      // As in Python, a broken connection usually raises (BrokenPipeError, ConnectionResetError)
      // rather than sending 0 bytes; the check is the HOWTO's belt and braces.
      if (sent === 0) throw new RuntimeError('socket connection broken');
      totalsent = totalsent + sent;
    }
  }

  async myreceive(): Promise<Buffer> {
    const chunks: Buffer[] = [];
    let bytesRecd = 0;
    while (bytesRecd < MSGLEN) {
      const chunk = await this.sock.recvAsync(Math.min(MSGLEN - bytesRecd, 2048));
      this.recvCalls++;
      // 0 bytes: the peer closed before the message was complete.
      if (chunk.length === 0) throw new RuntimeError('socket connection broken');
      chunks.push(chunk);
      bytesRecd = bytesRecd + chunk.length;
    }
    return Buffer.concat(chunks);
  }
}

export interface ExchangeReport {
  readonly messages: number;
  /** Every echoed message equalled the one sent. */
  readonly isIntact: boolean;
  readonly client: { readonly sendCalls: number; readonly recvCalls: number };
  readonly server: { readonly sendCalls: number; readonly recvCalls: number };
}

/** Small kernel buffers, so that one send() cannot take a whole message. */
const SMALL_BUFFER = 4096;

/** A message whose bytes depend on its number, so that a mix-up would show. */
export function message(n: number): Buffer {
  return Buffer.from(Array.from({ length: MSGLEN }, (_, i) => (i * 7 + n) % 251));
}

/** A client sends `count` messages over localhost; the server receives each with myreceive and echoes it. */
export async function exchange(count: number): Promise<ExchangeReport> {
  const serversocket = socket(AF_INET, SOCK_STREAM);
  // The listener's options are inherited by the sockets it accepts.
  serversocket.setsockopt(SOL_SOCKET, SO_RCVBUF, SMALL_BUFFER);
  serversocket.setsockopt(SOL_SOCKET, SO_SNDBUF, SMALL_BUFFER);
  serversocket.setsockopt(IPPROTO_TCP, TCP_NODELAY, 1);
  serversocket.bind(['localhost', 0]);
  serversocket.listen(5);
  const client = new MySocket();
  client.sock.setsockopt(SOL_SOCKET, SO_SNDBUF, SMALL_BUFFER);
  client.sock.setsockopt(SOL_SOCKET, SO_RCVBUF, SMALL_BUFFER);
  // Small buffers make small segments: without TCP_NODELAY, Nagle's algorithm holds each back until
  // the last is acknowledged, and the peer delays its ACKs (up to 40 ms on Linux) in a ping-pong.
  client.sock.setsockopt(IPPROTO_TCP, TCP_NODELAY, 1);
  try {
    const address = serversocket.getsockname();
    if (typeof address === 'string') throw new TypeError('Expected an INET address');
    const accepting = serversocket.acceptAsync();
    await client.connect('localhost', address[1]);
    const [clientsocket] = await accepting;
    const server = new MySocket(clientsocket);
    try {
      const serving = (async (): Promise<void> => {
        for (let i = 0; i < count; i++) await server.mysend(await server.myreceive());
      })();
      let isIntact = true;
      for (let i = 0; i < count; i++) {
        const sent = message(i);
        await client.mysend(sent);
        const echoed = await client.myreceive();
        isIntact &&= echoed.equals(sent);
      }
      await serving;
      return {
        messages: count,
        isIntact,
        client: { sendCalls: client.sendCalls, recvCalls: client.recvCalls },
        server: { sendCalls: server.sendCalls, recvCalls: server.recvCalls },
      };
    } finally {
      server.sock.close();
    }
  } finally {
    client.sock.close();
    serversocket.close();
  }
}

/** `03-mysocket-fixed-length.js [messages]`: the exchange above, with the call counts printed. */
export async function main(args: readonly string[], print: (line: string) => void = console.log): Promise<ExchangeReport> {
  const count = Number(args[0] ?? 3);
  if (!Number.isInteger(count) || count < 1 || count > 1000) throw new RangeError(`Not a message count: ${String(args[0])}`);
  const report = await exchange(count);
  print(`${report.messages} messages of MSGLEN=${MSGLEN} bytes each way, echoed ${report.isIntact ? 'intact' : 'CORRUPTED'}`);
  print(`client: ${report.client.sendCalls} send() calls, ${report.client.recvCalls} recv() calls`);
  print(`server: ${report.server.sendCalls} send() calls, ${report.server.recvCalls} recv() calls`);
  return report;
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main(process.argv.slice(2)).catch((error: unknown) => {
    console.error(String(error));
    process.exitCode = 1;
  });
}
