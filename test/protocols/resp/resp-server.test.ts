// RespServerProtocol as a connection: replies batched per chunk, protocol errors and QUIT closing
// after their reply, backpressure pausing reading, EOF, a lost connection, and respFactory's shared
// store. Over a recording transport: no sockets.
import test from 'ava';
import { RespServerProtocol, respFactory } from '../../../src/protocols/resp/resp-server.js';
import { RespStore } from '../../../src/protocols/resp/store.js';
import { ManualTime, bytes, connect } from './resp-helpers.js';

function open(options: ConstructorParameters<typeof RespServerProtocol>[1] = {}) {
  const protocol = new RespServerProtocol(new RespStore(), options);
  const transport = connect(protocol);
  return { protocol, transport, send: (text: string) => protocol.dataReceived(bytes(text)) };
}

const bulk = (value: string): string => `$${value.length}\r\n${value}\r\n`;
/** SET as a multibulk command: values over 64 KiB do not fit an inline command. */
const setCommand = (key: string, value: string): string => `*3\r\n$3\r\nSET\r\n${bulk(key)}${bulk(value)}`;

test('pipelined commands in one chunk are answered in order, in one write', (t) => {
  const { transport, send } = open();
  send('PING\r\n'.repeat(100) + '*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$1\r\nv\r\nGET k\r\n');
  t.is(transport.writes.length, 1);
  t.is(transport.output, `${'+PONG\r\n'.repeat(100)}+OK\r\n$1\r\nv\r\n`);
});

test('a command split across chunks is answered once it is whole, with no empty writes', (t) => {
  const { transport, send } = open();
  send('*2\r\n$4\r\nEC');
  t.is(transport.writes.length, 0);
  send('HO\r\n$2\r\nhi\r\n');
  t.is(transport.output, '$2\r\nhi\r\n');
});

test('replies are written in batches of about 64 KiB, and a big reply on its own, uncopied', (t) => {
  const { transport, send } = open();
  const value = 'x'.repeat(40_000);
  send(`SET k ${value}\r\n${setCommand('big', 'y'.repeat(100_000))}`);
  send('PING\r\nGET k\r\nGET k\r\nGET k\r\n');
  t.deepEqual(
    transport.writes.slice(1).map((w) => w.length),
    [7 + 2 * (40_000 + 10), 40_000 + 10],
    'PING and two GETs pass 64 KiB and go out; the last GET at the end of the chunk',
  );
  send('PING\r\nGET big\r\nPING\r\n');
  // The big value goes out on its own, as the store holds it: its header with the batch before it.
  t.deepEqual(transport.writes.slice(3).map((w) => w.toString('latin1', 0, 16)), ['+PONG\r\n$100000\r\n', 'y'.repeat(16), '\r\n+PONG\r\n']);
  t.is(transport.writes[4]?.length, 100_000);
});

test('over the high-water mark reading pauses, and the rest of the chunk waits for resumeWriting', (t) => {
  const { protocol, transport, send } = open();
  const value = 'x'.repeat(40_000);
  send(`SET k ${value}\r\n`);
  // The transport's part: its buffer goes over high water at the next write.
  transport.onWrite = () => {
    transport.onWrite = undefined;
    protocol.pauseWriting();
  };
  send('GET k\r\n'.repeat(5) + 'PING\r\n');
  t.false(transport.isReading);
  t.is(transport.writes.length, 2, 'one batch written, then paused');
  t.is(transport.output.split('$40000').length - 1, 2);
  protocol.resumeWriting();
  t.true(transport.isReading);
  t.is(transport.output.split('$40000').length - 1, 5);
  t.true(transport.output.endsWith('+PONG\r\n'));
  t.false(transport.isClosing);
});

test('EOF closes at once when nothing waits, and after the waiting commands are answered otherwise', (t) => {
  const idle = open();
  idle.send('PING\r\n');
  t.false(idle.protocol.eofReceived(), 'the transport closes once its writes are out');

  const { protocol, transport, send } = open();
  send(setCommand('k', 'x'.repeat(70_000)));
  transport.onWrite = () => protocol.pauseWriting();
  send('GET k\r\nGET k\r\n');
  t.true(protocol.eofReceived(), 'a GET still waits: keep writing');
  t.false(transport.isClosing);
  transport.onWrite = undefined;
  protocol.resumeWriting();
  t.is(transport.output.split('$70000').length - 1, 2);
  t.true(transport.isClosing);
});

test('a protocol error is answered after the commands before it, then the connection closes', (t) => {
  const { transport, send } = open();
  send('PING\r\n*1\r\nx\r\nPING\r\n');
  t.is(transport.output, "+PONG\r\n-ERR Protocol error: expected '$', got 'x'\r\n");
  t.is(transport.writes.length, 1);
  t.true(transport.isClosing);
  send('PING\r\n');
  t.is(transport.writes.length, 1, 'nothing more is read');
});

