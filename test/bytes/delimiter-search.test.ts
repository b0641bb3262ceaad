// The internal DelimiterSearch (KMP across chunks) and its checked table reads.
import test from 'ava';
import { DelimiterSearch, endsAtFirstDelimiter } from '../../src/bytes/delimiter-search.js';
import { bytes, randomInt, seededRandom } from '../helpers/splits.js';

test('DelimiterSearch finds a delimiter begun in an earlier chunk', (t) => {
  const search = new DelimiterSearch(bytes('abac'));
  t.is(search.next(bytes('xxab'), 0, 4), -1);
  t.is(search.matched, 2);
  t.is(search.next(bytes('a'), 0, 1), -1);
  t.is(search.matched, 3);
  t.is(search.next(bytes('bacz'), 0, 4), 3);
  t.is(search.matched, 0);
  t.is(search.next(bytes('aba'), 0, 3), -1);
  search.reset();
  t.is(search.next(bytes('c'), 0, 1), -1);
});

test('DelimiterSearch stops at the end of its range', (t) => {
  const search = new DelimiterSearch(bytes('\n'));
  const chunk = bytes('ab\ncd\n');
  t.is(search.next(chunk, 0, 2), -1);
  t.is(search.next(chunk, 2, 6), 3);
  t.is(search.next(chunk, 3, 5), -1);
  t.is(search.next(chunk, 5, 6), 6);
});

test('DelimiterSearch agrees with indexOf on seeded random chunked input', (t) => {
  const random = seededRandom(12);
  for (const delimiter of ['aab', 'abab', 'aaaa', 'abcab', 'ab']) {
    for (let round = 0; round < 100; round += 1) {
      const text = Array.from({ length: 30 }, () => 'abc'[randomInt(random, 3)]).join('');
      const data = bytes(text);
      const search = new DelimiterSearch(bytes(delimiter));
      let found = -1;
      for (let at = 0; at < data.length && found < 0; ) {
        const to = Math.min(data.length, at + 1 + randomInt(random, 5));
        found = search.next(data, at, to);
        at = to;
      }
      const expected = text.indexOf(delimiter);
      t.is(found, expected < 0 ? -1 : expected + delimiter.length, `${delimiter} in ${text}`);
    }
  }
});

test('endsAtFirstDelimiter tells whether the only delimiter is the last bytes', (t) => {
  t.true(endsAtFirstDelimiter(bytes('ab\r\n'), bytes('\r\n')));
  t.false(endsAtFirstDelimiter(bytes('a\r\nb\r\n'), bytes('\r\n')));
  t.false(endsAtFirstDelimiter(bytes('xaaa'), bytes('aa')));
  t.false(endsAtFirstDelimiter(bytes('a'), bytes('aa')));
});

test('DelimiterSearch refuses an empty delimiter', (t) => {
  t.throws(() => new DelimiterSearch(new Uint8Array(0)), { instanceOf: RangeError, message: 'Cannot search for an empty delimiter' });
});
