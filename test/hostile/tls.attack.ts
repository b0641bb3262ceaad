// The hostile suite over TLS (`serve ... --tls-cert --tls-key` with the test certificates): slow
// handshakes, and the worst plain attacks again with OpenSSL between the kernel and the parser.
import test from 'ava';
import * as net from 'node:net';
import { BOUNDS } from './bounds.js';
import { checkSample, serverFor } from './attack-helpers.js';
import { pipelinedGets, postsNeverRead, unfinishedArrays } from './attacks.js';
import { attackFor, underAttack } from './harness.js';

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
  const { sample, result } = await pipelinedGets(server);
  t.deepEqual(result, Array<number>(8).fill(10_000));
  checkSample(t, server, sample, BOUNDS.pipelinedHttp);
});

test.serial('tls: a client POSTing 1 MiB bodies and never reading stalls at the high-water mark plus one body', async (t) => {
  t.timeout(120_000);
  const server = await serverFor(t, { server: 'http', tls: true });
  const { sample } = await postsNeverRead(server);
  checkSample(t, server, sample, BOUNDS.postNeverRead);
});

test.serial('tls: one connection holding an unfinished 1,048,576-element array costs at most twice redis-server', async (t) => {
  t.timeout(120_000);
  const server = await serverFor(t, { server: 'resp', tls: true });
  const { sample } = await unfinishedArrays(server, 1);
  checkSample(t, server, sample, { rssMiB: BOUNDS.unfinishedArray.rssMiB / 4, fds: 1 + 2 });
});
