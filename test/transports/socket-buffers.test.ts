// The emulated kernel buffers: a sender that outruns a receiver meets EAGAIN, the receive queue
// stays within SO_RCVBUF (plus the chunk in flight) because node:net is paused and TCP flow control
// reaches the peer, and every byte still arrives once the receiver reads (DESIGN.md section 1).
import test from 'ava';
import * as net from 'node:net';
import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import { crc32 } from 'node:zlib';
import { SHUT_WR, SOL_SOCKET, SO_RCVBUF, SO_SNDBUF } from '../../src/transports/constants.js';
import { BlockingIOError } from '../../src/transports/errors.js';
import type { Socket } from '../../src/transports/socket.js';
import { select } from '../../src/reactor/select.js';
import { closing, newSocket, tcpConnection } from '../helpers/sockets.js';

const MiB = 1024 * 1024;
const TOTAL = 64 * MiB;
/** The most node:net hands over in one 'data' event: the "one chunk" past SO_RCVBUF. */
const NODE_CHUNK = 65536;
const SEND_CHUNK = 65536;
/** The stream is byte i = i % 251 (a prime, so no power-of-two chunking lines up with it). */
const PERIOD = 251;
const PATTERN = Buffer.alloc(PERIOD + MiB);
for (let i = 0; i < PATTERN.length; i++) PATTERN[i] = i % PERIOD;

/** The pattern bytes at stream offset `offset`, as a view (length at most 1 MiB). */
function patternAt(offset: number, length: number): Buffer {
  const start = offset % PERIOD;
  return PATTERN.subarray(start, start + length);
}

/** True when `chunk` is exactly the pattern at stream offset `offset`. */
function matchesPattern(chunk: Buffer, offset: number): boolean {
  for (let done = 0; done < chunk.length; done += MiB) {
    const part = chunk.subarray(done, done + MiB);
    if (!part.equals(patternAt(offset + done, part.length))) return false;
  }
  return true;
}

interface Received {
  total: number;
  crc: number;
  largest: number;
  mismatchAt: number | undefined;
}

/** Reads to EOF with recvAsync, checking each chunk against the pattern (nothing is kept). */
async function readAll(sock: Socket, received: Received): Promise<void> {
  for (let round = 0; round < 10 * TOTAL; round++) {
    const chunk = await sock.recvAsync(1 << 30);
    if (chunk.length === 0) return;
    if (received.mismatchAt === undefined && !matchesPattern(chunk, received.total)) received.mismatchAt = received.total;
    received.crc = crc32(chunk, received.crc);
    received.largest = Math.max(received.largest, chunk.length);
    received.total += chunk.length;
  }
  throw new Error('readAll: no EOF');
}

test('A TCP sender pushing 64 MiB at a socket that does not read meets EAGAIN, then every byte arrives', async (t) => {
  const { client, server } = await tcpConnection(t);
  const rcvbuf = server.getsockopt(SOL_SOCKET, SO_RCVBUF);
  let sent = 0;
  let sentCrc = 0;
  let wouldBlock = 0;
  /** Sends until EAGAIN (true) or until everything is sent (false). */
  const sendUntilBlocked = (): boolean => {
    for (let i = 0; i < TOTAL && sent < TOTAL; i++) {
      const piece = patternAt(sent, Math.min(SEND_CHUNK, TOTAL - sent));
      let accepted: number;
      try {
        accepted = client.send(piece);
      } catch (error) {
        if (!(error instanceof BlockingIOError) || error.code !== 'EAGAIN') throw error;
        wouldBlock += 1;
        return true;
      }
      sentCrc = crc32(piece.subarray(0, accepted), sentCrc);
      sent += accepted;
    }
    return false;
  };

  // The receiver does not read: the sender fills both buffers and is refused.
  t.true(sendUntilBlocked(), 'send never raised EAGAIN');
  t.true(sent < TOTAL);
  const sentBeforeReading = sent;
  // Nothing is read, so the sender stays blocked however long it waits (0.2 s here).
  t.deepEqual(await select([], [client], [], 0.2), [[], [], []]);
  t.throws(() => client.send('x'), { instanceOf: BlockingIOError, code: 'EAGAIN' });
  // What the receiver holds is what one recv can take at once: within SO_RCVBUF plus one chunk.
  const first = await server.recvAsync(1 << 30);
  t.log(`sent ${sentBeforeReading} bytes before EAGAIN; the receiver held ${first.length} (SO_RCVBUF ${rcvbuf})`);
  t.true(first.length > 0);
  t.true(first.length <= rcvbuf + NODE_CHUNK, `the receive queue held ${first.length} bytes`);
  t.true(matchesPattern(first, 0));

  const received: Received = { total: first.length, crc: crc32(first), largest: first.length, mismatchAt: undefined };
  const writer = async (): Promise<void> => {
    for (let round = 0; round < TOTAL && sent < TOTAL; round++) {
      if (sendUntilBlocked()) await select([], [client], [], null);
    }
    client.shutdown(SHUT_WR);
  };
  await Promise.all([writer(), readAll(server, received)]);
  t.log(`EAGAIN ${wouldBlock} times; largest single recv ${received.largest} bytes`);
  t.is(sent, TOTAL);
  t.is(received.total, TOTAL);
  t.is(received.mismatchAt, undefined);
  t.is(received.crc, sentCrc);
  t.true(received.largest <= rcvbuf + NODE_CHUNK);
  t.true(wouldBlock > 1);
});

