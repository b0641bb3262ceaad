// The hostile suite against `serve http` (plain; tls.attack.ts repeats the worst over TLS): each
// attack of issue 13 at the scale that broke it, against the built CLI in a child process. Each
// asserts the server is alive, a normal client is answered within 2 s meanwhile, and RSS and
// descriptors (from /proc) stay under the bounds in docs/limits.md (bounds.ts).
import test from 'ava';
import { BOUNDS } from './bounds.js';
import { HARMLESS_POSTS, NODE_HTTP } from './peers.js';
import { attackTests } from './attack-table.js';
import { checkSample, resetAtRandom, serverFor, settledFds, statusOf } from './attack-helpers.js';
import { headsOfHugeBodies, oneByteChunks, pacedGetsNeverRead, pipelinedGets, postsNeverRead, slowBodies } from './attacks.js';
import { fdsOf, underAttack } from './harness.js';

const GET = 'GET / HTTP/1.1\r\nHost: hostile\r\n\r\n';
const HTTP = { server: 'http' } as const;

attackTests([
  { title: 'http: eight connections of 10,000 pipelined requests are all answered, in bounds', spec: HTTP, attack: pipelinedGets, expected: Array<number>(8).fill(10_000), bound: BOUNDS.pipelinedHttp, reference: NODE_HTTP },
  { title: 'http: a client POSTing 1 MiB bodies and never reading stalls at the write high-water mark plus one body', spec: HTTP, attack: postsNeverRead, bound: BOUNDS.postNeverRead, reference: HARMLESS_POSTS },
  { title: 'http: 16 paced GET pipelines that never read hold a high-water mark and a chunk each', spec: HTTP, attack: pacedGetsNeverRead, bound: BOUNDS.pacedGetNeverRead },
  { title: 'http: a 4 MiB body in 1-byte chunks costs about the body, not an object per chunk', spec: HTTP, attack: oneByteChunks, expected: true, bound: BOUNDS.oneByteChunks },
  { title: 'http: 30 pipelined HEAD /bytes/<1 TiB> in one packet do not block other clients', spec: HTTP, attack: headsOfHugeBodies, expected: 30, bound: BOUNDS.headHuge },
  { title: 'http: 200 slow bodies (head complete, a byte every 200 ms) leave other clients answered', spec: HTTP, attack: slowBodies, bound: BOUNDS.slowBody },
]);

test.serial('http: 300 connections reset at random moments leave no descriptor behind', async (t) => {
  t.timeout(120_000);
  const server = await serverFor(t, { server: 'http' });
  const script = Buffer.from(`${GET}POST /echo HTTP/1.1\r\nHost: h\r\nContent-Length: 10\r\n\r\n0123456789GET /bytes/100000 HTTP/1.1\r\nHost: h\r\n\r\n${GET}`);
  let after = 0;
  let base = 0;
  const sample = await underAttack(server, async () => {
    base = fdsOf(server.pid);
    await resetAtRandom(server, script, 300, 13);
    after = await settledFds(server, base, BOUNDS.resets.fdsAfter);
  });
  checkSample(t, server, sample, { rssMiB: BOUNDS.resets.rssMiB });
  t.true(after - base <= BOUNDS.resets.fdsAfter, `${after - base} descriptors left`);
});

/** Requests with huge, negative and non-numeric values in every numeric field of HTTP. */
const BAD_NUMBERS = [
  'POST /echo HTTP/1.1\r\nHost: h\r\nContent-Length: -1\r\n\r\n',
  'POST /echo HTTP/1.1\r\nHost: h\r\nContent-Length: 99999999999999999999999999\r\n\r\n',
  'POST /echo HTTP/1.1\r\nHost: h\r\nContent-Length: 9007199254740993\r\n\r\n',
  'POST /echo HTTP/1.1\r\nHost: h\r\nContent-Length: abc\r\n\r\n',
  'POST /echo HTTP/1.1\r\nHost: h\r\nContent-Length: 1e3\r\n\r\n',
  'POST /echo HTTP/1.1\r\nHost: h\r\nContent-Length: 0x10\r\n\r\n',
  'POST /echo HTTP/1.1\r\nHost: h\r\nContent-Length: +5\r\n\r\nhello',
  'POST /echo HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\nffffffffffffffffffffffff\r\n',
  'POST /echo HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n-1\r\n',
  'POST /echo HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n',
  'GET /bytes/-1 HTTP/1.1\r\nHost: h\r\n\r\n',
  'GET /bytes/99999999999999999999999 HTTP/1.1\r\nHost: h\r\n\r\n',
  'GET /bytes/9007199254740993 HTTP/1.1\r\nHost: h\r\n\r\n',
  'GET /bytes/abc HTTP/1.1\r\nHost: h\r\n\r\n',
  'GET /bytes/1e99 HTTP/1.1\r\nHost: h\r\n\r\n',
  'GET /bytes/NaN HTTP/1.1\r\nHost: h\r\n\r\n',
  'GET /bytes/Infinity HTTP/1.1\r\nHost: h\r\n\r\n',
  'GET / HTTP/99999999999999999999.1\r\nHost: h\r\n\r\n',
  'GET / HTTP/-1.1\r\nHost: h\r\n\r\n',
  'GET / HTTP/1.99999999999\r\nHost: h\r\n\r\n',
];

test.serial('http: huge, negative and non-numeric values in every numeric field get an error answer', async (t) => {
  t.timeout(120_000);
  const server = await serverFor(t, { server: 'http' });
  const answers: string[] = [];
  let base = 0;
  let after = 0;
  const sample = await underAttack(server, async () => {
    base = fdsOf(server.pid);
    for (const request of BAD_NUMBERS) answers.push(await statusOf(server, request, /^HTTP\/1\.1 \d{3}/));
    after = await settledFds(server, base, BOUNDS.badNumbers.fdsAfter);
  });
  const wrong = BAD_NUMBERS.map((request, i) => [request.split('\r\n')[request.startsWith('GET') ? 0 : 2], answers[i] ?? ''])
    .filter(([, answer]) => !/^HTTP\/1\.1 [45]\d\d/.test(answer ?? ''));
  t.deepEqual(wrong, [], 'each bad number is answered 4xx/5xx');
  checkSample(t, server, sample, { rssMiB: BOUNDS.badNumbers.rssMiB });
  t.true(after - base <= BOUNDS.badNumbers.fdsAfter, `${after - base} descriptors left`);
});
