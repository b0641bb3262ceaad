// Every command of RespServerProtocol over a recording transport, reply bytes exactly as
// redis-server 7.0 gives them (each time-independent transcript here was checked against it),
// expiry on a manual clock.
import test from 'ava';
import { RESP_COMMANDS, RespServerProtocol } from '../../../src/protocols/resp/resp-server.js';
import { RespStore } from '../../../src/protocols/resp/store.js';
import { argAt } from '../../../src/protocols/resp/command.js';
import { ManualTime, bytes, connect } from './resp-helpers.js';

/** A connection to a fresh server on a manual clock: send() takes commands, each line one reply. */
function server(time = new ManualTime()) {
  const store = new RespStore({ now: time.now });
  const protocol = new RespServerProtocol(store);
  const transport = connect(protocol);
  return {
    time,
    store,
    transport,
    /** Sends `lines` as inline commands, each ended by CRLF, and returns what came back to them. */
    send(...lines: string[]): string {
      const before = transport.output.length;
      protocol.dataReceived(bytes(lines.map((line) => `${line}\r\n`).join('')));
      return transport.output.slice(before);
    },
  };
}

const arity = (name: string): string => `-ERR wrong number of arguments for '${name}' command\r\n`;
const NOT_INTEGER = '-ERR value is not an integer or out of range\r\n';

test('PING and ECHO', (t) => {
  const { send } = server();
  t.is(send('PING', 'PING hello', 'PING a b', 'ECHO x', 'ECHO', 'ECHO a b'), `+PONG\r\n$5\r\nhello\r\n${arity('ping')}$1\r\nx\r\n${arity('echo')}${arity('echo')}`);
});

test('command names are case-insensitive, inline or multibulk', (t) => {
  const { send, transport } = server();
  t.is(send('pInG', 'ping'), '+PONG\r\n+PONG\r\n');
  t.is(send('*1\r\n$4\r\nPiNg'), '+PONG\r\n');
  t.is(transport.writes.length, 2);
});

test('an unknown command is named with up to 128 bytes of its arguments, as redis words it', (t) => {
  const { send } = server();
  t.is(send('nosuch'), "-ERR unknown command 'nosuch', with args beginning with: \r\n");
  t.is(send('nosuch a b'), "-ERR unknown command 'nosuch', with args beginning with: 'a' 'b' \r\n");
  t.is(send(`nosuch ${'a'.repeat(150)} bbbb`), `-ERR unknown command 'nosuch', with args beginning with: '${'a'.repeat(128)}' \r\n`);
  const [a, b, c] = ['a'.repeat(60), 'b'.repeat(60), 'c'.repeat(60)] as const;
  t.is(send(`nosuch ${a} ${b} ${c} d`), `-ERR unknown command 'nosuch', with args beginning with: '${a}' '${b}' '${c.slice(0, 2)}' \r\n`);
  t.is(send('NoSuch "a\\r\\nb"'), "-ERR unknown command 'NoSuch', with args beginning with: 'a  b' \r\n");
  t.is(send('"no\\x00such" x'), "-ERR unknown command 'no', with args beginning with: 'x' \r\n");
});

test('SET, GET and SET options NX XX GET KEEPTTL EX PX EXAT PXAT', (t) => {
  const { send, time } = server();
  t.is(send('GET k', 'SET k v', 'GET k', 'GET', 'GET a b', 'SET k'), `$-1\r\n+OK\r\n$1\r\nv\r\n${arity('get')}${arity('get')}${arity('set')}`);
  t.is(send('SET k v nx', 'SET n v NX', 'SET k w xx', 'SET m w XX', 'GET k', 'GET m'), '$-1\r\n+OK\r\n+OK\r\n$-1\r\n$1\r\nw\r\n$-1\r\n');
  t.is(send('SET k x get', 'SET new y get', 'SET new z nx get', 'SET none z xx get'), '$1\r\nw\r\n$-1\r\n$1\r\ny\r\n$-1\r\n');
  t.is(send('SET k v ex 5 ex 6', 'TTL k', 'SET k v keepttl', 'TTL k', 'SET k v', 'TTL k'), '+OK\r\n:6\r\n+OK\r\n:6\r\n+OK\r\n:-1\r\n');
  t.is(send('SET k v px 1500', 'PTTL k', 'TTL k'), '+OK\r\n:1500\r\n:2\r\n');
  t.is(send(`SET k v exat ${time.now() / 1000 + 100}`, 'TTL k', `SET k v PXAT ${time.now() + 250}`, 'PTTL k'), '+OK\r\n:100\r\n+OK\r\n:250\r\n');
  t.is(send('SET k v exat 1', 'GET k'), '+OK\r\n$-1\r\n', 'a time in the past: set, and gone');
});

