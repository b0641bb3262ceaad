// The hostile suite over TLS (`serve ... --tls-cert --tls-key` with the test certificates): slow
// handshakes, and the worst plain attacks again with OpenSSL between the kernel and the parser.
import test from 'ava';
import * as net from 'node:net';
import { BOUNDS } from './bounds.js';
import { HARMLESS_POSTS, NODE_HTTP_PLAIN } from './peers.js';
import { attackTests } from './attack-table.js';
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

const HTTPS = { server: 'http', tls: true } as const;

attackTests([
  { title: 'tls: eight connections of 10,000 pipelined requests are all answered, in bounds', spec: HTTPS, attack: pipelinedGets, expected: Array<number>(8).fill(10_000), bound: BOUNDS.pipelinedHttp, reference: NODE_HTTP_PLAIN },
  { title: 'tls: a client POSTing 1 MiB bodies and never reading stalls at the high-water mark plus one body', spec: HTTPS, attack: postsNeverRead, bound: BOUNDS.postNeverRead, reference: HARMLESS_POSTS },
  {
    title: 'tls: one connection holding an unfinished 1,048,576-element array costs at most twice redis-server',
    spec: { server: 'resp', tls: true },
    attack: (server) => unfinishedArrays(server, 1),
    bound: { rssMiB: BOUNDS.unfinishedArray.rssMiB / 4, fds: 1 + 2 },
  },
]);