/**
 * The kernel's receive queue (rx_queue, bytes) of the IPv4 loopback connection from `remotePort` to
 * `localPort`, from /proc/net/tcp (the kernel's own count; 0 if the connection is not listed).
 */
function kernelReceiveQueue(localPort: number, remotePort: number): number {
  const hexPort = (port: number): string => port.toString(16).toUpperCase().padStart(4, '0');
  for (const line of readFileSync('/proc/net/tcp', 'utf8').split('\n').slice(1)) {
    const fields = line.trim().split(/\s+/);
    const [local, remote, , queues] = fields.slice(1, 5);
    if (local?.endsWith(`:${hexPort(localPort)}`) && remote?.endsWith(`:${hexPort(remotePort)}`)) {
      return Number.parseInt(queues?.split(':')[1] ?? '0', 16);
    }
  }
  return 0;
}

test('A socket that does not read holds back a node:net sender of 64 MiB by TCP flow control', async (t) => {
  const listener = newSocket(t);
  const rcvbuf = 65536;
  // Linux doubles the value set, and so does the emulation (docs/semantics.md).
  listener.setsockopt(SOL_SOCKET, SO_RCVBUF, rcvbuf / 2);
  listener.bind(['127.0.0.1', 0]);
  listener.listen(1);
  const name = listener.getsockname();
  if (!Array.isArray(name)) throw new TypeError('expected a tuple');
  const peer = closing(t, net.connect({ host: '127.0.0.1', port: Number(name[1]) }));
  await once(peer, 'connect');
  const [server] = await listener.acceptAsync();
  closing(t, server);
  t.is(server.getsockopt(SOL_SOCKET, SO_RCVBUF), rcvbuf);

  // node:net queues whatever the kernel does not take; views of PATTERN, so nothing is copied.
  let lastWritten: Promise<void> = Promise.resolve();
  for (let offset = 0; offset < TOTAL; offset += SEND_CHUNK) {
    const piece = patternAt(offset, SEND_CHUNK);
    lastWritten = new Promise((resolve) => peer.write(piece, () => resolve()));
  }
  peer.end();
  // Flow control reaches the kernel: once the emulated queue is full, node:net stops reading, so the
  // real kernel's receive queue of this connection fills (node:net reading on would keep it near 0).
  // A wait on that condition, read from /proc/net/tcp, instead of a sleep of guessed length.
  const serverPort = Number(name[1]);
  let kernelQueued = 0;
  for (let round = 0; round < 1000 && kernelQueued < rcvbuf; round++) {
    await new Promise((resolve) => setTimeout(resolve, 10));
    kernelQueued = kernelReceiveQueue(serverPort, peer.localPort ?? 0);
  }
  t.true(kernelQueued >= rcvbuf, `the kernel queued ${kernelQueued} bytes for the paused receiver`);
  // 64 MiB is far more than the kernel buffers of a loopback connection: the sender is held back.
  t.true(peer.writableLength > 0, 'node:net still queues part of the 64 MiB');
  const first = await server.recvAsync(1 << 30);
  t.log(`the receiver held ${first.length} bytes (SO_RCVBUF ${rcvbuf}); node:net still queued ${peer.writableLength}`);
  t.true(first.length <= rcvbuf + NODE_CHUNK, `the receive queue held ${first.length} bytes`);
  t.true(peer.writableLength > 0);
  const received: Received = { total: first.length, crc: crc32(first), largest: first.length, mismatchAt: undefined };
  t.true(matchesPattern(first, 0));
  await readAll(server, received);
  await lastWritten;
  t.is(received.total, TOTAL);
  t.is(received.mismatchAt, undefined);
  t.true(received.largest <= rcvbuf + NODE_CHUNK);
});

