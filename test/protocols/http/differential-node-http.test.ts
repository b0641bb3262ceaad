// Differential test against node:http (issue 14): the same raw requests (llhttp's fixtures, the issue's
// cases, a few thousand seeded mutations of valid requests) go to a node:http server and to
// switchboard's HttpServer over loopback, both in this process with the same routes (GET /, POST
// /echo). The final statuses and whether the connection stays open must agree, except for the listed
// differences (DIFFERENCES), each with its reason; the test reports how often each one applied.
import test from 'ava';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { httpFactory } from '../../../src/protocols/apps/http-app.js';
import { serveForTest } from '../../helpers/reactor-server.js';
import { type Analysis, analyze, converse, inParallel, mutate, nodeServer, sameRoutes, seeded } from './differential-harness.js';

const FIXTURES = fileURLToPath(new URL('../../../../test/fixtures/llhttp/request-cases.json', import.meta.url));
const MUTATIONS = 2000;

const VALID: readonly string[] = [
  'GET / HTTP/1.1\r\nHost: a\r\n\r\n',
  'GET /?q=1 HTTP/1.1\r\nHost: a\r\nAccept: */*\r\n\r\n',
  'POST /echo HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\n\r\nhello',
  'POST /echo HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n5;a=b\r\nhello\r\n0\r\n\r\n',
  'GET / HTTP/1.0\r\nConnection: keep-alive\r\n\r\n',
  'GET /nowhere HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n',
  'DELETE / HTTP/1.1\r\nHost: a\r\nContent-Length: 0\r\n\r\n',
];

const P = 'POST /echo HTTP/1.1\r\nHost: a\r\n';
const C = `${P}Transfer-Encoding: chunked\r\n\r\n`;
/** The cases of issue 14, as sent there. */
const ISSUE: readonly string[] = [
  `${P}X-Pad: a\nContent-Length: 41\r\n\r\n`,
  `${P}A: b\rContent-Length: 0\r\n\r\n`,
  `${P}A: b\u0000c\r\n\r\n`,
  `${P}A: b\u0001c\r\n\r\n`,
  `${P}Content-Length: \u000b5\r\n\r\nhello`,
  `${P}Content-Length: 5\u000c\r\n\r\nhello`,
  `${P}Content-Length: 5\u00a0\r\n\r\nhello`,
  `${P}Transfer-Encoding: chunked\u000b\r\n\r\n0\r\n\r\n`,
  `${P}Transfer-Encoding: \u00a0chunked\r\n\r\n0\r\n\r\n`,
  `${C}5 \r\nhello\r\n0\r\n\r\n`,
  `${C} 5\r\nhello\r\n0\r\n\r\n`,
  `${C}5\u000b\r\nhello\r\n0\r\n\r\n`,
  `${C}5;\r\nhello\r\n0\r\n\r\n`,
  `${C}5;a=\u0000\r\nhello\r\n0\r\n\r\n`,
  `${C}5;a\nb\r\nhello\r\n0\r\n\r\n`,
  `${P}A: b\n c\r\n\r\n`,
  `${P}A: b\n\r\n`,
  'GET / HTTP/1.1\r\n\r\n',
  'GET /caf\u00c3\u00a9 HTTP/1.1\r\nHost: a\r\n\r\n',
  'GET /\u0001 HTTP/1.1\r\nHost: a\r\n\r\n',
  'FOO / HTTP/1.1\r\nHost: a\r\n\r\nGET / HTTP/1.1\r\nHost: a\r\n\r\n',
  `${P}Content-Type: text/plain\rX\r\nContent-Length: 0\r\n\r\n`,
  'GET / HTTP/1.0\r\n\r\nGET / HTTP/1.1\r\nHost: a\r\n\r\n',
  'GET / HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\nGET / HTTP/1.1\r\nHost: a\r\n\r\n',
  'GET / HTTP/1.1\nHost: a\n\n',
  `GET / HTTP/1.1\r\nHost: a\r\nX-Big: ${'a'.repeat(100_000)}\r\n\r\n`,
  `${P}Content-Length: 20000000\r\n\r\n`,
  'CONNECT a:443 HTTP/1.1\r\nHost: a:443\r\n\r\n',
];

