import test from 'ava';
import { DEFAULT_HTTP_LIMITS, HttpError, type HttpRequest, HttpRequestParser } from '../../../src/protocols/http/request-parser.js';

function parseAll(input: string | Buffer, cuts: readonly number[] = [], limits = DEFAULT_HTTP_LIMITS): { requests: HttpRequest[]; error?: HttpError } {
  const bytes = typeof input === 'string' ? Buffer.from(input, 'latin1') : input;
  const parser = new HttpRequestParser(limits);
  const requests: HttpRequest[] = [];
  let start = 0;
  try {
    for (const cut of [...cuts, bytes.length]) {
      parser.feed(bytes.subarray(start, cut), { request: (r) => requests.push(r) });
      start = cut;
    }
  } catch (error) {
    if (error instanceof HttpError) return { requests, error };
    throw error;
  }
  return { requests };
}

const summary = (r: HttpRequest): string => `${r.method} ${r.target} 1.${r.minorVersion} ${JSON.stringify(r.headers)} ${r.body.toString('latin1')}`;

const PIPELINE =
  'GET / HTTP/1.1\r\nHost: a\r\n\r\n' +
  'POST /echo HTTP/1.1\r\nContent-Length: 5\r\n\r\nhello' +
  'POST /echo HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n3;ext=1\r\nabc\r\n2\r\nde\r\n0\r\nTrailer: x\r\n\r\n' +
  'GET /x HTTP/1.0\r\n\r\n';

test('HttpRequestParser gives the same requests for every single and double cut of a pipeline', (t) => {
  const whole = parseAll(PIPELINE).requests.map(summary);
  t.is(whole.length, 4);
  t.is(parseAll(PIPELINE).requests[2]?.body.toString(), 'abcde');
  for (let i = 1; i < PIPELINE.length; i++) {
    t.deepEqual(parseAll(PIPELINE, [i]).requests.map(summary), whole, `cut at ${i}`);
  }
  for (let i = 1; i < PIPELINE.length; i += 3) {
    for (let j = i + 1; j < PIPELINE.length; j += 5) t.deepEqual(parseAll(PIPELINE, [i, j]).requests.map(summary), whole);
  }
});

test('HttpRequestParser reads one byte at a time', (t) => {
  const cuts = Array.from({ length: PIPELINE.length - 1 }, (_, i) => i + 1);
  t.deepEqual(parseAll(PIPELINE, cuts).requests.map(summary), parseAll(PIPELINE).requests.map(summary));
});

const REJECTED: readonly [string, string, number][] = [
  ['a malformed request line', 'GARBAGE\r\n\r\n', 400],
  ['an unsupported version', 'GET / HTTP/2.0\r\n\r\n', 505],
  ['both Content-Length and Transfer-Encoding (smuggling)', 'POST / HTTP/1.1\r\nContent-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\n', 400],
  ['conflicting duplicate Content-Length', 'POST / HTTP/1.1\r\nContent-Length: 3\r\nContent-Length: 4\r\n\r\n', 400],
  ['a negative Content-Length', 'POST / HTTP/1.1\r\nContent-Length: -1\r\n\r\n', 400],
  ['a bad chunk size', 'POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n', 400],
  ['chunk data without its CRLF', 'POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n1\r\nabXY', 400],
  ['a transfer coding list not ending in chunked (RFC 9112 section 6.3)', 'POST / HTTP/1.1\r\nTransfer-Encoding: gzip\r\n\r\n', 400],
  ['a transfer coding we do not decode before chunked', 'POST / HTTP/1.1\r\nTransfer-Encoding: gzip, chunked\r\n\r\n', 501],
  ['obsolete line folding', 'GET / HTTP/1.1\r\nA: b\r\n c\r\n\r\n', 400],
  ['whitespace before a colon', 'GET / HTTP/1.1\r\nA : b\r\n\r\n', 400],
  ['a body over the limit by its Content-Length', `POST / HTTP/1.1\r\nContent-Length: ${DEFAULT_HTTP_LIMITS.maxBodyBytes + 1}\r\n\r\n`, 413],
];

for (const [what, input, status] of REJECTED) {
  test(`HttpRequestParser answers ${status} for ${what}`, (t) => {
    const { error } = parseAll(input);
    t.is(error?.status, status);
  });
}

test('HttpRequestParser rejects 100 KB of headers with 431 before holding more than the limit', (t) => {
  const parser = new HttpRequestParser();
  const line = `X-Filler: ${'a'.repeat(1000)}\r\n`;
  let thrown: unknown;
  parser.feed(Buffer.from('GET / HTTP/1.1\r\n'), { request: () => t.fail() });
  for (let i = 0; i < 100 && thrown === undefined; i++) {
    try {
      parser.feed(Buffer.from(line), { request: () => t.fail() });
      t.true(parser.bufferedBytes <= DEFAULT_HTTP_LIMITS.maxHeaderBytes + line.length);
    } catch (error) {
      thrown = error;
    }
  }
  t.true(thrown instanceof HttpError && thrown.status === 431);
});

test('HttpRequestParser rejects 10,000 headers with 431', (t) => {
  const head = `GET / HTTP/1.1\r\n${'A: b\r\n'.repeat(10000)}\r\n`;
  const { error } = parseAll(head, [], { ...DEFAULT_HTTP_LIMITS, maxHeaderBytes: 1 << 20 });
  t.is(error?.status, 431);
});

test('HttpRequestParser rejects a chunked body over the limit from the chunk size', (t) => {
  const { error } = parseAll('POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\nffffffff\r\n', [], { ...DEFAULT_HTTP_LIMITS, maxBodyBytes: 1024 });
  t.is(error?.status, 413);
});

test('HttpRequestParser stays failed after an error and keeps requests completed before it', (t) => {
  const parser = new HttpRequestParser();
  const seen: string[] = [];
  t.throws(() => parser.feed(Buffer.from('GET /a HTTP/1.1\r\n\r\nBAD\r\n\r\n'), { request: (r) => seen.push(r.target) }), { instanceOf: HttpError });
  t.deepEqual(seen, ['/a']);
  parser.feed(Buffer.from('GET /b HTTP/1.1\r\n\r\n'), { request: (r) => seen.push(r.target) });
  t.deepEqual(seen, ['/a']);
});

test('HttpRequestParser reports the head before the body (for 100-continue) and header lookups ignore case', (t) => {
  const parser = new HttpRequestParser();
  const events: string[] = [];
  parser.feed(Buffer.from('POST /u HTTP/1.1\r\nExpect: 100-continue\r\nContent-Length: 2\r\n\r\n'), {
    head: (method, minor, header, length) => events.push(`head ${method} ${minor} ${header('EXPECT') ?? ''} ${String(length)}`),
    request: () => events.push('request'),
  });
  t.deepEqual(events, ['head POST 1 100-continue 2']);
  t.false(parser.isIdle);
  parser.feed(Buffer.from('ok'), { request: (r) => events.push(`request ${r.body.toString()} ${r.header('content-length') ?? ''}`) });
  t.deepEqual(events, ['head POST 1 100-continue 2', 'request ok 2']);
  t.true(parser.isIdle);
});
