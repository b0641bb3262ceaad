// Names found from bytes (issue 18): methods exactly, field names in any case, one shared string each.
import test from 'ava';
import { FIELD_NAMES } from '../../../src/protocols/http/parser/field-names.js';
import { METHOD_NAMES } from '../../../src/protocols/http/parser/methods.js';
import { NameTable } from '../../../src/protocols/http/parser/name-table.js';
import { HttpRequestParser, type HttpRequest } from '../../../src/protocols/http/request-parser.js';

const find = (table: NameTable, text: string, pad = 0): string | undefined => table.find(Buffer.from(`${'x'.repeat(pad)}${text}`), pad, pad + text.length);

// [table, text, padding before it, what it must find]
const cases: [string, NameTable, [string, number, string | undefined][]][] = [
  ['METHOD_NAMES finds methods case-sensitively, and nothing else', METHOD_NAMES, [
    ['GET', 0, 'GET'],
    ['M-SEARCH', 3, 'M-SEARCH'],
    ['get', 0, undefined],
    ['GEX', 0, undefined],
    ['PUTS', 0, undefined],
    ['', 0, undefined],
  ]],
  ['FIELD_NAMES finds common names in any case, in lower case, and not a name that differs by a byte', FIELD_NAMES, [
    ['Host', 0, 'host'],
    ['CONTENT-LENGTH', 5, 'content-length'],
    ['Content-Lengtx', 0, undefined],
    // '-' | 0x20 is '\r': folding must only touch letters.
    ['content\rlength', 0, undefined],
    ['X-Unknown', 0, undefined],
  ]],
];
for (const [name, table, lookups] of cases) {
  test(name, (t) => {
    for (const [text, pad, expected] of lookups) t.is(find(table, text, pad), expected, JSON.stringify(text));
  });
}

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
