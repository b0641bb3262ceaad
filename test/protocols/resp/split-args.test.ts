// splitArgs against redis's sdssplitargs: each case below was checked on redis-server 7.0 (ECHO and
// inline commands), byte for byte.
import test from 'ava';
import { splitArgs } from '../../../src/protocols/resp/split-args.js';
import { bytes } from './resp-helpers.js';

const split = (line: string): string[] | undefined => splitArgs(bytes(line))?.map((arg) => arg.toString('latin1'));

const cases: readonly (readonly [line: string, args: string[] | undefined])[] = [
  ['', []],
  ['   \t ', []],
  ['a b  c', ['a', 'b', 'c']],
  ['\v\fa b', ['a', 'b']],
  ['a\vb', ['a\vb']],
  ['"a b" c', ['a b', 'c']],
  ['"\\x41\\x4a\\x4A\\n\\r\\t\\b\\a\\q\\\\\\""', ['AJJ\n\r\t\b\x07q\\"']],
  ['"\\xzz" "\\x4"', ['xzz', 'x4']],
  ["'it\\'s' 'a\\nb'", ["it's", 'a\\nb']],
  ['"" \'\'', ['', '']],
  ['a"b c" d', ['ab c', 'd']],
  ["a'b c' d", ['ab c', 'd']],
  ['"a"\tb', ['a', 'b']],
  ['a"b c"d', undefined],
  ["''x", undefined],
  ['"abc', undefined],
  ["'abc", undefined],
  ['"a\\', undefined],
  ['a\0b c', ['a']],
  ['"a\0b"', undefined],
  ['\xff\x80 "\\xff"', ['\xff\x80', '\xff']],
];

for (const [line, args] of cases) {
  test(`splitArgs splits ${JSON.stringify(line)} as redis does`, (t) => {
    t.deepEqual(split(line), args);
  });
}