test('SET refuses bad options and expiry times with redis errors', (t) => {
  const { send } = server();
  const syntax = '-ERR syntax error\r\n';
  const invalid = "-ERR invalid expire time in 'set' command\r\n";
  t.is(send('SET k v EX 0', 'SET k v ex -1', 'SET k v ex 10 px 10', 'SET k v nx xx', 'SET k v xx nx', 'SET k v ex'), `${invalid}${invalid}${syntax}${syntax}${syntax}${syntax}`);
  t.is(send('SET k v ex 1 keepttl', 'SET k v keepttl px 1', 'SET k v bogus', 'SET k v ex abc'), `${syntax}${syntax}${syntax}${NOT_INTEGER}`);
  t.is(send('SET k v EX 9223372036854775', 'SET k v PX 9223372036854775807', 'SET k v ex 9223372036854774'), `${invalid}${invalid}${invalid}`);
  t.is(send('GET k'), '$-1\r\n', 'no refused SET wrote anything');
});

test('MSET and MGET', (t) => {
  const { send } = server();
  t.is(send('MSET a', 'MSET a 1 b', 'MSET a 1 b 2', 'MGET a b c', 'MGET'), `${arity('mset')}${arity('mset')}+OK\r\n*3\r\n$1\r\n1\r\n$1\r\n2\r\n$-1\r\n${arity('mget')}`);
});

test('INCR, DECR, INCRBY and DECRBY count in int64 and refuse non-integers and overflow', (t) => {
  const { send } = server();
  const overflow = '-ERR increment or decrement would overflow\r\n';
  t.is(send('INCR n', 'INCR n', 'DECR n', 'DECR m', 'INCRBY n 10', 'DECRBY n 3', 'GET n'), ':1\r\n:2\r\n:1\r\n:-1\r\n:11\r\n:8\r\n$1\r\n8\r\n');
  t.is(send('SET max 9223372036854775807', 'INCR max', 'SET min -9223372036854775808', 'DECR min', 'INCRBY n 9223372036854775807'), `+OK\r\n${overflow}+OK\r\n${overflow}${overflow}`);
  t.is(send('DECRBY n -9223372036854775808'), '-ERR decrement would overflow\r\n');
  t.is(send('SET s abc', 'INCR s', 'SET z " 1"', 'INCR z', 'SET y 01', 'INCR y', 'SET big 123456789012345678901', 'INCR big'), `+OK\r\n${NOT_INTEGER}`.repeat(4));
  t.is(send('INCRBY n x', 'DECRBY n x', 'INCR', 'INCRBY n'), `${NOT_INTEGER}${NOT_INTEGER}${arity('incr')}${arity('incrby')}`);
});

test('INCR keeps the time to live', (t) => {
  const { send } = server();
  t.is(send('SET n 1 ex 100', 'INCR n', 'TTL n'), '+OK\r\n:2\r\n:100\r\n');
});

test('DEL and EXISTS count keys, EXISTS repeats included', (t) => {
  const { send } = server();
  t.is(send('SET a 1', 'SET b 2', 'DEL a a c', 'EXISTS b b a', 'DEL', 'EXISTS'), `+OK\r\n+OK\r\n:1\r\n:2\r\n${arity('del')}${arity('exists')}`);
});

