// Redis's strict integer syntax (string2ll), for both parseInt64 and the fast parseLength.
import test from 'ava';
import { INT64_MAX, INT64_MIN, parseInt64, parseLength } from '../../../src/protocols/resp/integers.js';
import { bytes } from './resp-helpers.js';

const valid: readonly (readonly [string, bigint])[] = [
  ['0', 0n],
  ['7', 7n],
  ['-7', -7n],
  ['123456789012345', 123456789012345n],
  ['1234567890123456', 1234567890123456n],
  ['9223372036854775807', INT64_MAX],
  ['-9223372036854775808', INT64_MIN],
];
const invalid = ['', '-', '-0', '01', '+1', ' 1', '1 ', '1.5', '1e3', '0x10', '9223372036854775808', '-9223372036854775809', '123456789012345678901', 'abc', '1a'];

test('parseInt64 and parseLength read what string2ll reads', (t) => {
  for (const [text, value] of valid) {
    t.is(parseInt64(bytes(text)), value, text);
    t.is(parseLength(bytes(text)), Number(value), text);
  }
});

test('parseInt64 and parseLength refuse what string2ll refuses', (t) => {
  for (const text of invalid) {
    t.is(parseInt64(bytes(text)), undefined, text);
    t.is(parseLength(bytes(text)), undefined, text);
  }
});

test('parseLength reads a range of a buffer', (t) => {
  t.is(parseLength(bytes('*42\r\n'), 1, 3), 42);
  t.is(parseLength(bytes('*-1\r\n'), 1, 3), -1);
});
