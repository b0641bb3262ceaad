// llhttp's own request fixtures (test/fixtures/llhttp, vendored from nodejs/llhttp with extract.mjs):
// for every block of type `request` (llhttp's strict parser), HttpRequestParser rejects exactly when
// llhttp's log ends in an error, and otherwise parses the same method, target, version, headers and
// body; whole and fed a byte at a time. Where we differ by choice, the case is listed below with the
// reason, and what we do instead is asserted.
import test from 'ava';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { HttpError, type HttpRequest, HttpRequestParser } from '../../../src/protocols/http/request-parser.js';

interface ExpectedMessage {
  readonly method: string;
  readonly url: string;
  readonly protocol: string;
  readonly version: string;
  readonly headers: readonly [string, string][];
  readonly body: string;
  readonly isComplete: boolean;
}
interface FixtureCase {
  readonly file: string;
  readonly line: number;
  readonly name: string;
  readonly meta: { readonly type: string; readonly skipBody?: boolean; readonly pause?: string };
  readonly input: string;
  readonly messages: readonly ExpectedMessage[];
  readonly end: { readonly kind: 'input-end' | 'error' | 'upgrade'; readonly offset?: number; readonly code?: number; readonly reason?: string };
}

// Tests run from dist/test; the fixtures stay in the source tree.
const FIXTURES = fileURLToPath(new URL('../../../../test/fixtures/llhttp/request-cases.json', import.meta.url));
const CASES = (JSON.parse(readFileSync(FIXTURES, 'utf8')) as { cases: FixtureCase[] }).cases;

/** What our parser did with a case's bytes. */
interface Outcome {
  readonly requests: HttpRequest[];
  readonly error?: HttpError;
  readonly isClosed: boolean;
  readonly isAwaitingUpgrade: boolean;
}

function run(bytes: Buffer, step: number): Outcome {
  const parser = new HttpRequestParser({ maxHeaderBytes: 1 << 20, maxHeaders: 2000, maxBodyBytes: 1 << 24 });
  const requests: HttpRequest[] = [];
  try {
    for (let at = 0; at < bytes.length; at += step) parser.feed(bytes.subarray(at, at + step), { request: (r) => requests.push(r) });
  } catch (error) {
    if (!(error instanceof HttpError)) throw error;
    return { requests, error, isClosed: false, isAwaitingUpgrade: false };
  }
  return { requests, isClosed: parser.isClosed, isAwaitingUpgrade: parser.isAwaitingUpgrade };
}

/** llhttp logs spans as UTF-8 text; our strings hold the same bytes as latin1. */
const bytesOf = (text: string): string => Buffer.from(text, 'utf8').toString('latin1');
const trimOws = (value: string): string => value.replace(/[ \t]+$/, '');

function summary(message: ExpectedMessage): string {
  const headers = message.headers.map(([n, v]) => [bytesOf(n).toLowerCase(), trimOws(bytesOf(v))]);
  return JSON.stringify([message.method, bytesOf(message.url), `HTTP/${message.version}`, headers, bytesOf(message.body)]);
}

function ours(request: HttpRequest): string {
  return JSON.stringify([request.method, request.target, `HTTP/1.${request.minorVersion}`, request.headers, request.body.toString('latin1')]);
}

type Difference = 'rejected' | 'stops-reading' | 'waits-for-body';

/**
 * Cases where we differ from llhttp on purpose, by `file:line` of the case's meta comment, with what
 * we do instead (asserted) and why.
 */
const EXCEPTIONS: ReadonlyMap<string, readonly [Difference, string]> = new Map<string, readonly [Difference, string]>([
  ['content-length.md:446', ['waits-for-body', "llhttp's callback tells it this message has no body (skipBody: a response to HEAD); a request always has the body its Content-Length says"]],
  ['method.md:374', ['rejected', 'ICE/1.0 (SHOUTcast SOURCE) is not HTTP: 400']],
  ['method.md:404', ['rejected', 'RTSP/1.0 is not HTTP: 400']],
  ['method.md:432', ['rejected', 'ANNOUNCE is an RTSP method, not an HTTP one: 400']],
  ['method.md:460', ['rejected', 'PRI * HTTP/2.0 is the HTTP/2 preface: an HTTP/1.1 server answers 400 (llhttp pauses for an h2c switch)']],
  ['sample.md:316', ['rejected', 'HTTP/0.9 (a request line without a version) is not served: 400']],
  ['transfer-encoding.md:753', ['rejected', 'a coding before chunked (gzip, chunked) is one we do not decode: 501, where llhttp hands the coded body on']],
  ['transfer-encoding.md:795', ['rejected', 'the same, with the codings in two Transfer-Encoding fields: 501']],
]);

/** Whole classes of llhttp results we answer differently, by llhttp's error code. */
function classException(c: FixtureCase): readonly [Difference, string] | undefined {
  if (c.end.kind === 'error' && c.end.code === 5) {
    return ['stops-reading', 'After a request that ends the connection we read nothing more (the server answers it, then closes); llhttp flags the next byte as an error'];
  }
  return undefined;
}

test(`llhttp's request fixtures are vendored (${CASES.length} blocks of type "request")`, (t) => {
  t.true(CASES.length >= 130, `expected llhttp's ~134 request blocks in ${FIXTURES}`);
  const listed = CASES.filter((c) => EXCEPTIONS.has(`${c.file}:${c.line}`)).length;
  const byClass = CASES.filter((c) => !EXCEPTIONS.has(`${c.file}:${c.line}`) && classException(c) !== undefined).length;
  t.log(`${CASES.length - listed - byClass} agree outright, ${listed} listed exceptions, ${byClass} 'data after close'`);
  // Every listed exception names a fixture that is still there.
  t.is(listed, EXCEPTIONS.size);
});

for (const c of CASES) {
  const where = `${c.file}:${c.line}`;
  test(`HttpRequestParser agrees with llhttp on ${where} ${c.name}`, (t) => {
    let bytes = Buffer.from(c.input, 'base64');
    // llhttp pauses where the stream turns into another protocol: what follows is not HTTP.
    if (c.end.kind === 'upgrade' && c.end.offset !== undefined) bytes = bytes.subarray(0, c.end.offset);
    const expected = c.messages.filter((m) => m.isComplete).map(summary);
    const exception = EXCEPTIONS.get(where) ?? classException(c);
    for (const step of [bytes.length || 1, 1]) {
      const outcome = run(bytes, step);
      const got = outcome.requests.map(ours);
      const label = `${where} fed ${step === 1 ? 'a byte at a time' : 'whole'}: ${outcome.error?.message ?? 'no error'}`;
      if (exception !== undefined) {
        const [difference, reason] = exception;
        if (difference === 'rejected') t.true(outcome.error !== undefined, `${label}: ${reason}`);
        else if (difference === 'waits-for-body') t.true(outcome.error === undefined && outcome.requests.length === 0, `${label}: ${reason}`);
        else {
          t.is(outcome.error, undefined, label);
          t.true(outcome.isClosed, `${label}: ${reason}`);
          t.deepEqual(got, expected, label);
        }
        continue;
      }
      if (c.end.kind === 'error') t.true(outcome.error !== undefined, `${label}: llhttp rejects (${c.end.reason ?? ''})`);
      else t.is(outcome.error, undefined, label);
      t.deepEqual(got, expected, label);
      // Where llhttp hands the stream to another protocol, we parse no further either: we wait for
      // the server's choice (Upgrade), or end the connection (CONNECT: we open no tunnels).
      if (c.end.kind === 'upgrade') t.true(outcome.isAwaitingUpgrade || outcome.isClosed, label);
    }
  });
}
