// What one connection carries between commands, over recording transports: transactions (queued,
// atomic, EXECABORT with no partial effect, WATCH aborts on another client's write), HELLO's RESP3,
// CLIENT names, databases and SWAPDB, and SCAN's cursor never skipping a key present throughout.
// Replies are redis-server 7.0.15's bytes (checked against it by resp-differential.test.ts too).
import test from 'ava';
import { RespServerProtocol, respFactory } from '../../../src/protocols/resp/resp-server.js';
import { RespStore } from '../../../src/protocols/resp/store.js';
import { bytes, connect } from './resp-helpers.js';

/** Two connections to one server: each send() takes inline commands and returns their replies. */
function twoClients() {
  const factory = respFactory();
  const client = () => {
    const protocol = factory.buildProtocol(['127.0.0.1', 1]);
    const transport = connect(protocol);
    return (...lines: string[]): string => {
      const before = transport.output.length;
      protocol.dataReceived(bytes(lines.map((line) => `${line}\r\n`).join('')));
      return transport.output.slice(before);
    };
  };
  return { factory, a: client(), b: client() };
}

test('MULTI queues, EXEC runs the queue at once and answers every reply in one array', (t) => {
  const { a, b } = twoClients();
  t.is(a('MULTI', 'SET k 1', 'INCR k', 'GET k'), '+OK\r\n+QUEUED\r\n+QUEUED\r\n+QUEUED\r\n');
  t.is(b('GET k'), '$-1\r\n', 'nothing ran before EXEC');
  t.is(a('EXEC'), '*3\r\n+OK\r\n:2\r\n$1\r\n2\r\n');
  t.is(a('EXEC', 'DISCARD'), '-ERR EXEC without MULTI\r\n-ERR DISCARD without MULTI\r\n');
});

test('an unknown or malformed command inside MULTI aborts EXEC with EXECABORT and nothing runs', (t) => {
  const { a } = twoClients();
  t.is(a('MULTI', 'SET k 1', 'NOSUCH x', 'GET', 'EXEC'), "+OK\r\n+QUEUED\r\n-ERR unknown command 'NOSUCH', with args beginning with: 'x' \r\n-ERR wrong number of arguments for 'get' command\r\n-EXECABORT Transaction discarded because of previous errors.\r\n");
  t.is(a('GET k'), '$-1\r\n');
  // An error while running (a wrong value) is a reply in the array, not an abort: redis's rule.
  t.is(a('SET s x', 'MULTI', 'INCR s', 'SET t 1', 'EXEC', 'GET t'), '+OK\r\n+OK\r\n+QUEUED\r\n+QUEUED\r\n*2\r\n-ERR value is not an integer or out of range\r\n+OK\r\n$1\r\n1\r\n');
});

test('WATCH aborts EXEC when another client changes the key, and UNWATCH or EXEC forget it', (t) => {
  const { a, b } = twoClients();
  t.is(a('WATCH k', 'MULTI', 'SET k mine'), '+OK\r\n+OK\r\n+QUEUED\r\n');
  t.is(b('SET k theirs'), '+OK\r\n');
  t.is(a('EXEC', 'GET k'), '*-1\r\n$6\r\ntheirs\r\n');
  t.is(a('WATCH k', 'UNWATCH'), '+OK\r\n+OK\r\n');
  b('SET k again');
  t.is(a('MULTI', 'GET k', 'EXEC'), '+OK\r\n+QUEUED\r\n*1\r\n$5\r\nagain\r\n');
  t.is(a('MULTI', 'WATCH k', 'MULTI', 'DISCARD'), '+OK\r\n-ERR WATCH inside MULTI is not allowed\r\n-ERR MULTI calls can not be nested\r\n+OK\r\n');
});

