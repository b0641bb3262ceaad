// globMatch against redis's stringmatchlen, including its corner cases (an empty subject never
// matches '*', unclosed classes, reversed and signed-char ranges, the nesting guard). The odd cases
// were checked with KEYS on redis-server 7.0.
import test from 'ava';
import { globMatch } from '../../../src/protocols/resp/glob-match.js';

const cases: readonly (readonly [pattern: string, subject: string, isMatch: boolean])[] = [
  ['*', 'anything', true],
  ['*', '', false],
  ['', '', true],
  ['', 'a', false],
  ['a', '', false],
  ['h?llo', 'hello', true],
  ['h?llo', 'hllo', false],
  ['h*llo', 'hllo', true],
  ['h*llo', 'heeeello', true],
  ['h[ae]llo', 'hallo', true],
  ['h[ae]llo', 'hillo', false],
  ['h[^e]llo', 'hallo', true],
  ['h[^e]llo', 'hello', false],
  ['h[a-b]llo', 'hbllo', true],
  ['h[b-a]llo', 'hallo', true],
  ['h[a-b]llo', 'hcllo', false],
  ['h\\*', 'h*', true],
  ['h\\*', 'hx', false],
  ['h\\', 'h\\', true],
  ['[\\]]', ']', true],
  ['[\\', '\\', true],
  // [a-] is the range a-] (reversed, so ]..a): '-' is outside it, ']' and '^' inside.
  ['[a-]', '-', false],
  ['[a-]', '^', true],
  ['[z-a]', 'b', true],
  ['h[', 'h', false],
  ['h[', 'hx', false],
  ['h[a', 'ha', true],
  ['h[^', 'hx', true],
  ['a*b*c', 'aXXbYYc', true],
  ['a*b*c', 'aXXbYY', false],
  ['a**', 'a', true],
  ['**a', 'xa', true],
  ['a**b', 'aXb', true],
  ['a**b', 'aXc', false],
  ['ab**', 'ab', true],
  ['*a*a*a*a*a*a*b', 'a'.repeat(60), false],
  // C's char is signed: [a-\xff] is [-1..97], so it holds 'a' and \xff but not 'b'.
  ['[a-\xff]', 'a', true],
  ['[a-\xff]', '\xff', true],
  ['[a-\xff]', 'b', false],
];

for (const [pattern, subject, isMatch] of cases) {
  test(`globMatch ${JSON.stringify(pattern)} ${isMatch ? 'matches' : 'does not match'} ${JSON.stringify(subject)}`, (t) => {
    t.is(globMatch(pattern, subject), isMatch);
  });
}

test('globMatch gives up past 1000 nested stars, as redis guards against abusive patterns', (t) => {
  t.true(globMatch('*a'.repeat(1000), 'a'.repeat(1000)));
  t.false(globMatch('*a'.repeat(1002), 'a'.repeat(1002)));
});