test('A TCP sender to a node:net peer that does not read meets EAGAIN, then resumes as it reads', async (t) => {
  let accepted: net.Socket | undefined;
  const server = net.createServer({ pauseOnConnect: true }, (conn) => {
    accepted = conn;
  });
  t.teardown(() => {
    accepted?.destroy();
    server.close();
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const address = server.address();
  if (address === null || typeof address === 'string') throw new TypeError('a TCP server has a port');
  const client = newSocket(t);
  client.setsockopt(SOL_SOCKET, SO_SNDBUF, 32768);
  await client.connectAsync(['127.0.0.1', address.port]);
  // No peer in this process: the send buffer is what node:net holds back, as the kernel would.
  const piece = Buffer.alloc(SEND_CHUNK, 0x5a);
  let sent = 0;
  let blocked = false;
  for (let round = 0; round < 4096 && !blocked; round++) {
    try {
      for (let i = 0; i < 1024; i++) sent += client.send(piece);
    } catch (error) {
      if (!(error instanceof BlockingIOError)) throw error;
      blocked = true;
    }
    // Let node:net hand what it holds to the kernel before trying again.
    if (!blocked) await select([], [client], [], null);
  }
  t.true(blocked, `no EAGAIN after ${sent} bytes`);
  t.deepEqual(await select([], [client], [], 0.2), [[], [], []]);
  // The peer starts reading: room comes back and a waiting select sees it.
  let received = 0;
  const conn = accepted;
  if (conn === undefined) throw new Error('the server saw no connection');
  conn.on('data', (chunk: Buffer) => {
    received += chunk.length;
  });
  conn.resume();
  t.deepEqual(await select([], [client], [], null), [[], [client], []]);
  sent += client.send('tail');
  client.shutdown(SHUT_WR);
  await once(conn, 'end');
  t.is(received, sent);
});

test('send copies what it queues, so the caller may reuse its buffer at once', async (t) => {
  const { client, server } = await tcpConnection(t);
  const data = Buffer.from('original');
  t.is(client.send(data), data.length);
  data.write('CHANGED!');
  const view = new Uint8Array([1, 2, 3]);
  await client.sendall(view);
  view.fill(9);
  const got: Buffer[] = [];
  for (let i = 0; i < 100 && Buffer.concat(got).length < 11; i++) got.push(await server.recvAsync(100));
  t.deepEqual(Buffer.concat(got), Buffer.concat([Buffer.from('original'), Buffer.from([1, 2, 3])]));
});

test('Lowering SO_SNDBUF below what is queued makes a socket unwritable until the peer reads', async (t) => {
  const { client, server } = await tcpConnection(t);
  // Linux doubles a value set: 2500 gives 5000 bytes of room on each side.
  client.setsockopt(SOL_SOCKET, SO_SNDBUF, 2500);
  server.setsockopt(SOL_SOCKET, SO_RCVBUF, 2500);
  t.is(client.send(Buffer.alloc(20000, 1)), 10000);
  t.deepEqual(await select([], [client], [], 0), [[], [], []]);
  client.setsockopt(SOL_SOCKET, SO_SNDBUF, 10000);
  t.deepEqual(await select([], [client], [], 0), [[], [client], []]);
  t.is(client.send(Buffer.alloc(20000, 2)), 15000);
  let drained = 0;
  for (let i = 0; i < 1000 && drained < 25000; i++) drained += (await server.recvAsync(1 << 20)).length;
  t.is(drained, 25000);
});

test('close sends everything send accepted before the FIN, even what node:net still queues', async (t) => {
  let accepted: net.Socket | undefined;
  const server = net.createServer({ pauseOnConnect: true, allowHalfOpen: true }, (conn) => {
    accepted = conn;
  });
  t.teardown(() => {
    accepted?.destroy();
    server.close();
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const address = server.address();
  if (address === null || typeof address === 'string') throw new TypeError('a TCP server has a port');
  const client = newSocket(t);
  await client.connectAsync(['127.0.0.1', address.port]);
  // Fill until node:net itself holds bytes back (the peer does not read), then close.
  const piece = Buffer.alloc(SEND_CHUNK, 0x33);
  let sent = 0;
  let blocked = false;
  for (let round = 0; round < 4096 && !blocked; round++) {
    try {
      for (let i = 0; i < 1024; i++) sent += client.send(piece);
    } catch (error) {
      if (!(error instanceof BlockingIOError)) throw error;
      blocked = true;
    }
    if (!blocked) await select([], [client], [], null);
  }
  t.true(blocked);
  client.close();
  const conn = accepted;
  if (conn === undefined) throw new Error('the server saw no connection');
  let received = 0;
  conn.on('data', (chunk: Buffer) => {
    received += chunk.length;
  });
  conn.resume();
  await once(conn, 'end');
  t.is(received, sent);
});
