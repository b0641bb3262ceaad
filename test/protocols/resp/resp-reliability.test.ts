// Issue 13's RESP points: exact integers past 2^53 (PXAT 2^63 - 1), a command that throws answered
// with a typed error and the pipeline's earlier replies kept, 100,000 pipelined commands in one
// write answered in order with no recursion, MGET of large values written without copying them.
import test from 'ava';
import { RespServerProtocol, respFactory } from '../../../src/protocols/resp/resp-server.js';
import { RespStore } from '../../../src/protocols/resp/store.js';
import { RawConnection, startSwitchboardResp } from './redis-peer.js';
import { encodeRespCommand } from '../../../src/testing/index.js';
import { ManualTime, RecordingTransport, bytes, connect } from './resp-helpers.js';

test('SET PXAT 9223372036854775807 then PTTL and TTL answer the exact integers, as redis-server does', (t) => {
  const time = new ManualTime();
  const store = new RespStore({ now: time.now });
  const protocol = new RespServerProtocol(store);
  const transport = connect(protocol);
  protocol.dataReceived(bytes('PING\r\nSET k v PXAT 9223372036854775807\r\nPTTL k\r\nTTL k\r\nPING\r\n'));
  const left = 9_223_372_036_854_775_807n - BigInt(time.now());
  t.is(transport.output, `+PONG\r\n+OK\r\n:${left}\r\n:${(left + 500n) / 1000n}\r\n+PONG\r\n`);
  t.false(transport.isClosing);
  // The same for every later client: the key is not poisoned.
  time.advance(1);
  const later = new RespServerProtocol(store);
  const laterTransport = connect(later);
  later.dataReceived(bytes('PTTL k\r\n'));
  t.is(laterTransport.output, `:${left - 1n}\r\n`);
});

test('EXPIRE keeps a time past 2^53 exact too, and GT compares it exactly', (t) => {
  const time = new ManualTime();
  const protocol = new RespServerProtocol(new RespStore({ now: time.now }));
  const transport = connect(protocol);
  const now = BigInt(time.now());
  const seconds = 9_223_372_036_854_775n - now / 1000n - 1n;
  protocol.dataReceived(bytes(`SET k v\r\nEXPIRE k ${seconds}\r\nPTTL k\r\nPEXPIRE k ${seconds * 1000n + 1n} GT\r\nPTTL k\r\n`));
  t.is(transport.output, `+OK\r\n:1\r\n:${seconds * 1000n}\r\n:1\r\n:${seconds * 1000n + 1n}\r\n`);
});

test('a command that throws is answered with a typed -ERR; the replies before it and the connection survive', (t) => {
  // A clock that cannot be read as an integer makes TTL's arithmetic throw: the safety net's case.
  const store = new RespStore({ now: () => Number.NaN });
  store.set('k', bytes('v'));
  store.expireAt('k', 10 ** 15);
  const protocol = new RespServerProtocol(store);
  const transport = connect(protocol);
  protocol.dataReceived(bytes('PING\r\nGET k\r\nPTTL k\r\nPING\r\n'));
  t.regex(transport.output, /^\+PONG\r\n\$1\r\nv\r\n-ERR internal error in 'pttl': RangeError: [^\r\n]+\r\n\+PONG\r\n$/);
  t.false(transport.isClosing);
});

test('100,000 commands pipelined in one chunk are answered in order, by a loop (no stack growth)', (t) => {
  const protocol = new RespServerProtocol(new RespStore());
  const transport = connect(protocol);
  const count = 100_000;
  protocol.dataReceived(Buffer.concat(Array.from({ length: count }, () => encodeRespCommand(['INCR', 'c']))));
  const replies = transport.output.split('\r\n');
  t.is(replies.length, count + 1);
  t.true(replies.slice(0, count).every((reply, i) => reply === `:${i + 1}`));
});

test('100,000 commands pipelined in one write over loopback are answered in order', async (t) => {
  t.timeout(60_000);
  const port = await startSwitchboardResp(t);
  const connection = await RawConnection.open(port);
  t.teardown(() => connection.close());
  const count = 100_000;
  const replies = await connection.request(Buffer.concat(Array.from({ length: count }, () => encodeRespCommand(['INCR', 'c']))), count);
  t.is(replies.length, count);
  t.true(replies.every((reply, i) => reply.toString() === `:${i + 1}\r\n`));
});

test('a transaction of 100,000 queued commands runs by a loop and answers them all', (t) => {
  const protocol = new RespServerProtocol(new RespStore());
  const transport = connect(protocol);
  const count = 100_000;
  protocol.dataReceived(Buffer.concat([encodeRespCommand(['MULTI']), ...Array.from({ length: count }, () => encodeRespCommand(['INCR', 'c'])), encodeRespCommand(['EXEC'])]));
  const output = transport.output;
  t.true(output.startsWith(`+OK\r\n${'+QUEUED\r\n'.repeat(count)}*${count}\r\n:1\r\n`));
  t.true(output.endsWith(`:${count}\r\n`));
});

/** A transport that keeps what it is given, uncopied, to see whether a reply shares the store's memory. */
class SharingTransport extends RecordingTransport {
  readonly given: Uint8Array[] = [];

  override write(data: Uint8Array): void {
    this.given.push(data);
    super.write(data);
  }
}

test('MGET of large values writes the stored Buffers themselves: the reply copies only headers', (t) => {
  const factory = respFactory();
  const values = Array.from({ length: 8 }, (_, i) => Buffer.alloc(1024 * 1024, 0x61 + i));
  values.forEach((value, i) => factory.store.set(`big${i}`, value));
  const protocol = factory.buildProtocol(['127.0.0.1', 1]);
  const transport = new SharingTransport();
  protocol.connectionMade(transport);
  protocol.dataReceived(encodeRespCommand(['MGET', ...values.map((_, i) => `big${i}`), 'missing']));
  const stored = values.map((_, i) => factory.store.get(`big${i}`));
  const shared = transport.given.filter((data) => stored.some((value) => value !== undefined && value.buffer === data.buffer && value.byteOffset === data.byteOffset));
  t.is(shared.length, 8, 'each value written as the store holds it');
  const copiedBytes = transport.given.filter((data) => !shared.includes(data)).reduce((n, data) => n + data.length, 0);
  t.true(copiedBytes < 1024, `only headers copied: ${copiedBytes} bytes`);
  t.is(transport.output, `*9\r\n${values.map((value) => `$${value.length}\r\n${value.toString('latin1')}\r\n`).join('')}$-1\r\n`);
});