interface Outcome {
  readonly statuses: readonly number[];
  readonly end: string;
}

function outcome(text: string): Outcome {
  const [statuses = '', end = ''] = text.split('|');
  return { statuses: statuses === '' ? [] : statuses.split(',').map(Number), end };
}

const same = (a: readonly number[], b: readonly number[]): boolean => a.length === b.length && a.every((s, i) => s === b[i]);
const ended = (o: Outcome): boolean => o.end === 'closed' || o.end === 'eof';
function isSubsequence(short: readonly number[], long: readonly number[]): boolean {
  let i = 0;
  for (const s of long) if (s === short[i]) i++;
  return i === short.length;
}

interface Difference {
  readonly reason: string;
  applies(analysis: Analysis, node: Outcome, ours: Outcome, raw: string): boolean;
}

/** The differences we keep, each with its reason. Each names what node:http does and what we do. */
const DIFFERENCES: Readonly<Record<string, Difference>> = {
  'answers-before-the-error': {
    reason: 'A bad request behind good ones in one packet: node:http fails while parsing, before it writes the earlier answers, and drops them (or writes no 400 while an answer is in flight); we answer each complete request in order, then the error',
    applies: (a, node, ours) => a.error !== undefined && ours.statuses.at(-1) === a.error.status && node.statuses.length < ours.statuses.length && isSubsequence(node.statuses, ours.statuses) && ended(node) && ended(ours),
  },
  'answered-at-the-head': {
    reason: 'A body that turns out malformed, on a route that does not read bodies: node:http answers at the head (404/405), then drops the connection at the error; we parse the whole request before routing it, and answer 400',
    applies: (a, node, ours) => {
      const framing = a.error !== undefined && (a.isErrorInBody || /Transfer-Encoding without chunked/.test(a.error.message));
      const before = ours.statuses.slice(0, -1);
      const answer = node.statuses[before.length];
      return framing && same(node.statuses.slice(0, before.length), before) && (answer === 404 || answer === 405) && node.statuses.length <= before.length + 2 && ended(node);
    },
  },
  'eof-inside-a-request': {
    reason: 'The client ends its side inside a request: node:http answers 400; we close without an answer (nothing can complete the request)',
    applies: (a, node, ours) => a.isUnfinished && ours.end === 'eof' && same(node.statuses, [...ours.statuses, 400]),
  },
  connect: {
    reason: 'CONNECT: node:http without a connect listener closes without an answer; we answer it (no route: 404/405) and close, as we open no tunnels',
    applies: (a, node, ours) => a.requests.some((r) => r.method === 'CONNECT') && isSubsequence(node.statuses, ours.statuses) && node.end === 'closed' && ours.end === 'closed',
  },
  'data-after-close': {
    reason: 'Bytes after a request that ends the connection (HTTP/1.0, Connection: close): we answer it, then close (docs/semantics.md); node:http fails on the bytes and answers a single 400, or, when its answer is already on its way, neither answers more nor closes',
    applies: (a, node, ours) =>
      a.isClosed && ours.end === 'closed' && (node.end === 'silent' || ended(node)) && (isSubsequence(node.statuses, ours.statuses) || same(node.statuses, [...ours.statuses.slice(0, -1), 400])),
  },
  'body-limit': {
    reason: 'A Content-Length over maxBodyBytes (16 MiB): we answer 413 at once; node:http has no body limit and waits for the body',
    applies: (a, node, ours) => a.error?.status === 413 && ours.statuses.at(-1) === 413 && node.end === 'silent',
  },
  'upgrade-declined': {
    reason: 'Bytes after a request that asks to Upgrade, on a route that does not switch: we go on with HTTP (RFC 9110 section 7.8) and answer them 400; node:http (no upgrade listener) ignores them',
    applies: (a, node, ours) => a.requests.some((r) => r.asksUpgrade) && same(ours.statuses, [...node.statuses, 400]),
  },
  'http-0.9': {
    reason: 'A request line without a version (HTTP/0.9): node:http answers it; we answer 400 (HTTP/0.9 is not served)',
    applies: (a, node, ours) => a.error?.message === 'Request line without an HTTP version' && ours.statuses.at(-1) === 400 && node.statuses.length === ours.statuses.length,
  },
  'not-http': {
    reason: 'RTSP/1.0 and ICE/1.0 request lines: llhttp accepts them and node:http routes them; we answer 400',
    applies: (_a, node, ours, raw) => / (RTSP|ICE)\/\d\.\d\r\n/.test(raw) && ours.statuses.at(-1) === 400 && node.statuses.length === ours.statuses.length,
  },
  'major-version': {
    reason: 'An HTTP major version other than 1: we answer 505 (RFC 9110 section 15.6.6); node:http 400',
    applies: (a, node, ours) => a.error?.status === 505 && ours.statuses.at(-1) === 505 && node.statuses.at(-1) === 400,
  },
  'coding-before-chunked': {
    reason: 'A transfer coding before chunked (gzip, chunked): we answer 501, as we decode none; llhttp passes the coded body on',
    applies: (a, _node, ours) => a.error?.status === 501 && ours.statuses.at(-1) === 501,
  },
};

