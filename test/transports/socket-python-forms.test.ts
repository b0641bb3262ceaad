// What a Python programmer reaches for (issue 17): the blocking send() as an awaitable, `using` as
// Python's `with`, a repr, and addresses typed by family.
import test from 'ava';
import { inspect } from 'node:util';
import { AF_INET6, AF_UNIX, SOL_SOCKET, SO_SNDBUF } from '../../src/transports/constants.js';
import { BlockingIOError } from '../../src/transports/errors.js';
import { socket, socketpair } from '../../src/transports/socket-module.js';
import { Selector } from '../../src/reactor/selector.js';
import { requireIPv6 } from '../helpers/sockets.js';

test('sendAsync sends what fits and resolves with the count, waiting only until something fits', async (t) => {
  const [a, b] = socketpair();
  t.teardown(() => (a.close(), b.close()));
  a.setsockopt(SOL_SOCKET, SO_SNDBUF, 2500); // 5000 bytes of room, as Linux doubles it
  t.is(await a.sendAsync(Buffer.alloc(12_000, 1)), 5000);
  // Full now: the next one waits until the peer reads, then takes only the room that came back.
  let resolved: number | undefined;
  const waiting = a.sendAsync(Buffer.alloc(12_000, 2)).then((n) => (resolved = n));
  await new Promise((resolve) => setImmediate(resolve));
  t.is(resolved, undefined, 'nothing fits yet, so it still waits');
  t.is(b.recv(1000).length, 1000);
  t.is(await waiting, 1000);
  t.is(await a.sendAsync(''), 0);
  a.settimeout(0);
  await t.throwsAsync(a.sendAsync('x'), { instanceOf: BlockingIOError, code: 'EAGAIN' });
});

test('using closes a socket at the end of its block, as Python with; Symbol.asyncDispose too', async (t) => {
  let kept: ReturnType<typeof socket> | undefined;
  {
    using s = socket();
    s.bind(['127.0.0.1', 0]);
    kept = s;
    t.true(s.fileno() >= 0);
  }
  t.is(kept.fileno(), -1);
  const plain = socket(AF_UNIX);
  try {
    t.true(plain.fileno() >= 0);
  } finally {
    plain[Symbol.dispose]();
  }
  t.is(plain.fileno(), -1);
  const later = socket();
  await later[Symbol.asyncDispose]();
  t.is(later.fileno(), -1);
  const selector = new Selector();
  selector[Symbol.dispose]();
  t.true(selector.isClosed);
});

test("A socket prints as Python's repr, in toString and util.inspect", async (t) => {
  const listener = socket();
  t.teardown(() => listener.close());
  listener.bind(['127.0.0.1', 0]);
  listener.listen(1);
  const port: number = listener.getsockname()[1]; // typed per family: no cast for the port
  const fd = listener.fileno();
  t.is(String(listener), `<Socket fd=${fd}, family=AF_INET, type=SOCK_STREAM, proto=0, laddr=('127.0.0.1', ${port})>`);
  t.is(inspect(listener), listener.toString());
  const client = socket();
  t.teardown(() => client.close());
  await client.connectAsync(['127.0.0.1', port]);
  const [clientHost, clientPort] = client.getsockname();
  t.is(`${client}`, `<Socket fd=${client.fileno()}, family=AF_INET, type=SOCK_STREAM, proto=0, laddr=('${clientHost}', ${clientPort}), raddr=('127.0.0.1', ${port})>`);
  const [a, b] = socketpair();
  const path: string = a.getsockname(); // AF_UNIX: a string
  t.is(path, '');
  t.is(String(a), `<Socket fd=${a.fileno()}, family=AF_UNIX, type=SOCK_STREAM, proto=0>`);
  a.close();
  b.close();
  t.is(String(a), '<Socket [closed] fd=-1, family=AF_UNIX, type=SOCK_STREAM, proto=0>');
});

test('An IPv6 socket address types as its 4-tuple and prints as Python does', (t) => {
  if (!requireIPv6(t)) return;
  const s = socket(AF_INET6);
  t.teardown(() => s.close());
  s.bind(['::1', 0]);
  const [host, port, flowinfo, scopeId] = s.getsockname();
  t.is(host, '::1');
  t.deepEqual([flowinfo, scopeId], [0, 0]);
  t.true(String(s).endsWith(`laddr=('::1', ${port}, 0, 0)>`));
});
