// HttpRequestParser is as strict as node:http's llhttp on the smuggling-shaped inputs of issue 14,
// refuses as soon as a limit is provably passed, stays linear however the input is cut, and holds a
// chunked body in one bounded buffer whatever its chunk sizes (issue 13 item 4).
import test from 'ava';
import { DEFAULT_HTTP_LIMITS, HttpError, type HttpLimits, type HttpRequest, HttpRequestParser } from '../../../src/protocols/http/request-parser.js';
import { BodyBuffer } from '../../../src/protocols/http/parser/body-buffer.js';

interface Outcome {
  readonly requests: HttpRequest[];
  readonly error?: HttpError;
  readonly parser: HttpRequestParser;
}

function parse(input: string | Buffer, step = Number.POSITIVE_INFINITY, limits: HttpLimits = DEFAULT_HTTP_LIMITS): Outcome {
  const bytes = typeof input === 'string' ? Buffer.from(input, 'latin1') : input;
  const parser = new HttpRequestParser(limits);
  const requests: HttpRequest[] = [];
  try {
    for (let at = 0; at < bytes.length; at += Math.min(step, bytes.length)) parser.feed(bytes.subarray(at, at + step), { request: (r) => requests.push(r) });
  } catch (error) {
    if (error instanceof HttpError) return { requests, error, parser };
    throw error;
  }
  return { requests, parser };
}

const POST = 'POST /echo HTTP/1.1\r\nHost: a\r\n';
const CHUNKED = `${POST}Transfer-Encoding: chunked\r\n\r\n`;

// Each was answered 200 (or 404/405) by the parser before this rewrite; node:http answers 400.
const SMUGGLING: readonly [string, string][] = [
  ['a bare LF inside a header line hiding a Content-Length', `${POST}X-Pad: a\nContent-Length: 41\r\n\r\n`],
  ['a bare CR between headers', `${POST}A: b\rContent-Length: 0\r\n\r\n`],
  ['a NUL in a header value', `${POST}A: b\u0000c\r\n\r\n`],
  ['a control byte in a header value', `${POST}A: b\u0001c\r\n\r\n`],
  ['DEL in a header value', `${POST}A: b\u007fc\r\n\r\n`],
  ['a bare CR inside Content-Type', `${POST}Content-Type: text/plain\rX: y\r\n\r\n`],
  ['Content-Length padded with VT', `${POST}Content-Length: \u000b5\r\n\r\nhello`],
  ['Content-Length padded with FF', `${POST}Content-Length: 5\u000c\r\n\r\nhello`],
  ['Content-Length padded with NBSP', `${POST}Content-Length: 5\u00a0\r\n\r\nhello`],
  ['Content-Length as a list', `${POST}Content-Length: 5, 5\r\n\r\nhello`],
  ['Content-Length with a sign', `${POST}Content-Length: +5\r\n\r\nhello`],
  ['Transfer-Encoding padded with VT', `${POST}Transfer-Encoding: \u000bchunked\r\n\r\n0\r\n\r\n`],
  ['Transfer-Encoding padded with FF', `${POST}Transfer-Encoding: chunked\u000c\r\n\r\n0\r\n\r\n`],
  ['Transfer-Encoding padded with NBSP', `${POST}Transfer-Encoding: chunked\u00a0\r\n\r\n0\r\n\r\n`],
  ['Transfer-Encoding chunked twice', `${POST}Transfer-Encoding: chunked\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n`],
  ['a coding after chunked', `${POST}Transfer-Encoding: chunked, gzip\r\n\r\n0\r\n\r\n`],
  ['Content-Length and Transfer-Encoding', `${POST}Content-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n`],
  ['Transfer-Encoding and Content-Length', `${POST}Transfer-Encoding: chunked\r\nContent-Length: 5\r\n\r\n0\r\n\r\n`],
  ['two equal Content-Length fields', `${POST}Content-Length: 5\r\nContent-Length: 5\r\n\r\nhello`],
  ['a chunk size with a space after it', `${CHUNKED}5 \r\nhello\r\n0\r\n\r\n`],
  ['a chunk size with a leading space', `${CHUNKED} 5\r\nhello\r\n0\r\n\r\n`],
  ['a chunk size with a VT', `${CHUNKED}5\u000b\r\nhello\r\n0\r\n\r\n`],
  ['a chunk size with a tab before its extension', `${CHUNKED}5\t;a=b\r\nhello\r\n0\r\n\r\n`],
  ['an empty chunk extension after ;', `${CHUNKED}5;\r\nhello\r\n0\r\n\r\n`],
  ['a NUL in a chunk extension', `${CHUNKED}5;a=\u0000\r\nhello\r\n0\r\n\r\n`],
  ['a LF in a chunk extension', `${CHUNKED}5;a\nb\r\nhello\r\n0\r\n\r\n`],
  ['a LF in a quoted chunk extension', `${CHUNKED}5;a="x\ny"\r\nhello\r\n0\r\n\r\n`],
  ['chunk data followed by a bare LF', `${CHUNKED}5\r\nhello\n0\r\n\r\n`],
  ['a framing field in the trailers', `${CHUNKED}0\r\nContent-Length: 5\r\n\r\n`],
  ['obs-fold (a header line starting with a space)', `${POST}A: b\r\n c\r\n\r\n`],
  ['a folded LF header', `${POST}A: b\n c\r\n\r\n`],
  ['a header without its CR', `${POST}A: b\n\r\n`],
  ['whitespace between a field name and its colon', `${POST}A : b\r\n\r\n`],
  ['whitespace before the first header', `GET / HTTP/1.1\r\n A: b\r\n\r\n`],
  ['an empty field name', `${POST}: b\r\n\r\n`],
  ['UTF-8 in the target', 'GET /caf\u00c3\u00a9 HTTP/1.1\r\nHost: a\r\n\r\n'],
  ['a control byte in the target', 'GET /a\u0001b HTTP/1.1\r\nHost: a\r\n\r\n'],
  ['a tab in the target', 'GET /a\tb HTTP/1.1\r\nHost: a\r\n\r\n'],
  ['an unknown method', 'FOO / HTTP/1.1\r\nHost: a\r\n\r\n'],
  ['a lower-case method', 'get / HTTP/1.1\r\nHost: a\r\n\r\n'],
  ['HTTP/1.2', 'GET / HTTP/1.2\r\nHost: a\r\n\r\n'],
  ['a request line ended by a bare LF', 'GET / HTTP/1.1\nHost: a\r\n\r\n'],
  ['a request line ended by a bare CR', 'GET / HTTP/1.1\rHost: a\r\n\r\n'],
  ['HTTP/0.9 (no version)', 'GET /\r\n\r\n'],
];

