// The reply encoders, byte for byte.
import test from 'ava';
import { encodeArray, encodeBulkString, encodeError, encodeInteger, encodeSimpleString } from '../../../src/protocols/resp/resp-encoder.js';

const text = (data: Buffer): string => data.toString('latin1');

test('encodeSimpleString and encodeError write one line, CR and LF turned into spaces', (t) => {
  t.is(text(encodeSimpleString('OK')), '+OK\r\n');
  t.is(text(encodeSimpleString('a\r\nb')), '+a  b\r\n');
  t.is(text(encodeError('ERR syntax error')), '-ERR syntax error\r\n');
  t.is(text(encodeError("ERR unknown command 'a\nb'")), "-ERR unknown command 'a b'\r\n");
});

test('encodeError writes one byte per char, so quoted client bytes go back unchanged', (t) => {
  t.deepEqual(encodeError("ERR got '\xff'"), Buffer.from([...Buffer.from("-ERR got '"), 0xff, 0x27, 0x0d, 0x0a]));
});

test('encodeInteger writes numbers and bigints, and refuses unsafe numbers', (t) => {
  t.is(text(encodeInteger(0)), ':0\r\n');
  t.is(text(encodeInteger(-42)), ':-42\r\n');
  t.is(text(encodeInteger(9223372036854775807n)), ':9223372036854775807\r\n');
  t.throws(() => encodeInteger(1.5), { instanceOf: RangeError });
  t.throws(() => encodeInteger(2 ** 53), { instanceOf: RangeError });
});

test('encodeBulkString writes bytes, UTF-8 strings and the null bulk string', (t) => {
  t.is(text(encodeBulkString(Buffer.from('a\r\nb'))), '$4\r\na\r\nb\r\n');
  t.is(text(encodeBulkString('')), '$0\r\n\r\n');
  t.deepEqual(encodeBulkString('é'), Buffer.from('$2\r\né\r\n', 'utf8'));
  t.is(text(encodeBulkString(null)), '$-1\r\n');
});

test('encodeArray writes encoded items, empty and null arrays', (t) => {
  t.is(text(encodeArray([encodeInteger(1), encodeArray([encodeBulkString('x')])])), '*2\r\n:1\r\n*1\r\n$1\r\nx\r\n');
  t.is(text(encodeArray([])), '*0\r\n');
  t.is(text(encodeArray(null)), '*-1\r\n');
});
