// Two SSLSockets on the ends of one connection (socketpair, TCP or Unix), and the HOWTO's select()
// loop that drives their handshakes, for the TLS tests. Every socket is closed at teardown.
import type { ExecutionContext } from 'ava';
import { select } from '../../src/reactor/select.js';
import type { Socket } from '../../src/transports/socket.js';
import { socketpair } from '../../src/transports/socket-module.js';
import { SSLWantReadError, SSLWantWriteError } from '../../src/transports/tls/errors.js';
import type { SSLSocket } from '../../src/transports/tls/ssl-socket.js';
import { TLSContext, type TLSContextOptions } from '../../src/transports/tls/tls-context.js';
import { closing } from './sockets.js';
import { testCerts } from './tls-certs.js';

export interface TLSPair {
  readonly server: SSLSocket;
  readonly client: SSLSocket;
}

/** A server context with the CA-signed localhost certificate, and a client context trusting the CA. */
export function testContexts(server: TLSContextOptions = {}, client: TLSContextOptions = {}): { serverContext: TLSContext; clientContext: TLSContext } {
  const certs = testCerts();
  return {
    serverContext: new TLSContext('server', { cert: certs.server.cert, key: certs.server.key, ...server }),
    clientContext: new TLSContext('client', { ca: certs.ca, ...client }),
  };
}

/** Wraps both ends for TLS without starting the handshakes (doHandshakeOnConnect: false). */
export function wrapPair(t: ExecutionContext, ends: readonly [Socket, Socket], contexts = testContexts()): TLSPair {
  const [serverEnd, clientEnd] = ends;
  const server = closing(t, contexts.serverContext.wrapSocket(serverEnd, { serverSide: true, doHandshakeOnConnect: false }));
  const client = closing(t, contexts.clientContext.wrapSocket(clientEnd, { serverHostname: 'localhost', doHandshakeOnConnect: false }));
  return { server, client };
}

/** A TLS pair over socketpair() with its handshakes done by the select loop. */
export async function handshakenPair(t: ExecutionContext, contexts = testContexts()): Promise<TLSPair> {
  const pair = wrapPair(t, socketpair(), contexts);
  await handshakeAll([pair.server, pair.client]);
  return pair;
}

/**
 * The HOWTO loop for handshakes: call doHandshake() on each socket, and select() on the ones that
 * want to read or write until all are done. Bounded: 200 rounds, 10 s per select.
 */
export async function handshakeAll(sockets: readonly SSLSocket[]): Promise<void> {
  let waiting = [...sockets];
  for (let round = 0; round < 200 && waiting.length > 0; round++) {
    const wantRead: SSLSocket[] = [];
    const wantWrite: SSLSocket[] = [];
    for (const sock of waiting) {
      try {
        sock.doHandshake();
      } catch (error) {
        if (error instanceof SSLWantReadError) wantRead.push(sock);
        else if (error instanceof SSLWantWriteError) wantWrite.push(sock);
        else throw error;
      }
    }
    waiting = [...wantRead, ...wantWrite];
    if (waiting.length > 0) await select(wantRead, wantWrite, [], 10);
  }
  if (waiting.length > 0) throw new Error(`${waiting.length} handshakes did not finish in 200 rounds`);
}

/**
 * The first handshake failure of `sock`, driven by select() (bounded as handshakeAll). A `peer`
 * wrapped without doHandshakeOnConnect is started first, and finishes its side in the background.
 */
export async function handshakeFailure(sock: SSLSocket, peer?: SSLSocket): Promise<unknown> {
  try {
    peer?.doHandshake();
  } catch (error) {
    if (!(error instanceof SSLWantReadError)) throw error;
  }
  try {
    await handshakeAll([sock]);
  } catch (error) {
    return error;
  }
  throw new Error('the handshake succeeded');
}

/** Reads until `count` bytes came (or EOF), with a select loop that checks pending() as it must. */
export async function recvAll(sock: SSLSocket, count: number): Promise<Buffer> {
  const parts: Buffer[] = [];
  let got = 0;
  for (let round = 0; round < 100_000 && got < count; round++) {
    if (sock.pending() === 0) await select([sock], [], [], 10);
    const data = sock.tryRecv(count - got);
    if (data === null) continue;
    if (data.length === 0) break;
    parts.push(data);
    got += data.length;
  }
  return Buffer.concat(parts);
}