function cases(): { name: string; raw: Buffer }[] {
  // (Buffer without a type argument: mutate() returns views of any backing store.)
  const fixtures = (JSON.parse(readFileSync(FIXTURES, 'utf8')) as { cases: { file: string; line: number; input: string }[] }).cases;
  const out: { name: string; raw: Buffer }[] = fixtures.map((f) => ({ name: `llhttp ${f.file}:${f.line}`, raw: Buffer.from(f.input, "base64") }));
  ISSUE.forEach((text, i) => out.push({ name: `issue 14 #${i}`, raw: Buffer.from(text, 'latin1') }));
  VALID.forEach((text, i) => out.push({ name: `valid #${i}`, raw: Buffer.from(text, 'latin1') }));
  const random = seeded(20261206);
  for (let i = 0; i < MUTATIONS; i++) out.push({ name: `mutation #${i}`, raw: mutate(Buffer.from(VALID[i % VALID.length] ?? '', 'latin1'), random) });
  return out;
}

test(`switchboard HttpServer and node:http agree on llhttp's fixtures, issue 14's cases and ${MUTATIONS} mutations, but for the listed differences`, async (t) => {
  const node = await nodeServer();
  const ours = await serveForTest((scheduler) => httpFactory({ scheduler }, sameRoutes()));
  t.teardown(async () => {
    await ours.stop();
    node.server.closeAllConnections();
    await new Promise((resolve) => node.server.close(resolve));
  });
  const all = cases();
  const results = await inParallel(all, 8, async (c) => {
    const analysis = analyze(c.raw);
    return { c, analysis, theirs: await converse(node.port, c.raw, analysis), mine: await converse(ours.port, c.raw, analysis) };
  });
  const counts = new Map<string, number>();
  const unexplained: string[] = [];
  for (const { c, analysis, theirs, mine } of results) {
    if (theirs === mine) continue;
    const raw = c.raw.toString('latin1');
    const name = Object.entries(DIFFERENCES).find(([, d]) => d.applies(analysis, outcome(theirs), outcome(mine), raw))?.[0];
    if (name === undefined) unexplained.push(`${c.name} ${JSON.stringify(raw.slice(0, 300))}: node:http ${theirs}, switchboard ${mine}`);
    else counts.set(name, (counts.get(name) ?? 0) + 1);
  }
  t.log(`${all.length} cases, ${results.filter((r) => r.theirs === r.mine).length} identical; listed differences: ${JSON.stringify(Object.fromEntries(counts))}`);
  t.deepEqual(unexplained, []);
  // A listed difference that no case shows any more is stale: take it off the list (and docs/semantics.md).
  t.deepEqual(Object.keys(DIFFERENCES).filter((name) => !counts.has(name)), []);
  // The comparison compared something: most cases must agree outright.
  t.true(results.filter((r) => r.theirs === r.mine).length > all.length / 2);
});
