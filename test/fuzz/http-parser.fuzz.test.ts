// Property tests for the HTTP request parser: random bytes never throw anything but HttpError and
// are looked at once; valid requests cut at random points parse the same as whole.
import test, { type ExecutionContext } from 'ava';
import fc from 'fast-check';
import { HttpError, type HttpRequest, HttpRequestParser } from '../../src/protocols/http/request-parser.js';
import { cut } from '../helpers/splits.js';
import { FUZZ } from '../helpers/fuzz-config.js';

function feedAll(chunks: readonly Uint8Array[]): { requests: HttpRequest[]; error?: unknown; scanned: number } {
  const parser = new HttpRequestParser({ maxHeaderBytes: 4096, maxHeaders: 64, maxBodyBytes: 65536 });
  const requests: HttpRequest[] = [];
  try {
    for (const chunk of chunks) parser.feed(chunk, { request: (r) => requests.push(r) });
  } catch (error) {
    return { requests, error, scanned: parser.scannedBytes };
  }
  return { requests, scanned: parser.scannedBytes };
}

const token = fc.stringMatching(/^[A-Za-z][A-Za-z0-9-]{0,15}$/);
const value = fc.stringMatching(/^[ -~]{0,40}$/).map((v) => v.trim());
const request = fc.record({
  method: fc.constantFrom('GET', 'POST', 'PUT', 'DELETE'),
  path: fc.stringMatching(/^\/[a-z0-9/._-]{0,30}$/),
  headers: fc.array(fc.tuple(token, value), { maxLength: 8 }),
  body: fc.uint8Array({ maxLength: 2000 }),
  chunked: fc.boolean(),
});

function encode(r: { method: string; path: string; headers: [string, string][]; body: Uint8Array; chunked: boolean }): Buffer {
  // Framing and connection fields are the encoder's: a random `Connection: close` would end the pipeline.
  const headers = r.headers.filter(([n]) => !['content-length', 'transfer-encoding', 'connection', 'upgrade'].includes(n.toLowerCase()));
  const framing = r.chunked ? 'Transfer-Encoding: chunked' : `Content-Length: ${r.body.length}`;
  const head = `${r.method} ${r.path} HTTP/1.1\r\n${headers.map(([n, v]) => `${n}: ${v}\r\n`).join('')}${framing}\r\n\r\n`;
  const chunk = r.body.length > 0 ? [Buffer.from(`${r.body.length.toString(16)}\r\n`), r.body, Buffer.from('\r\n')] : [];
  const body = r.chunked ? Buffer.concat([...chunk, Buffer.from('0\r\n\r\n')]) : Buffer.from(r.body);
  return Buffer.concat([Buffer.from(head, 'latin1'), body]);
}


/** Runs a property, then asserts it held for every run and that the runs reached what `seen` counts. */
function check<T>(t: ExecutionContext, property: fc.IProperty<T>): void {
  const details = fc.check(property, FUZZ);
  t.false(details.failed, fc.defaultReportMessage(details) ?? 'property failed');
  t.true(details.numRuns > 0);
}

test('HttpRequestParser on random bytes throws only HttpError, and looks at each byte at most once', (t) => {
  const outcomes = { rejected: 0, accepted: 0 };
  check(
    t,
    fc.property(fc.array(fc.uint8Array({ maxLength: 300 }), { maxLength: 10 }), (chunks) => {
      const { error, scanned } = feedAll(chunks);
      outcomes[error === undefined ? 'accepted' : 'rejected']++;
      return (error === undefined || error instanceof HttpError) && scanned <= chunks.reduce((n, c) => n + c.length, 0);
    }),
  );
  // Random bytes are almost never a request: most must be refused (the parser is not accepting everything).
  t.true(outcomes.rejected > outcomes.accepted, JSON.stringify(outcomes));
});

test('HttpRequestParser on mutated valid requests throws only HttpError, with the status of a client error', (t) => {
  const outcomes = { rejected: 0, accepted: 0 };
  check(
    t,
    fc.property(request, fc.nat(), fc.integer({ min: 0, max: 255 }), (r, at, byte) => {
      const bytes = Buffer.from(encode(r));
      if (bytes.length > 0) bytes[at % bytes.length] = byte;
      const { error } = feedAll([bytes]);
      outcomes[error === undefined ? 'accepted' : 'rejected']++;
      return error === undefined || (error instanceof HttpError && [400, 413, 431, 501, 505].includes(error.status));
    }),
  );
  // One changed byte is often harmless (a letter in a value) and often fatal (a CR, a colon): both happen.
  t.true(outcomes.rejected > 0 && outcomes.accepted > 0, JSON.stringify(outcomes));
});

test('HttpRequestParser parses valid pipelined requests the same however they are cut', (t) => {
  let requestsParsed = 0;
  check(
    t,
    fc.property(fc.array(request, { minLength: 1, maxLength: 4 }), fc.array(fc.nat(), { maxLength: 12 }), (requests, points) => {
      const bytes = Buffer.concat(requests.map(encode));
      const whole = feedAll([bytes]);
      const pieces = feedAll(cut(bytes, points));
      const summary = (list: HttpRequest[]): string[] => list.map((q) => `${q.method} ${q.target} ${JSON.stringify(q.headers)} ${q.body.toString('hex')}`);
      requestsParsed += pieces.requests.length;
      return whole.error === undefined && pieces.error === undefined && summary(whole.requests).join() === summary(pieces.requests).join() && whole.requests.length === requests.length;
    }),
  );
  t.true(requestsParsed > 0);
});
