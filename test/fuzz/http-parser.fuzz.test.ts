// Property tests for the HTTP request parser: random bytes never throw anything but HttpError and
// never loop; valid requests cut at random points parse the same as whole.
import test from 'ava';
import fc from 'fast-check';
import { HttpError, type HttpRequest, HttpRequestParser } from '../../src/protocols/http/request-parser.js';
import { cut } from '../helpers/splits.js';
import { FUZZ } from '../helpers/fuzz-config.js';

function feedAll(chunks: readonly Uint8Array[]): { requests: HttpRequest[]; error?: unknown } {
  const parser = new HttpRequestParser({ maxHeaderBytes: 4096, maxHeaders: 64, maxBodyBytes: 65536 });
  const requests: HttpRequest[] = [];
  try {
    for (const chunk of chunks) parser.feed(chunk, { request: (r) => requests.push(r) });
  } catch (error) {
    return { requests, error };
  }
  return { requests };
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
  const headers = r.headers.filter(([n]) => !['content-length', 'transfer-encoding'].includes(n.toLowerCase()));
  const framing = r.chunked ? 'Transfer-Encoding: chunked' : `Content-Length: ${r.body.length}`;
  const head = `${r.method} ${r.path} HTTP/1.1\r\n${headers.map(([n, v]) => `${n}: ${v}\r\n`).join('')}${framing}\r\n\r\n`;
  const chunk = r.body.length > 0 ? [Buffer.from(`${r.body.length.toString(16)}\r\n`), r.body, Buffer.from('\r\n')] : [];
  const body = r.chunked ? Buffer.concat([...chunk, Buffer.from('0\r\n\r\n')]) : Buffer.from(r.body);
  return Buffer.concat([Buffer.from(head, 'latin1'), body]);
}


test('HttpRequestParser on random bytes throws only HttpError', (t) => {
  fc.assert(
    fc.property(fc.array(fc.uint8Array({ maxLength: 300 }), { maxLength: 10 }), (chunks) => {
      const { error } = feedAll(chunks);
      return error === undefined || error instanceof HttpError;
    }),
    FUZZ,
  );
  t.pass();
});

test('HttpRequestParser on mutated valid requests throws only HttpError', (t) => {
  fc.assert(
    fc.property(request, fc.nat(), fc.integer({ min: 0, max: 255 }), (r, at, byte) => {
      const bytes = Buffer.from(encode(r));
      if (bytes.length > 0) bytes[at % bytes.length] = byte;
      const { error } = feedAll([bytes]);
      return error === undefined || error instanceof HttpError;
    }),
    FUZZ,
  );
  t.pass();
});

test('HttpRequestParser parses valid pipelined requests the same however they are cut', (t) => {
  fc.assert(
    fc.property(fc.array(request, { minLength: 1, maxLength: 4 }), fc.array(fc.nat(), { maxLength: 12 }), (requests, points) => {
      const bytes = Buffer.concat(requests.map(encode));
      const whole = feedAll([bytes]);
      const pieces = feedAll(cut(bytes, points));
      const summary = (list: HttpRequest[]): string[] => list.map((q) => `${q.method} ${q.target} ${q.body.toString('hex')}`);
      return whole.error === undefined && pieces.error === undefined && summary(whole.requests).join() === summary(pieces.requests).join() && whole.requests.length === requests.length;
    }),
    FUZZ,
  );
  t.pass();
});