for (const [what, input] of SMUGGLING) {
  test(`HttpRequestParser answers 400 at once for ${what}, whole and a byte at a time`, (t) => {
    for (const step of [Number.POSITIVE_INFINITY, 1]) {
      const { error, requests } = parse(input, step);
      t.is(error?.status, 400, `${JSON.stringify(input)} fed ${step === 1 ? 'a byte at a time' : 'whole'}: ${error?.message ?? 'accepted'}`);
      t.deepEqual(requests, []);
    }
  });
}

test('HttpRequestParser rejects bare-LF line ends at the first line, not after a timeout', (t) => {
  const parser = new HttpRequestParser();
  const error = t.throws(() => parser.feed(Buffer.from('GET / HTTP/1.1\n'), { request: () => t.fail() }), { instanceOf: HttpError });
  t.is(error?.status, 400);
});

test('HttpRequestParser refuses a 100 KB header line with 431 once the limit is passed, before the line ends', (t) => {
  const parser = new HttpRequestParser();
  parser.feed(Buffer.from('GET / HTTP/1.1\r\nX-Big: '), { request: () => t.fail() });
  const piece = Buffer.alloc(1000, 0x61);
  let fed = 0;
  const error = t.throws(() => {
    for (; fed < 100_000; fed += piece.length) parser.feed(piece, { request: () => t.fail() });
  }, { instanceOf: HttpError });
  t.is(error?.status, 431);
  t.true(fed <= DEFAULT_HTTP_LIMITS.maxHeaderBytes, `refused after ${fed} bytes of the line`);
});

test('HttpRequestParser refuses a Content-Length over the body limit with 413 before its line ends', (t) => {
  const { error } = parse(`${POST}Content-Length: 20000000`);
  t.is(error?.status, 413);
  t.is(parse(`${POST}Content-Length: 100000000000000000000000`).error?.status, 400);
});

test('HttpRequestParser refuses 16 KiB of chunk extensions with 413, as node:http does', (t) => {
  const { error } = parse(`${CHUNKED}5;a=${'b'.repeat(20_000)}`, 1000);
  t.is(error?.status, 413);
});

test('HttpRequestParser looks at each byte once: a 64 KiB head fed a byte at a time scans 64 KiB', (t) => {
  const head = Buffer.from(`GET / HTTP/1.1\r\n${`X-Filler: ${'a'.repeat(1000)}\r\n`.repeat(66)}\r\n`);
  const limits = { ...DEFAULT_HTTP_LIMITS, maxHeaderBytes: 128 * 1024 };
  const whole = parse(head, Number.POSITIVE_INFINITY, limits);
  const bytewise = parse(head, 1, limits);
  t.is(bytewise.requests.length, 1);
  t.deepEqual(bytewise.requests[0]?.headers, whole.requests[0]?.headers);
  t.true(head.length > 64 * 1024);
  t.is(whole.parser.scannedBytes, head.length);
  t.is(bytewise.parser.scannedBytes, head.length);
});

