// The framing folder's public surface: every codec, and the errors they throw.
import test from 'ava';
import * as framing from '../../../src/protocols/framing/index.js';

test('the framing index exports every codec, both errors and isRecoverable', (t) => {
  t.deepEqual(Object.keys(framing).sort(), [
    'DelimitedCodec',
    'FixedLengthCodec',
    'FrameSyntaxError',
    'FrameTooLongError',
    'JsonCodec',
    'LengthPrefixedCodec',
    'LineCodec',
    'NetstringCodec',
    'ReadToEofCodec',
    'TypePrefixedCodec',
    'Utf8Codec',
    'isRecoverable',
  ]);
});
