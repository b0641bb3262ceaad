// The framing folder's small checked helpers.
import test from 'ava';
import { elementAt } from '../../../src/protocols/framing/support.js';

test('elementAt reads in range and throws outside it', (t) => {
  t.is(elementAt([4, 5], 1), 5);
  t.throws(() => elementAt([4, 5], 2), { instanceOf: RangeError, message: 'Index 2 is outside 0..1' });
});
