// The Selector's own contract, modelled on CPython's Lib/test/test_selectors.py BaseSelectorTestCase:
// register (its key, twice -> KeyError, bad events or a closed object -> ValueError), unregister
// (KeyError when not registered, also after the object closed), modify (events, data, KeyError),
// getKey / getMap, select (level-triggered readiness, timeout 0, a timeout with nothing ready),
// closed sockets, and a closed selector. Over socketpair() sockets: no network, no sleeps.
import test, { type ExecutionContext } from 'ava';
import { EVENT_ERROR, EVENT_READ, EVENT_WRITE, KeyError, Selector } from '../../src/reactor/selector.js';
import { ValueError } from '../../src/reactor/value-error.js';
import { socketpair } from '../../src/transports/socket-module.js';
import type { Socket } from '../../src/transports/socket.js';
import { closing } from '../helpers/sockets.js';

function pair(t: ExecutionContext): [Socket, Socket] {
  const [a, b] = socketpair();
  return [closing(t, a), closing(t, b)];
}

function selector(t: ExecutionContext): Selector<Socket, string> {
  const made = new Selector<Socket, string>();
  t.teardown(() => made.close());
  return made;
}

/** What select() reported, as [fd, events] pairs sorted by fd. */
const reported = (events: readonly [{ readonly fd: number }, number][]): [number, number][] => events.map(([key, e]): [number, number] => [key.fd, e]).sort((x, y) => x[0] - y[0]);

test('register returns the key (fileobj, fd, events, data) that getKey and getMap give back', (t) => {
  const s = selector(t);
  const [a] = pair(t);
  const key = s.register(a, EVENT_READ, 'data');
  t.is(key.fileobj, a);
  t.is(key.fd, a.fileno());
  t.is(key.events, EVENT_READ);
  t.is(key.data, 'data');
  t.is(s.getKey(a), key);
  t.is(s.getMap().size, 1);
  t.is(s.getMap().get(a), key);
  t.is(s.register(pair(t)[0], EVENT_WRITE).data, undefined, 'data is optional');
});

test('register twice raises KeyError, whatever the events, and keeps the first key', (t) => {
  const s = selector(t);
  const [a] = pair(t);
  const key = s.register(a, EVENT_READ, 'first');
  for (const events of [EVENT_READ, EVENT_WRITE]) {
    t.throws(() => s.register(a, events, 'again'), { instanceOf: KeyError, message: `${a.fileno()} is already registered` });
  }
  t.is(s.getKey(a), key);
});

test('register refuses invalid events and a closed socket with ValueError, registering nothing', (t) => {
  const s = selector(t);
  const [a, b] = pair(t);
  for (const events of [0, 8, -1, 1.5, EVENT_READ | 16]) {
    t.throws(() => s.register(a, events), { instanceOf: ValueError, message: `Invalid events: ${events}` });
  }
  b.close();
  t.throws(() => s.register(b, EVENT_READ), { instanceOf: ValueError, message: /fileno\(\) is -1/ });
  t.is(s.getMap().size, 0);
});

test('unregister returns the key; afterwards getKey, unregister and modify raise KeyError', (t) => {
  const s = selector(t);
  const [a] = pair(t);
  const key = s.register(a, EVENT_WRITE, 'x');
  t.is(s.unregister(a), key);
  t.is(s.getMap().size, 0);
  t.throws(() => s.getKey(a), { instanceOf: KeyError, message: `${a.fileno()} is not registered` });
  t.throws(() => s.unregister(a), { instanceOf: KeyError });
  t.throws(() => s.modify(a, EVENT_READ), { instanceOf: KeyError });
  t.deepEqual(s.readyNow(), [], 'an unregistered socket is not reported, though it is writable');
});

test('unregister still works after the socket was closed (CPython test_unregister_after_fd_close)', (t) => {
  const s = selector(t);
  const [a] = pair(t);
  const fd = a.fileno();
  s.register(a, EVENT_READ | EVENT_WRITE);
  a.close();
  t.is(s.getKey(a).fd, fd, 'the key keeps the fd it was registered with');
  t.is(s.unregister(a).fd, fd);
  t.is(s.getMap().size, 0);
});