test('QUIT answers +OK and closes, leaving the commands after it unanswered', (t) => {
  const { protocol, transport, send } = open();
  send('PING\r\nQUIT\r\nPING\r\n');
  t.is(transport.output, '+PONG\r\n+OK\r\n');
  t.is(transport.closeCalls, 1);
  protocol.resumeWriting();
  send('PING\r\n');
  t.is(transport.output, '+PONG\r\n+OK\r\n');
});

test('QUIT while paused closes without resuming reading', (t) => {
  const { protocol, transport, send } = open();
  transport.onWrite = () => protocol.pauseWriting();
  send('QUIT\r\n');
  protocol.resumeWriting();
  t.false(transport.isReading);
  t.true(transport.isClosing);
});

test('a connection lost during a write drops the rest of the replies', (t) => {
  const { transport, send } = open();
  send(`SET k ${'x'.repeat(40_000)}\r\n`);
  transport.onWrite = (self) => {
    self.isClosing = true;
  };
  send('GET k\r\n'.repeat(4));
  t.deepEqual(transport.writes.map((w) => w.length), [5, 80_020], 'the first batch, then nothing');
});

test('a connection lost while flushing before a big reply drops the big reply', (t) => {
  const { transport, send } = open();
  send(setCommand('big', 'y'.repeat(100_000)));
  transport.onWrite = (self) => {
    self.isClosing = true;
  };
  send('PING\r\nGET big\r\n');
  t.deepEqual(transport.writes.map(String), ['+OK\r\n', '+PONG\r\n$100000\r\n']);
});

test('after connectionLost, data is ignored', (t) => {
  const { protocol, transport, send } = open();
  protocol.connectionLost();
  send('PING\r\n');
  protocol.resumeWriting();
  protocol.pauseWriting();
  t.is(transport.writes.length, 0);
});

test('with maxDepth above 1 a nested argument gets an error reply and the connection stays open', (t) => {
  const { transport, send } = open({ limits: { maxDepth: 2 } });
  send('*2\r\n$4\r\nECHO\r\n*1\r\n$1\r\na\r\nPING\r\n');
  t.is(transport.output, '-ERR Protocol error: nested arrays are not valid command arguments\r\n+PONG\r\n');
  t.false(transport.isClosing);
});

test('respFactory builds connections that share one store', (t) => {
  const factory = respFactory();
  const a = factory.buildProtocol(['127.0.0.1', 1]);
  const b = factory.buildProtocol(['127.0.0.1', 2]);
  const ta = connect(a);
  const tb = connect(b);
  a.dataReceived(bytes('SET shared 1\r\n'));
  b.dataReceived(bytes('GET shared\r\n'));
  t.is(ta.output, '+OK\r\n');
  t.is(tb.output, bulk('1'));
  t.is(factory.store.get('shared')?.toString(), '1');
});

test('respFactory takes a store, or makes one with its clock and scheduler', (t) => {
  const store = new RespStore();
  t.is(respFactory({ store }).store, store);
  const time = new ManualTime();
  const factory = respFactory({ now: time.now, scheduler: time, sweepInterval: 1 });
  factory.store.set('k', bytes('v'));
  factory.store.expireAt('k', time.now() + 10);
  time.advance(1000);
  t.is(factory.store.size, 0, 'swept on the factory scheduler');
  factory.store.close();
});

test('respFactory refuses invalid limits when it is made, not per connection', (t) => {
  t.throws(() => respFactory({ limits: { maxDepth: 0 } }), { instanceOf: RangeError });
  t.throws(() => respFactory({ limits: { maxBulkBytes: -1 } }), { instanceOf: RangeError });
});

test('the limits reach the parser: a bulk over maxBulkBytes gets redis\'s reply and a close', (t) => {
  const factory = respFactory({ limits: { maxBulkBytes: 10 } });
  const bystander = connect(factory.buildProtocol(['127.0.0.1', 1]));
  const protocol = factory.buildProtocol(['127.0.0.1', 2]);
  const transport = connect(protocol);
  protocol.dataReceived(bytes('CONFIG GET proto-max-bulk-len\r\n*2\r\n$4\r\nECHO\r\n$11\r\n'));
  t.is(transport.output, '*2\r\n$18\r\nproto-max-bulk-len\r\n$2\r\n10\r\n-ERR Protocol error: invalid bulk length\r\n');
  t.true(transport.isClosing);
  t.false(bystander.isClosing);
});

test('a stored value and commands waiting behind backpressure survive the reuse of the chunk they came in', (t) => {
  const { protocol, transport } = open();
  const chunk = bytes(`${setCommand('k', 'value')}*2\r\n$3\r\nGET\r\n$1\r\nk\r\n`);
  transport.onWrite = () => protocol.pauseWriting();
  protocol.dataReceived(chunk.subarray(0, chunk.indexOf('*2')));
  // Paused by the +OK: the GET that arrives now waits, parsed, for resumeWriting.
  protocol.dataReceived(chunk.subarray(chunk.indexOf('*2')));
  chunk.fill(0x23);
  transport.onWrite = undefined;
  protocol.resumeWriting();
  t.is(transport.output, '+OK\r\n$5\r\nvalue\r\n');
});
