// switchboard/testing's RESP client kit: commands encoded as clients send them, and a server's
// output cut into whole replies (RESP2 and RESP3, nested, partial), used here on the bundled server.
import test from 'ava';
import { respFactory } from '../../../src/protocols/resp/resp-server.js';
import { connectRecording, encodeRespCommand, respReplyEnd, splitRespReplies } from '../../../src/testing/index.js';

test('encodeRespCommand writes a multibulk command, binary arguments as they are', (t) => {
  t.is(encodeRespCommand(['SET', 'k', Buffer.from([0, 0xff])]).toString('latin1'), '*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$2\r\n\x00\xff\r\n');
  t.is(encodeRespCommand([]).toString(), '*0\r\n');
});

test('splitRespReplies cuts RESP2 and RESP3 replies, nested and null, and keeps a partial one', (t) => {
  const whole = '+OK\r\n-ERR x\r\n:5\r\n$3\r\na\r\n\r\n$-1\r\n*-1\r\n*2\r\n*1\r\n:1\r\n$0\r\n\r\n%1\r\n$1\r\nk\r\n~2\r\n_\r\n,1.5\r\n=8\r\ntxt:abcd\r\n#t\r\n(12\r\n*0\r\n';
  const { replies, rest } = splitRespReplies(Buffer.from(`${whole}*2\r\n:1\r\n`));
  t.deepEqual(
    replies.map(String),
    ['+OK\r\n', '-ERR x\r\n', ':5\r\n', '$3\r\na\r\n\r\n', '$-1\r\n', '*-1\r\n', '*2\r\n*1\r\n:1\r\n$0\r\n\r\n', '%1\r\n$1\r\nk\r\n~2\r\n_\r\n,1.5\r\n', '=8\r\ntxt:abcd\r\n', '#t\r\n', '(12\r\n', '*0\r\n'],
  );
  t.is(rest.toString(), '*2\r\n:1\r\n');
  t.is(respReplyEnd(Buffer.from('$5\r\nab'), 0), -1);
  t.throws(() => respReplyEnd(Buffer.from('x\r\n'), 0), { instanceOf: RangeError });
});

test('respReplyEnd walks a reply nested 100,000 deep without recursion', (t) => {
  const depth = 100_000;
  const deep = Buffer.from(`${'*1\r\n'.repeat(depth)}:7\r\n`);
  t.is(respReplyEnd(deep, 0), deep.length);
});

test('with connectRecording: send commands to the RESP server, read whole replies', (t) => {
  const transport = connectRecording(respFactory().buildProtocol(['127.0.0.1', 1]));
  transport.receive(Buffer.concat([encodeRespCommand(['HELLO', '3']), encodeRespCommand(['MGET', 'a', 'b'])]));
  const { replies, rest } = splitRespReplies(transport.bytes());
  t.is(replies.length, 2);
  t.true(String(replies[0]).startsWith('%7\r\n'));
  t.is(String(replies[1]), '*2\r\n_\r\n_\r\n');
  t.is(rest.length, 0);
});
