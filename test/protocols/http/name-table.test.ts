// Names found from bytes (issue 18): methods exactly, field names in any case, one shared string each.
import test from 'ava';
import { FIELD_NAMES } from '../../../src/protocols/http/parser/field-names.js';
import { METHOD_NAMES } from '../../../src/protocols/http/parser/methods.js';
import { NameTable } from '../../../src/protocols/http/parser/name-table.js';
import { HttpRequestParser, type HttpRequest } from '../../../src/protocols/http/request-parser.js';

const find = (table: NameTable, text: string, pad = 0): string | undefined => table.find(Buffer.from(`${'x'.repeat(pad)}${text}`), pad, pad + text.length);

test('METHOD_NAMES finds methods case-sensitively, and nothing else', (t) => {
  t.is(find(METHOD_NAMES, 'GET'), 'GET');
  t.is(find(METHOD_NAMES, 'M-SEARCH', 3), 'M-SEARCH');
  t.is(find(METHOD_NAMES, 'get'), undefined);
  t.is(find(METHOD_NAMES, 'GEX'), undefined);
  t.is(find(METHOD_NAMES, 'PUTS'), undefined);
  t.is(find(METHOD_NAMES, ''), undefined);
});

test('FIELD_NAMES finds common names in any case, in lower case, and not a name that differs by a byte', (t) => {
  t.is(find(FIELD_NAMES, 'Host'), 'host');
  t.is(find(FIELD_NAMES, 'CONTENT-LENGTH', 5), 'content-length');
  t.is(find(FIELD_NAMES, 'Content-Lengtx'), undefined);
  // '-' | 0x20 is '\r': folding must only touch letters.
  t.is(find(FIELD_NAMES, 'content\rlength'), undefined);
  t.is(find(FIELD_NAMES, 'X-Unknown'), undefined);
});

test('the parser lower-cases every field name, common or not, and reads both versions', (t) => {
  const requests: HttpRequest[] = [];
  new HttpRequestParser().feed(
    Buffer.from('GET /a HTTP/1.1\r\nHOST: x\r\nX-Custom-Thing: 1\r\nuser-AGENT: y\r\n\r\nPOST /b HTTP/1.0\r\nContent-Length: 2\r\n\r\nhi'),
    { request: (request) => requests.push(request) },
  );
  t.deepEqual(requests.map((r) => [r.method, r.target, r.minorVersion, r.headers]), [
    ['GET', '/a', 1, [['host', 'x'], ['x-custom-thing', '1'], ['user-agent', 'y']]],
    ['POST', '/b', 0, [['content-length', '2']]],
  ]);
});
