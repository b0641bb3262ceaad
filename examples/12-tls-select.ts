// The HOWTO's select() loop over TLS, as Python's ssl module does it: every socket is non-blocking,
// each accepted one is wrapped with doHandshakeOnConnect false, and the loop calls doHandshake()
// until it stops raising SSLWantReadError/SSLWantWriteError. Then it echoes.
//
// The one rule TLS adds: after recv(), check pending(). OpenSSL reads whole records, so bytes of a
// record already decrypted wait in the SSL buffer while the socket itself is not readable: a loop
// that only trusts select() would wait for them forever.
//
//     npm run build && node dist/examples/12-tls-select.js CERT.pem KEY.pem CA.pem [clients]
import { readFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import {
  AF_INET,
  type SSLSocket,
  SSLWantReadError,
  SSLWantWriteError,
  type Socket,
  TLSContext,
  createDefaultContext,
  select,
  socket,
} from '../src/index.js';

/** What the loop knows about one TLS connection, either end. */
interface Conn {
  readonly sock: SSLSocket;
  readonly isClient: boolean;
  isHandshaken: boolean;
  /** Client: what it still has to send. Server: the echo it still owes. */
  outgoing: Buffer;
  /** Client: the echo so far. */
  readonly received: Buffer[];
  expected: number;
}

/** Rounds of select() before the example gives up (it needs a few dozen). */
const MAX_ROUNDS = 10_000;

/**
 * One select() loop serving TLS echo on a listener and driving one client per message against it.
 * Resolves with each client's echo, in order.
 */
export async function echoOverTLS(serverContext: TLSContext, clientContext: TLSContext, messages: readonly Buffer[]): Promise<Buffer[]> {
  const listener = socket(AF_INET);
  listener.bind(['127.0.0.1', 0]);
  listener.listen(messages.length);
  const conns: Conn[] = [];
  for (const message of messages) {
    const raw = socket(AF_INET);
    await raw.connectAsync(listener.getsockname());
    const sock = clientContext.wrapSocket(raw, { serverHostname: 'localhost', doHandshakeOnConnect: false });
    conns.push({ sock, isClient: true, isHandshaken: false, outgoing: message, received: [], expected: message.length });
  }
  const clients = [...conns];
  try {
    for (let round = 0; round < MAX_ROUNDS && clients.some((c) => c.sock.fileno() >= 0); round++) {
      const open = conns.filter((c) => c.sock.fileno() >= 0);
      const [readable, writable] = await select<Socket | SSLSocket>(
        [listener, ...open.map((c) => c.sock)],
        open.filter((c) => c.outgoing.length > 0 && c.isHandshaken).map((c) => c.sock),
        [],
        10,
      );
      if (readable.includes(listener)) acceptAll(listener, serverContext, conns);
      for (const conn of open) {
        if (readable.includes(conn.sock) || writable.includes(conn.sock) || !conn.isHandshaken) step(conn);
      }
    }
  } finally {
    listener.close();
    for (const conn of conns) conn.sock.close();
  }
  return clients.map((c) => Buffer.concat(c.received));
}

function acceptAll(listener: Socket, context: TLSContext, conns: Conn[]): void {
  for (;;) {
    let accepted: Socket;
    try {
      [accepted] = listener.accept();
    } catch {
      return;
    }
    const sock = context.wrapSocket(accepted, { serverSide: true, doHandshakeOnConnect: false });
    conns.push({ sock, isClient: false, isHandshaken: false, outgoing: Buffer.alloc(0), received: [], expected: 0 });
  }
}

/** Whatever this connection can do now: shake hands, send, read (draining pending()). */
function step(conn: Conn): void {
  if (!conn.isHandshaken) {
    try {
      conn.sock.doHandshake();
      conn.isHandshaken = true;
    } catch (error) {
      if (error instanceof SSLWantReadError || error instanceof SSLWantWriteError) return;
      throw error;
    }
  }
  send(conn);
  // One recv per readiness, as the HOWTO does; then the TLS rule: drain what pending() says is
  // already decrypted, since select() will not report it.
  let data: Buffer;
  try {
    data = conn.sock.recv(1024);
  } catch (error) {
    if (error instanceof SSLWantReadError) return;
    throw error;
  }
  received(conn, data);
  while (conn.sock.fileno() >= 0 && conn.sock.pending() > 0) received(conn, conn.sock.recv(conn.sock.pending()));
}

function received(conn: Conn, data: Buffer): void {
  if (data.length === 0) {
    conn.sock.close();
    return;
  }
  if (conn.isClient) {
    conn.received.push(data);
    conn.expected -= data.length;
    if (conn.expected <= 0) conn.sock.close();
    return;
  }
  conn.outgoing = Buffer.concat([conn.outgoing, data]);
  send(conn);
}

function send(conn: Conn): void {
  if (conn.outgoing.length === 0 || conn.sock.fileno() < 0) return;
  try {
    conn.outgoing = conn.outgoing.subarray(conn.sock.send(conn.outgoing));
  } catch (error) {
    if (!(error instanceof SSLWantWriteError || error instanceof SSLWantReadError)) throw error;
  }
}

/** Runs `clients` clients with messages of growing size; says whether every echo came back intact. */
export async function main(args: readonly string[], out: (line: string) => void): Promise<boolean> {
  const [certFile, keyFile, caFile, count = '5'] = args;
  if (certFile === undefined || keyFile === undefined || caFile === undefined) {
    out('usage: 12-tls-select.js CERT.pem KEY.pem CA.pem [clients]');
    return false;
  }
  const serverContext = new TLSContext('server', { cert: readFileSync(certFile), key: readFileSync(keyFile) });
  const clientContext = createDefaultContext({ cafile: caFile });
  const messages = Array.from({ length: Number(count) }, (_, i) => Buffer.alloc(1000 * (i + 1), 65 + (i % 26)));
  const echoes = await echoOverTLS(serverContext, clientContext, messages);
  const intact = echoes.every((echo, i) => echo.equals(messages[i] ?? Buffer.alloc(1)));
  out(`${messages.length} TLS clients through one select() loop; echoes ${intact ? 'intact' : 'damaged'}`);
  return intact;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  process.exitCode = (await main(process.argv.slice(2), (line) => console.log(line))) ? 0 : 1;
}