test('EXPIRE, TTL, PTTL and PERSIST, with the NX XX GT LT options', (t) => {
  const { send } = server();
  t.is(send('SET b 2', 'EXPIRE b 100', 'TTL b', 'PTTL b', 'TTL nosuch', 'SET c 3', 'TTL c', 'EXPIRE nosuch 10'), '+OK\r\n:1\r\n:100\r\n:100000\r\n:-2\r\n+OK\r\n:-1\r\n:0\r\n');
  t.is(send('EXPIRE c 10 nx', 'EXPIRE c 20 nx', 'EXPIRE c 5 gt', 'EXPIRE c 5 lt', 'TTL c'), ':1\r\n:0\r\n:0\r\n:1\r\n:5\r\n');
  t.is(send('SET d 1', 'EXPIRE d 100 xx', 'EXPIRE d 100 gt', 'EXPIRE d 100 lt', 'TTL d', 'EXPIRE d 50 gt', 'EXPIRE d 200 gt', 'EXPIRE d 300 lt'), '+OK\r\n:0\r\n:0\r\n:1\r\n:100\r\n:0\r\n:1\r\n:0\r\n');
  t.is(send('PEXPIRE d 5000', 'PTTL d', 'PERSIST d', 'PERSIST d', 'TTL d', 'PERSIST nosuch'), ':1\r\n:5000\r\n:1\r\n:0\r\n:-1\r\n:0\r\n');
  t.is(send('EXPIRE c -1', 'EXISTS c', 'SET e 1', 'PEXPIRE e 0', 'EXISTS e'), ':1\r\n:0\r\n+OK\r\n:1\r\n:0\r\n', 'a time not in the future deletes');
});

test('EXPIRE refuses bad options and times with redis errors', (t) => {
  const { send } = server();
  const invalid = "-ERR invalid expire time in 'expire' command\r\n";
  t.is(send('SET c 1', 'EXPIRE c 5 foo', 'EXPIRE c 5 nx xx', 'EXPIRE c 5 gt lt', 'EXPIRE c abc', 'EXPIRE c'), `+OK\r\n-ERR Unsupported option foo\r\n-ERR NX and XX, GT or LT options at the same time are not compatible\r\n-ERR GT and LT options at the same time are not compatible\r\n${NOT_INTEGER}${arity('expire')}`);
  t.is(send('EXPIRE c 9223372036854775807', 'EXPIRE c -9223372036854776', 'EXPIRE c 9223372036854775'), `${invalid}${invalid}${invalid}`);
  t.is(send('PEXPIRE c 9223372036854775807', 'TTL c', 'TTL', 'PTTL'), `-ERR invalid expire time in 'pexpire' command\r\n:-1\r\n${arity('ttl')}${arity('pttl')}`);
});

test('keys expire as the clock moves: TTL rounds to the nearest second, then the key is gone', (t) => {
  const { send, time } = server();
  send('SET k v px 2600');
  time.advance(1000);
  t.is(send('TTL k', 'PTTL k'), ':2\r\n:1600\r\n');
  time.advance(1099);
  t.is(send('TTL k'), ':1\r\n');
  time.advance(501);
  t.is(send('PTTL k', 'GET k'), ':0\r\n$1\r\nv\r\n', 'due now, but redis expires a key only once now is past its time');
  time.advance(1);
  t.is(send('GET k', 'TTL k', 'EXISTS k'), '$-1\r\n:-2\r\n:0\r\n');
});

test('KEYS, DBSIZE and FLUSHDB', (t) => {
  const { send } = server();
  send('SET hallo x', 'SET hbllo x', 'SET hello x', 'SET h1 x', 'SET "h*" x');
  t.is(send('KEYS h[ae]llo', 'KEYS h\\*', 'KEYS *1', 'KEYS', 'DBSIZE', 'DBSIZE x'), `*2\r\n$5\r\nhallo\r\n$5\r\nhello\r\n*1\r\n$2\r\nh*\r\n*1\r\n$2\r\nh1\r\n${arity('keys')}:5\r\n${arity('dbsize')}`);
  t.is(send('FLUSHDB foo', 'FLUSHDB sync x', 'DBSIZE', 'FLUSHDB async', 'DBSIZE', 'FLUSHDB SYNC', 'FLUSHDB'), '-ERR syntax error\r\n-ERR syntax error\r\n:5\r\n+OK\r\n:0\r\n+OK\r\n+OK\r\n');
});

test('KEYS returns binary keys byte for byte', (t) => {
  const { send } = server();
  send('SET "\\xff\\x00k" v');
  t.is(send('KEYS *k'), '*1\r\n$3\r\n\xff\x00k\r\n');
});

