// The hostile suite over TLS (`serve ... --tls-cert --tls-key` with the test certificates): slow
// handshakes, and the worst plain attacks again with OpenSSL between the kernel and the parser.
import test from 'ava';
import * as net from 'node:net';
import { BOUNDS } from './bounds.js';
import { attackFor, openMany, underAttack } from './harness.js';
import { checkSample, countAnswers, serverFor, writeFor } from './attack-helpers.js';

const MiB = 1024 * 1024;

test.serial('tls: 200 connections that never send a ClientHello leave TLS clients answered', async (t) => {
  t.timeout(120_000);
  const server = await serverFor(t, { server: 'http', tls: true });
  const sample = await underAttack(server, async () => {
    const silent: net.Socket[] = [];
    for (let i = 0; i < 200; i++) {
      const socket = net.connect({ host: '127.0.0.1', port: server.port });
      socket.on('error', () => undefined);
      silent.push(socket);
      await new Promise<void>((resolve) => socket.once('connect', () => resolve()));
    }
    await attackFor(3000);
    for (const socket of silent) socket.destroy();
  });
  checkSample(t, server, sample, BOUNDS.slowHandshake);
});

test.serial('tls: eight connections of 10,000 pipelined requests are all answered, in bounds', async (t) => {
  t.timeout(240_000);
  const server = await serverFor(t, { server: 'http', tls: true });
  let answered: number[] = [];
  const sample = await underAttack(server, async () => {
    const sockets = await openMany(server, 8);
    const counts = sockets.map((socket) => countAnswers(socket, 'HTTP/1.1 200 ', 10_000));
    for (const socket of sockets) socket.write('GET / HTTP/1.1\r\nHost: hostile\r\n\r\n'.repeat(10_000));
    answered = await Promise.race([Promise.all(counts), attackFor(180_000).then(() => [])]);
    for (const socket of sockets) socket.destroy();
  });
  t.deepEqual(answered, Array<number>(8).fill(10_000));
  checkSample(t, server, sample, BOUNDS.pipelinedHttp);
});

test.serial('tls: a client POSTing 1 MiB bodies and never reading stalls at the high-water mark plus one body', async (t) => {
  t.timeout(120_000);
  const server = await serverFor(t, { server: 'http', tls: true });
  const request = Buffer.concat([Buffer.from(`POST /echo HTTP/1.1\r\nHost: hostile\r\nContent-Length: ${MiB}\r\n\r\n`), Buffer.alloc(MiB, 0x62)]);
  const sample = await underAttack(server, async () => {
    const [socket] = await openMany(server, 1);
    if (socket === undefined) return;
    socket.pause();
    await writeFor(socket, 8000, () => request);
    socket.destroy();
  });
  checkSample(t, server, sample, BOUNDS.postNeverRead);
});

test.serial('tls: one connection holding an unfinished 1,048,576-element array costs at most twice redis-server', async (t) => {
  t.timeout(120_000);
  const server = await serverFor(t, { server: 'resp', tls: true });
  const attack = Buffer.concat([Buffer.from('*1048576\r\n'), Buffer.from('$0\r\n\r\n'.repeat(1_048_575))]);
  const sample = await underAttack(server, async () => {
    const [socket] = await openMany(server, 1);
    if (socket === undefined) return;
    await new Promise<void>((resolve) => socket.write(attack, () => resolve()));
    await attackFor(3000);
    socket.destroy();
  });
  checkSample(t, server, sample, { rssMiB: BOUNDS.unfinishedArray.rssMiB / 4, fds: 1 + 2 });
});
