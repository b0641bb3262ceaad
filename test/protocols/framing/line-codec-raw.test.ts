// LineCodec's raw mode and back (Twisted's setRawMode / setLineMode(extra)) and takeBuffered, with no
// sockets: a switch made while a line is emitted applies from the very next byte, however the input
// is split.
import test from 'ava';
import type { Codec } from '../../../src/protocols/framing/codec.js';
import { DelimitedCodec } from '../../../src/protocols/framing/delimited-codec.js';
import { LineCodec, type LineEnding } from '../../../src/protocols/framing/line-codec.js';
import { bytes, checkSplits, decode, texts } from '../../helpers/splits.js';

const latin1 = (frame: Uint8Array): string => Buffer.from(frame).toString('latin1');

/**
 * A header-then-body reader as a codec of event strings: a line `RAW n` switches to raw mode for
 * exactly n bytes (reported as `raw:...`), then back to lines with the surplus as `extra`.
 */
function headerThenBody(ending: LineEnding = 'lf'): Codec<string> {
  const lines = new LineCodec({ maxLineLength: 16, ending });
  let rawLeft = 0;
  let raw = '';
  const reader = (emit: (event: string) => void) => (frame: Uint8Array) => {
    if (lines.isRawMode) {
      const used = Math.min(rawLeft, frame.length);
      raw += latin1(frame.subarray(0, used));
      rawLeft -= used;
      if (rawLeft > 0) return;
      emit(`raw:${raw}`);
      raw = '';
      lines.setLineMode(frame.subarray(used));
      return;
    }
    emit(`line:${latin1(frame)}`);
    const header = /^RAW (\d+)$/.exec(latin1(frame));
    if (header === null) return;
    rawLeft = Number(header[1]);
    if (rawLeft > 0) lines.setRawMode();
  };
  return {
    feed: (chunk, emit) => lines.feed(chunk, reader(emit)),
    end: (emit) => lines.end(reader(emit)),
    encode: (event) => bytes(event),
  };
}

test('LineCodec goes raw right after the header line and back to lines with the extra bytes, however the input is split', (t) => {
  const { frames, error } = checkSplits(t, () => headerThenBody(), 'hi\nRAW 5\nab\ncdnext\nRAW 3\nx\nyend\n');
  t.is(error, undefined);
  t.deepEqual(frames, ['line:hi', 'line:RAW 5', 'raw:ab\ncd', 'line:next', 'line:RAW 3', 'raw:x\ny', 'line:end']);
});

test('LineCodec in raw mode passes CRs and overlong runs through untouched (any ending)', (t) => {
  const { frames } = checkSplits(t, () => headerThenBody('any'), 'RAW 24\r\n\r\r\n01234567890123456789\rok\r\n');
  t.deepEqual(frames, ['line:RAW 24', 'raw:\r\r\n01234567890123456789\r', 'line:ok']);
});

test('LineCodec takeBuffered from emit gives back the rest of the chunk and decodes no further', (t) => {
  const lines = new LineCodec({ maxLineLength: 16 });
  const seen: string[] = [];
  let taken = '';
  lines.feed(bytes('one\nSTARTTLS\n\x16\x03\x01rest\nmore'), (line) => {
    seen.push(latin1(line));
    if (latin1(line) === 'STARTTLS') taken = latin1(lines.takeBuffered());
  });
  t.deepEqual(seen, ['one', 'STARTTLS']);
  t.is(taken, '\x16\x03\x01rest\nmore');
  lines.feed(bytes('after\n'), (line) => seen.push(latin1(line)));
  t.deepEqual(seen, ['one', 'STARTTLS', 'after'], 'the codec goes on fresh');
});

test('LineCodec takeBuffered outside feed gives back the partial line, and a second call nothing', (t) => {
  const lines = new LineCodec({ maxLineLength: 16, ending: 'crlf' });
  t.deepEqual(decode(lines, [bytes('a\r\nhalf a li'), bytes('ne\r')], { end: false }).frames.map(latin1), ['a']);
  t.is(latin1(lines.takeBuffered()), 'half a line\r');
  t.is(lines.takeBuffered().length, 0);
  t.deepEqual(decode(lines, [bytes('\nb\r\n')]).frames.map(latin1), ['\nb'], 'the CR given back no longer starts a delimiter');
});

test('DelimitedCodec setRawMode outside feed emits the held partial frame first, raw, and at EOF too', (t) => {
  const codec = new DelimitedCodec({ delimiter: '||', maxFrameLength: 8 });
  t.deepEqual(texts(decode(codec, [bytes('a||bc|')], { end: false }).frames), ['a']);
  codec.setRawMode();
  t.true(codec.isRawMode);
  t.deepEqual(texts(decode(codec, [bytes('|d')], { end: false }).frames), ['bc|', '|d']);

  const atEOF = new DelimitedCodec({ delimiter: '\n', maxFrameLength: 8 });
  t.deepEqual(texts(decode(atEOF, [bytes('x\nyz')], { end: false }).frames), ['x']);
  atEOF.setRawMode();
  t.deepEqual(texts(decode(atEOF, []).frames), ['yz']);
});

test('DelimitedCodec setDelimitedMode with extra bytes outside feed throws, without them it just switches', (t) => {
  const codec = new DelimitedCodec({ delimiter: '\n', maxFrameLength: 8 });
  codec.setRawMode();
  t.throws(() => codec.setDelimitedMode(bytes('x\n')), { message: /outside feed/ });
  codec.setDelimitedMode();
  t.false(codec.isRawMode);
  t.deepEqual(texts(decode(codec, [bytes('p\nq\n')]).frames), ['p', 'q']);
});

test('DelimitedCodec setDelimitedMode(extra) from a line decodes the extra bytes before the rest of the chunk', (t) => {
  const codec = new DelimitedCodec({ delimiter: '\n', maxFrameLength: 8 });
  const seen: string[] = [];
  codec.feed(bytes('a\nb\n'), (frame) => {
    seen.push(latin1(frame));
    if (latin1(frame) === 'a') codec.setDelimitedMode(bytes('given\nback'));
  });
  t.deepEqual(seen, ['a', 'given', 'backb']);
});

test('DelimitedCodec keeps skipping an overlong frame when its bytes are taken, and takes nothing after failing', (t) => {
  const discarding = new DelimitedCodec({ delimiter: '\n', maxFrameLength: 2, discardOverlong: true });
  t.deepEqual(texts(decode(discarding, [bytes('ok\ntoo long')], { end: false }).frames), ['ok']);
  t.is(discarding.takeBuffered().length, 0);
  t.deepEqual(texts(decode(discarding, [bytes(' still\nab\n')]).frames), ['ab']);

  const failing = new LineCodec({ maxLineLength: 2 });
  t.throws(() => failing.feed(bytes('too long\n'), () => {}), { code: 'ERR_FRAME_TOO_LONG' });
  t.throws(() => failing.takeBuffered(), { code: 'ERR_FRAME_TOO_LONG' });
  t.throws(() => failing.setRawMode(), { code: 'ERR_FRAME_TOO_LONG' });
});