test('SELECT takes databases 0 to 15, each its own keyspace, with redis errors for the rest', (t) => {
  const { send } = server();
  t.is(send('SELECT 0', 'SELECT 15', 'SELECT 16', 'SELECT -1', 'SELECT abc', 'SELECT 99999999999', 'SELECT'), `+OK\r\n+OK\r\n-ERR DB index is out of range\r\n-ERR DB index is out of range\r\n${NOT_INTEGER}-ERR value is out of range, value must between -2147483648 and 2147483647\r\n${arity('select')}`);
  t.is(send('SET k fifteen', 'SELECT 0', 'GET k', 'SELECT 15', 'GET k'), '+OK\r\n+OK\r\n$-1\r\n+OK\r\n$7\r\nfifteen\r\n');
});

test('CONFIG GET answers save and appendonly as redis-benchmark asks, and globs', (t) => {
  const { send } = server();
  t.is(send('CONFIG GET save', 'CONFIG GET appendonly', 'CONFIG GET SAVE', 'config get nosuch'), '*2\r\n$4\r\nsave\r\n$0\r\n\r\n*2\r\n$10\r\nappendonly\r\n$2\r\nno\r\n*2\r\n$4\r\nSAVE\r\n$0\r\n\r\n*0\r\n');
  t.is(send('CONFIG GET save appendonly save', 'CONFIG GET appendonl?'), '*4\r\n$4\r\nsave\r\n$0\r\n\r\n$10\r\nappendonly\r\n$2\r\nno\r\n*2\r\n$10\r\nappendonly\r\n$2\r\nno\r\n');
  t.is(send('CONFIG GET maxmemory*', 'CONFIG GET proto-max-bulk-len'), '*4\r\n$9\r\nmaxmemory\r\n$1\r\n0\r\n$16\r\nmaxmemory-policy\r\n$10\r\nnoeviction\r\n*2\r\n$18\r\nproto-max-bulk-len\r\n$9\r\n536870912\r\n');
  t.is(send('CONFIG foo', 'CONFIG', 'CONFIG GET'), `-ERR unknown subcommand 'foo'. Try CONFIG HELP.\r\n${arity('config')}${arity('config|get')}`);
});

test('COMMAND, COMMAND COUNT, COMMAND INFO and COMMAND DOCS', (t) => {
  const { send } = server();
  t.is(send('COMMAND COUNT'), `:${RESP_COMMANDS.size}\r\n`);
  t.is(send('COMMAND DOCS', 'COMMAND DOCS get'), '*0\r\n*0\r\n');
  t.is(send('COMMAND INFO get nosuch'), '*2\r\n*10\r\n$3\r\nget\r\n:2\r\n*2\r\n+readonly\r\n+fast\r\n:1\r\n:1\r\n:1\r\n*0\r\n*0\r\n*0\r\n*0\r\n$-1\r\n');
  t.is(send('COMMAND INFO config'), '*1\r\n*10\r\n$6\r\nconfig\r\n:-2\r\n*0\r\n:0\r\n:0\r\n:0\r\n*0\r\n*0\r\n*0\r\n*1\r\n*10\r\n$10\r\nconfig|get\r\n:-3\r\n*4\r\n+admin\r\n+noscript\r\n+loading\r\n+stale\r\n:0\r\n:0\r\n:0\r\n*0\r\n*0\r\n*0\r\n*0\r\n');
  const all = send('COMMAND');
  t.true(all.startsWith(`*${RESP_COMMANDS.size}\r\n*10\r\n$4\r\nping\r\n`));
  t.is(send('COMMAND INFO'), all);
  t.is(send('COMMAND foo', 'COMMAND COUNT x'), `-ERR unknown subcommand 'foo'. Try COMMAND HELP.\r\n${arity('command|count')}`);
});

test('the command table has the commands redis-cli and redis-benchmark need, each with a sound arity', (t) => {
  for (const name of ['ping', 'echo', 'set', 'get', 'del', 'exists', 'incr', 'decr', 'mget', 'mset', 'expire', 'ttl', 'keys', 'dbsize', 'flushdb', 'command', 'config', 'quit', 'select']) {
    t.truthy(RESP_COMMANDS.get(name), name);
  }
  t.throws(() => argAt([], 1), { instanceOf: RangeError });
});