test('HttpRequestParser looks at each byte once in a chunked body cut into 1-byte chunks and 1-byte feeds', (t) => {
  const body = `${'1\r\nx\r\n'.repeat(10_000)}0\r\nTrailer: t\r\n\r\n`;
  const input = Buffer.from(CHUNKED + body);
  const { requests, parser } = parse(input, 1);
  t.is(requests[0]?.body.length, 10_000);
  t.is(parser.scannedBytes, input.length);
});

test('HttpRequestParser holds a chunked body of 1-byte chunks in one buffer: no Buffer per chunk (issue 13 item 4)', (t) => {
  const limits = { ...DEFAULT_HTTP_LIMITS, maxBodyBytes: 4 * 1024 * 1024 };
  const parser = new HttpRequestParser(limits);
  parser.feed(Buffer.from(CHUNKED), { request: () => t.fail() });
  const chunk = Buffer.from('1\r\nx\r\n'.repeat(1024));
  const before = process.memoryUsage();
  for (let i = 0; i < 1024; i++) {
    parser.feed(chunk, { request: () => t.fail() });
    // What the parser allocates stays within the body limit plus the head buffer, whatever the chunks.
    t.true(parser.bufferedBytes <= limits.maxBodyBytes + limits.maxHeaderBytes + 1, `${parser.bufferedBytes} bytes held`);
  }
  const after = process.memoryUsage();
  // 1 MiB of body in 1,048,576 chunks: one Buffer per chunk cost ~130 MiB (issue 13); one buffer, ~2 MiB.
  const grown = after.heapUsed + after.arrayBuffers - (before.heapUsed + before.arrayBuffers);
  t.true(grown < 48 * 1024 * 1024, `grew by ${grown} bytes`);
  t.true(parser.bufferedBytes >= 1024 * 1024 && parser.bufferedBytes <= 2 * 1024 * 1024 + limits.maxHeaderBytes + 1);
  const done: HttpRequest[] = [];
  parser.feed(Buffer.from('0\r\n\r\n'), { request: (r) => done.push(r) });
  t.is(done[0]?.body.length, 1024 * 1024);
});

test('BodyBuffer grows by doubling, never past its limit, and hands its bytes over whole', (t) => {
  const buffer = new BodyBuffer();
  const byte = Buffer.from('z');
  for (let i = 0; i < 5000; i++) {
    buffer.append(byte, 0, 1, 6000);
    t.true(buffer.capacity <= Math.max(2 * buffer.length, 1024) && buffer.capacity <= 6000);
  }
  const out = buffer.take();
  t.is(out.length, 5000);
  t.is(out.toString(), 'z'.repeat(5000));
  t.is(buffer.capacity, 0);
});

test('HttpRequestParser stops reading after a request that ends the connection (Connection: close, HTTP/1.0)', (t) => {
  for (const first of ['GET /a HTTP/1.1\r\nConnection: close\r\n\r\n', 'GET /a HTTP/1.0\r\n\r\n', 'CONNECT a:443 HTTP/1.1\r\nHost: a\r\n\r\n']) {
    const { requests, error, parser } = parse(`${first}GET /b HTTP/1.1\r\nHost: a\r\n\r\n`);
    t.is(error, undefined);
    t.deepEqual(requests.map((r) => r.target), [first.split(' ')[1]]);
    t.true(parser.isClosed && parser.isIdle);
  }
  const keepAlive = parse('GET /a HTTP/1.0\r\nConnection: keep-alive\r\n\r\nGET /b HTTP/1.1\r\nHost: a\r\n\r\n');
  t.deepEqual(keepAlive.requests.map((r) => r.target), ['/a', '/b']);
  t.false(keepAlive.parser.isClosed);
});

test('HttpRequestParser accepts what llhttp accepts: absolute and asterisk targets, spaces around the target, trailing OWS', (t) => {
  const { requests, error } = parse(
    'GET http://user@example.com:80/p?q=1#f HTTP/1.1\r\nHost: a\r\n\r\n' +
      'OPTIONS * HTTP/1.1\r\nHost: a\r\n\r\n' +
      'GET   /spaced   HTTP/1.1\r\nHost: a\r\nX: \t v \t\r\n\r\n' +
      `${POST}Transfer-Encoding: chunked \r\n\r\n5;a=b;c="d\\"e"\r\nhello\r\n0\r\n\r\n`,
  );
  t.is(error, undefined);
  t.deepEqual(requests.map((r) => r.target), ['http://user@example.com:80/p?q=1#f', '*', '/spaced', '/echo']);
  t.is(requests[2]?.header('x'), 'v');
  t.is(requests[3]?.body.toString(), 'hello');
});
