// The socket HOWTO, "When Sockets Die": a peer that stops talking, detected with a timeout.
//
// "Probably the worst thing about using blocking sockets is what happens when the other side comes
// down hard (without doing a close). Your socket is likely to hang. TCP is a reliable protocol, and
// it will wait a long, long time before giving up on a connection."
//
// A dead peer sends neither data nor a FIN, so recv never returns, not even b''. The HOWTO's way
// out is to stop waiting: settimeout(t) bounds the awaitable calls, and recvAsync raises
// TimeoutError (Python's socket.timeout) after t seconds of silence; then the connection is closed
// as dead. (SO_KEEPALIVE would let the kernel notice too, but after hours by default.) Here the dead
// peer is simulated by a socket that stays open and never sends.
//
//     npm run build && node dist/examples/09-dead-peer-timeout.js [timeout seconds]
import { pathToFileURL } from 'node:url';
import { AF_INET, SOCK_STREAM, type Socket, TimeoutError, select, socket } from '../src/index.js';

/** How long a silent peer is given before it is presumed dead. */
export const DEAD_PEER_TIMEOUT = 0.3;
/** A bound for waiting on a peer that is known to be alive: it answers long before. */
const LIVE_PEER_TIMEOUT = 10;

export type Heard = { readonly kind: 'data'; readonly data: Buffer } | { readonly kind: 'eof' } | { readonly kind: 'dead'; readonly error: TimeoutError };

/** Waits at most `timeout` seconds for the peer to say something (data, or EOF if it closed). */
export async function listenTo(sock: Socket, timeout = DEAD_PEER_TIMEOUT): Promise<Heard> {
  sock.settimeout(timeout);
  try {
    const data = await sock.recvAsync(4096);
    return data.length === 0 ? { kind: 'eof' } : { kind: 'data', data };
  } catch (error) {
    if (error instanceof TimeoutError) return { kind: 'dead', error };
    throw error;
  }
}

/** Everything the peer says until it closes or falls silent for `timeout` seconds (at most `maxChunks`). */
export async function listenUntilSilent(sock: Socket, timeout = DEAD_PEER_TIMEOUT, maxChunks = 1000): Promise<{ said: Buffer; end: Heard['kind'] }> {
  const chunks: Buffer[] = [];
  for (let i = 0; i < maxChunks; i++) {
    const heard = await listenTo(sock, timeout);
    if (heard.kind !== 'data') return { said: Buffer.concat(chunks), end: heard.kind };
    chunks.push(heard.data);
  }
  throw new RangeError(`The peer said more than ${maxChunks} chunks`);
}

export interface Peer {
  /** Our end of the connection. */
  readonly sock: Socket;
  /** The peer's end: send on it to talk, close it to hang up, or leave it be to play dead. */
  readonly peer: Socket;
  close(): void;
}

/** A connection over localhost, both ends ours. */
export async function connectedPeer(): Promise<Peer> {
  const serversocket = socket(AF_INET, SOCK_STREAM);
  serversocket.bind(['localhost', 0]);
  serversocket.listen(5);
  const sock = socket(AF_INET, SOCK_STREAM);
  try {
    const accepting = serversocket.acceptAsync();
    await sock.connectAsync(serversocket.getsockname());
    const [peer] = await accepting;
    return {
      sock,
      peer,
      close() {
        sock.close();
        peer.close();
      },
    };
  } catch (error) {
    sock.close();
    throw error;
  } finally {
    serversocket.close();
  }
}

export async function main(args: readonly string[], print: (line: string) => void = console.log): Promise<Heard['kind'][]> {
  const timeout = Number(args[0] ?? DEAD_PEER_TIMEOUT);
  if (!Number.isFinite(timeout) || timeout <= 0 || timeout > 60) throw new RangeError(`Not a timeout: ${String(args[0])}`);
  const ends: Heard['kind'][] = [];
  // A peer that talks, then stops talking without closing: it has "come down hard".
  const dying = await connectedPeer();
  try {
    await dying.peer.sendall('still here\n');
    // Its words cross loopback within an event-loop turn or so; wait for them rather than let a
    // short timeout race them. The silence after them is what the timeout measures.
    await select([dying.sock], [], [], LIVE_PEER_TIMEOUT);
    const { said, end } = await listenUntilSilent(dying.sock, timeout);
    print(`the peer said ${JSON.stringify(said.toString())}, then nothing for ${timeout} s: presumed ${end}`);
    ends.push(end);
  } finally {
    dying.close(); // give up on it: close our end
  }
  // A peer that hangs up properly is no mystery: recv returns b'' at once.
  const polite = await connectedPeer();
  try {
    polite.peer.close();
    const heard = await listenTo(polite.sock, LIVE_PEER_TIMEOUT);
    print(`a peer that closes is heard at once: ${heard.kind}`);
    ends.push(heard.kind);
  } finally {
    polite.close();
  }
  return ends;
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main(process.argv.slice(2)).catch((error: unknown) => {
    console.error(String(error));
    process.exitCode = 1;
  });
}
