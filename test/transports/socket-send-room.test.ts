// Issue 17: buffers as large as Linux's in practice. An unset SO_SNDBUF lets a TCP socket's send room
// grow to tcp_wmem[2] (autotuning on loopback) while getsockopt reports the default, so the HOWTO's
// "the server sendall's its whole answer before the client reads" works as on Linux.
import test from 'ava';
import { readFileSync } from 'node:fs';
import { crc32 } from 'node:zlib';
import { DEFAULT_TCP_SNDBUF, SOL_SOCKET, SO_RCVBUF, SO_SNDBUF } from '../../src/transports/constants.js';
import { BlockingIOError } from '../../src/transports/errors.js';
import { newSocket, tcpConnection } from '../helpers/sockets.js';

const ANSWER_BYTES = 2 * 1024 * 1024;

function sysctl(path: string, index: number): number {
  return Number(readFileSync(path, 'utf8').trim().split(/\s+/)[index]);
}

test('A 2 MB sendall completes before the peer reads anything, as on Linux loopback', async (t) => {
  const { client, server } = await tcpConnection(t);
  const answer = Buffer.alloc(ANSWER_BYTES);
  for (let i = 0; i < answer.length; i++) answer[i] = (i * 31) % 251;
  // Nothing reads at the client until sendall has resolved: with a 147 KB limit this never resolved.
  await server.sendall(answer);
  t.is(server.getsockopt(SOL_SOCKET, SO_SNDBUF), DEFAULT_TCP_SNDBUF, 'the default is still reported');
  const parts: Buffer[] = [];
  let received = 0;
  for (let i = 0; i < 100_000 && received < ANSWER_BYTES; i++) {
    const part = await client.recvAsync(1 << 20);
    parts.push(part);
    received += part.length;
  }
  t.is(received, ANSWER_BYTES);
  t.is(crc32(Buffer.concat(parts)), crc32(answer));
});

test('Unset, the send room stops at tcp_wmem[2] plus the peer receive buffer; set, it is SO_SNDBUF', async (t) => {
  const tcpWmemMax = sysctl('/proc/sys/net/ipv4/tcp_wmem', 2);
  const { client, server } = await tcpConnection(t);
  const rcvbuf = client.getsockopt(SOL_SOCKET, SO_RCVBUF);
  const big = Buffer.alloc(tcpWmemMax + rcvbuf + 1);
  t.is(server.send(big), tcpWmemMax + rcvbuf);
  t.throws(() => server.send('x'), { instanceOf: BlockingIOError, code: 'EAGAIN' });
  // Setting SO_SNDBUF locks the size, as SOCK_SNDBUF_LOCK does: no more autotuned room.
  const fixed = await tcpConnection(t);
  fixed.server.setsockopt(SOL_SOCKET, SO_SNDBUF, 50_000);
  t.is(fixed.server.getsockopt(SOL_SOCKET, SO_SNDBUF), 100_000);
  t.is(fixed.server.send(big), 100_000 + rcvbuf);
});

test('SO_SNDBUF and SO_RCVBUF read back as Linux: doubled, floored, capped by wmem_max and rmem_max', (t) => {
  const wmemMax = sysctl('/proc/sys/net/core/wmem_max', 0);
  const rmemMax = sysctl('/proc/sys/net/core/rmem_max', 0);
  const s = newSocket(t);
  // Values and results recorded with CPython on Linux (issue 17): 1 -> 4608/2304, 5000 -> 10000.
  for (const [value, snd, rcv] of [
    [0, 4608, 2304],
    [1, 4608, 2304],
    [2304, 4608, 4608],
    [4607, 9214, 9214],
    [5000, 10000, 10000],
    [1e9, 2 * wmemMax, 2 * rmemMax],
    [-5, 2 * wmemMax, 2 * rmemMax],
  ] as const) {
    s.setsockopt(SOL_SOCKET, SO_SNDBUF, value);
    s.setsockopt(SOL_SOCKET, SO_RCVBUF, value);
    t.deepEqual([s.getsockopt(SOL_SOCKET, SO_SNDBUF), s.getsockopt(SOL_SOCKET, SO_RCVBUF)], [snd, rcv], `value ${value}`);
  }
});