test('modify changes the events reported and the data (omitted: undefined); KeyError and ValueError leave the key', async (t) => {
  const s = selector(t);
  const [a, b] = pair(t);
  s.register(a, EVENT_READ, 'reader');
  t.deepEqual(reported(await s.select(0)), [], 'not readable yet');
  const key = s.modify(a, EVENT_WRITE, 'writer');
  t.deepEqual([key.events, key.data], [EVENT_WRITE, 'writer']);
  t.deepEqual(reported(await s.select(0)), [[a.fileno(), EVENT_WRITE]]);
  t.is(s.modify(a, EVENT_WRITE).data, undefined, 'as in Python, data not given is data gone');
  t.throws(() => s.modify(a, 0), { instanceOf: ValueError });
  t.is(s.getKey(a).events, EVENT_WRITE);
  t.throws(() => s.modify(b, EVENT_READ), { instanceOf: KeyError });
});

test('select reports each socket with the events that hold now, level-triggered, until they stop holding', async (t) => {
  const s = selector(t);
  const [a, b] = pair(t);
  s.register(a, EVENT_READ | EVENT_WRITE, 'a');
  s.register(b, EVENT_READ, 'b');
  t.deepEqual(reported(await s.select(0)), [[a.fileno(), EVENT_WRITE]]);
  a.send('ping');
  const ready = await s.select(null);
  t.deepEqual(reported(ready), [[a.fileno(), EVENT_WRITE], [b.fileno(), EVENT_READ]].sort((x, y) => (x[0] ?? 0) - (y[0] ?? 0)));
  t.deepEqual(ready.map(([key]) => key.data).sort(), ['a', 'b']);
  t.deepEqual(reported(await s.select(0)), reported(ready), 'still readable: reported again');
  t.is(b.recv(10).toString(), 'ping');
  t.deepEqual(reported(await s.select(0)), [[a.fileno(), EVENT_WRITE]]);
});

test('select with nothing ready: timeout 0 polls, a short timeout resolves empty, wakeup ends a wait', async (t) => {
  const s = selector(t);
  const [, b] = pair(t);
  s.register(b, EVENT_READ);
  t.deepEqual(await s.select(0), []);
  t.deepEqual(await s.select(0.01), []);
  const waiting = s.select(null);
  s.wakeup();
  t.deepEqual(await waiting, []);
});

test('a registered socket that closes is never reported (epoll drops a closed descriptor); its peer sees EOF', async (t) => {
  const s = selector(t);
  const [a, b] = pair(t);
  s.register(a, EVENT_READ | EVENT_WRITE | EVENT_ERROR);
  s.register(b, EVENT_READ);
  a.close();
  const ready = await s.select(null);
  t.deepEqual(reported(ready), [[b.fileno(), EVENT_READ]]);
  t.is(b.recv(10).length, 0, 'the peer reads EOF');
  t.true(s.getMap().has(a), 'the closed socket stays registered until unregistered, as in CPython');
});

test('a closed selector: empty map, KeyError from getKey, ValueError from register/unregister/modify/select; close again is harmless', async (t) => {
  const s = new Selector<Socket>();
  const [a] = pair(t);
  s.register(a, EVENT_READ);
  const waiting = s.select(null);
  s.close();
  t.deepEqual(await waiting, [], 'a pending select ends with nothing');
  t.true(s.isClosed);
  t.is(s.getMap().size, 0);
  t.throws(() => s.getKey(a), { instanceOf: KeyError });
  const closedError = { instanceOf: ValueError, message: 'I/O operation on a closed selector' };
  t.throws(() => s.register(a, EVENT_READ), closedError);
  t.throws(() => s.unregister(a), closedError);
  t.throws(() => s.modify(a, EVENT_READ), closedError);
  t.throws(() => s.select(0), closedError);
  t.notThrows(() => s.close());
});