test('WATCH sees FLUSHALL and SWAPDB of a watched key, and a write that changes nothing does not abort', (t) => {
  const { a, b } = twoClients();
  b('SET k v');
  t.is(a('WATCH k'), '+OK\r\n');
  t.is(b('SET k v2 NX', 'DEL nothing', 'EXPIRE nothing 10'), '$-1\r\n:0\r\n:0\r\n');
  t.is(a('MULTI', 'PING', 'EXEC'), '+OK\r\n+QUEUED\r\n*1\r\n+PONG\r\n');
  t.is(a('WATCH k', 'MULTI'), '+OK\r\n+OK\r\n');
  b('FLUSHALL');
  t.is(a('EXEC'), '*-1\r\n');
  b('SELECT 1', 'SET k one');
  t.is(a('WATCH k', 'MULTI'), '+OK\r\n+OK\r\n');
  b('SWAPDB 0 1');
  t.is(a('EXEC', 'GET k'), '*-1\r\n$3\r\none\r\n');
});

test('HELLO 3 switches the connection to RESP3: a map, nulls as _, INFO verbatim; HELLO 2 back', (t) => {
  const { a } = twoClients();
  const hello3 = a('HELLO 3');
  t.true(hello3.startsWith('%7\r\n$6\r\nserver\r\n$5\r\nredis\r\n$7\r\nversion\r\n$6\r\n7.0.15\r\n$5\r\nproto\r\n:3\r\n$2\r\nid\r\n:'));
  t.true(hello3.endsWith('$4\r\nmode\r\n$10\r\nstandalone\r\n$4\r\nrole\r\n$6\r\nmaster\r\n$7\r\nmodules\r\n*0\r\n'));
  t.is(a('GET nothing', 'MGET nothing', 'CLIENT GETNAME'), '_\r\n*1\r\n_\r\n_\r\n');
  t.regex(a('INFO keyspace'), /^=\d+\r\ntxt:# Keyspace\r\n\r\n$/);
  t.true(a('HELLO 2').startsWith('*14\r\n'));
  t.is(a('GET nothing', 'HELLO 4', 'HELLO x', 'HELLO 3 AUTH bob pw', 'HELLO 3 foo'), "$-1\r\n-NOPROTO unsupported protocol version\r\n-ERR Protocol version is not an integer or out of range\r\n-WRONGPASS invalid username-password pair or user is disabled.\r\n-ERR Syntax error in HELLO option 'foo'\r\n");
});

test('CLIENT SETNAME/GETNAME/ID and SETINFO (accepted, as redis 7.2 does)', (t) => {
  const { a, b } = twoClients();
  t.is(a('CLIENT SETNAME app', 'CLIENT GETNAME', 'CLIENT SETNAME "a b"', 'CLIENT SETNAME ""', 'CLIENT GETNAME'), '+OK\r\n$3\r\napp\r\n-ERR Client names cannot contain spaces, newlines or special characters.\r\n+OK\r\n$-1\r\n');
  const [idA, idB] = [a('CLIENT ID'), b('CLIENT ID')];
  t.regex(idA, /^:\d+\r\n$/);
  t.not(idA, idB);
  t.is(a('CLIENT SETINFO LIB-NAME ioredis', 'CLIENT SETINFO lib-ver 5.4.1', 'CLIENT SETINFO color red', 'CLIENT NOSUCH'), "+OK\r\n+OK\r\n-ERR Unrecognized option 'color'\r\n-ERR unknown subcommand 'NOSUCH'. Try CLIENT HELP.\r\n");
});

test('INFO has the sections clients read: server, clients, memory, persistence, keyspace', (t) => {
  const { a } = twoClients();
  a('SET k v', 'SET e v EX 100', 'SELECT 3', 'SET x y');
  const info = a('INFO');
  for (const line of ['# Server', 'redis_version:7.0.15', '# Clients', 'connected_clients:2', '# Memory', 'loading:0', '# Keyspace', 'db0:keys=2,expires=1,avg_ttl=0', 'db3:keys=1,expires=0,avg_ttl=0']) {
    t.true(info.includes(`${line}\r\n`), line);
  }
  t.false(a('INFO server').includes('# Keyspace'));
});

test('APPEND, STRLEN, TYPE, and KEYS * with the empty-string key', (t) => {
  const { a } = twoClients();
  t.is(a('APPEND k ab', 'APPEND k cd', 'STRLEN k', 'STRLEN none', 'TYPE k', 'TYPE none', 'SET "" empty', 'KEYS *'), ':2\r\n:4\r\n:4\r\n:0\r\n+string\r\n+none\r\n+OK\r\n*2\r\n$1\r\nk\r\n$0\r\n\r\n');
});

test('SCAN never skips a key present for the whole iteration, whatever is deleted and added meanwhile', (t) => {
  const store = new RespStore();
  const stable = Array.from({ length: 500 }, (_, i) => `stable${i}`);
  for (const [i, key] of stable.entries()) {
    store.set(key, bytes('v'));
    for (let j = 0; j < 6; j++) store.set(`doomed${i * 6 + j}`, bytes('v'));
  }
  const seen = new Map<string, number>();
  let cursor = 0n;
  let round = 0;
  do {
    const { next, keys } = store.scan(cursor, 7);
    for (const key of keys) seen.set(key, (seen.get(key) ?? 0) + 1);
    // Churn between steps: deletions (3,000 in all: tombstones are swept several times) and new
    // keys, some of them deleted ones created again.
    for (let j = 0; j < 100; j++) store.delete(`doomed${round * 100 + j}`);
    store.set(`new${round}`, bytes('v'));
    store.set(`doomed${round}`, bytes('again'));
    cursor = next;
    round++;
  } while (cursor !== 0n && round < 10_000);
  t.is(cursor, 0n);
  for (const key of stable) t.is(seen.get(key), 1, key);
});

test('SCAN options: MATCH, COUNT, TYPE, and redis errors', (t) => {
  const { a } = twoClients();
  a('MSET a 1 b 2 ab 3');
  t.is(a('SCAN 0 MATCH a*'), '*2\r\n$1\r\n0\r\n*2\r\n$1\r\na\r\n$2\r\nab\r\n');
  t.is(a('SCAN 0 COUNT 2'), '*2\r\n$1\r\n3\r\n*2\r\n$1\r\na\r\n$1\r\nb\r\n');
  t.is(a('SCAN 3 COUNT 2'), '*2\r\n$1\r\n0\r\n*1\r\n$2\r\nab\r\n');
  t.is(a('SCAN 0 TYPE list', 'SCAN 0 TYPE string MATCH b'), '*2\r\n$1\r\n0\r\n*0\r\n*2\r\n$1\r\n0\r\n*1\r\n$1\r\nb\r\n');
  t.is(a('SCAN x', 'SCAN 0 COUNT 0', 'SCAN 0 MATCH', 'SCAN 0 FOO bar', 'SCAN 18446744073709551616'), '-ERR invalid cursor\r\n-ERR syntax error\r\n-ERR syntax error\r\n-ERR syntax error\r\n-ERR invalid cursor\r\n');
});

test('connections made on one bare RespStore share its databases and number their clients apart', (t) => {
  const store = new RespStore();
  const [a, b] = [new RespServerProtocol(store), new RespServerProtocol(store)].map((protocol) => {
    const transport = connect(protocol);
    return (line: string): string => {
      const before = transport.output.length;
      protocol.dataReceived(bytes(`${line}\r\n`));
      return transport.output.slice(before);
    };
  });
  if (a === undefined || b === undefined) throw new TypeError('two connections expected');
  a('SELECT 2');
  a('SET k two');
  b('SELECT 2');
  t.is(b('GET k'), '$3\r\ntwo\r\n');
  t.not(a('CLIENT ID'), b('CLIENT ID'));
});

test('INFO counts connected clients: from connectionMade to connectionLost, not protocols only built', (t) => {
  const factory = respFactory();
  const first = factory.buildProtocol(['127.0.0.1', 1]);
  const second = factory.buildProtocol(['127.0.0.1', 2]);
  factory.buildProtocol(['127.0.0.1', 3]);
  const transport = connect(first);
  connect(second);
  t.is(factory.server.connectedClients, 2);
  second.connectionLost(undefined);
  t.is(factory.server.connectedClients, 1);
  first.dataReceived(bytes('INFO clients\r\n'));
  t.true(transport.output.includes('connected_clients:1\r\n'));
});
