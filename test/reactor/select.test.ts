// select() over Selectables: input order, several lists, waking on the first change, polling with
// timeout 0, the closed-socket ValueError, and sleeping (never spinning) while nothing is ready.
import test from 'ava';
import type { ExecutionContext } from 'ava';
import { setImmediate as nextTurn } from 'node:timers/promises';
import { select } from '../../src/reactor/select.js';
import { EVENT_READ, type ReadinessListener, type Selectable } from '../../src/reactor/selectable.js';
import { ValueError } from '../../src/reactor/value-error.js';
import { socketpair } from '../../src/transports/socket-module.js';
import type { Socket } from '../../src/transports/socket.js';
import { closing, tcpConnection } from '../helpers/sockets.js';

function pair(t: ExecutionContext): [Socket, Socket] {
  const [a, b] = socketpair();
  return [closing(t, a), closing(t, b)];
}

/** A Selectable that counts how often select() asks it for readiness and how many watch it. */
class Counted implements Selectable {
  readonly inner: Selectable;
  readinessCalls = 0;
  readonly watchers = new Set<ReadinessListener>();

  constructor(inner: Selectable) {
    this.inner = inner;
  }

  fileno(): number {
    return this.inner.fileno();
  }

  readiness(): number {
    this.readinessCalls += 1;
    return this.inner.readiness();
  }

  watch(listener: ReadinessListener): void {
    this.watchers.add(listener);
    this.inner.watch(listener);
  }

  unwatch(listener: ReadinessListener): void {
    this.watchers.delete(listener);
    this.inner.unwatch(listener);
  }
}

test('select keeps the input order of each list, whatever order readiness came in', async (t) => {
  const pairs = [pair(t), pair(t), pair(t)];
  const [[a1, b1], [a2, b2], [a3, b3]] = pairs as [[Socket, Socket], [Socket, Socket], [Socket, Socket]];
  a3.send('3');
  a1.send('1');
  a2.send('2');
  const [r, w] = await select([b2, b3, b1], [a3, a1, a2], [], 0);
  t.deepEqual(r, [b2, b3, b1]);
  t.deepEqual(w, [a3, a1, a2]);
  const [r2] = await select([b1, b2, b3], [], [], 0);
  t.deepEqual(r2, [b1, b2, b3]);
});

test('select reports a socket listed in several lists in each list where it is ready', async (t) => {
  const [a, b] = pair(t);
  a.send('data');
  t.deepEqual(await select([b, a], [b, a], [b, a], 0), [[b], [b, a], []]);
  // Listed twice in one list, it is reported twice, as Python's select does.
  t.deepEqual(await select([b, b], [], [], 0), [[b, b], [], []]);
});

test('select with timeout 0 polls: it returns what is ready now, possibly nothing', async (t) => {
  const [a, b] = pair(t);
  t.deepEqual(await select([a, b], [], [a, b], 0), [[], [], []]);
  t.deepEqual(await select([], [], [], 0), [[], [], []]);
  b.send('x');
  t.deepEqual(await select([a, b], [], [], 0), [[a], [], []]);
});

test('select on empty lists with a timeout resolves with empty lists', async (t) => {
  t.deepEqual(await select([], [], [], 0.05), [[], [], []]);
});

test('select resolves in the same turn a listed socket becomes ready', async (t) => {
  const [a, b] = pair(t);
  const waiting = select([b], [], [], 60);
  // Let select start waiting (it first lets the event loop run once), then make b readable.
  await nextTurn();
  await nextTurn();
  a.send('wake');
  const first = await Promise.race([waiting, nextTurn('late' as const)]);
  t.deepEqual(first, [[b], [], []]);
});

test('select with no timeout waits until a TCP peer sends', async (t) => {
  const { client, server } = await tcpConnection(t);
  const waiting = select([server], [], [server], null);
  client.send('over tcp');
  t.deepEqual(await waiting, [[server], [], []]);
  t.is(server.recv(100).toString(), 'over tcp');
});

test('select sees a TCP peer send that happened before it with a positive timeout', async (t) => {
  const { client, server } = await tcpConnection(t);
  client.send('early');
  // Ready on the first look after one event loop turn, or by notification soon after.
  t.deepEqual(await select([server], [], [], 30), [[server], [], []]);
});

test('select rejects a closed socket in any list with ValueError', async (t) => {
  const [a, b] = pair(t);
  b.close();
  for (const lists of [
    [[b], [], []],
    [[], [a, b], []],
    [[a], [], [b]],
  ] as const) {
    const pending = select(lists[0], lists[1], lists[2], 0);
    t.true(pending instanceof Promise);
    await t.throwsAsync(pending, { instanceOf: ValueError });
  }
  await t.throwsAsync(select([b], [], [], null), { instanceOf: ValueError });
});

test('select rejects a negative or non-finite timeout with ValueError, as Python does', async (t) => {
  const [a] = pair(t);
  await t.throwsAsync(select([a], [], [], -1), { instanceOf: ValueError });
  await t.throwsAsync(select([a], [], [], Number.NaN), { instanceOf: ValueError });
  await t.throwsAsync(select([a], [], [], Number.POSITIVE_INFINITY), { instanceOf: ValueError });
});

test('select never spins while it waits on idle sockets', async (t) => {
  const [a, b] = pair(t);
  const { client, server } = await tcpConnection(t);
  const idle = [a, b, client, server].map((s) => new Counted(s));
  // Idle connected sockets are not readable and have no error: nothing to report for 0.3 s.
  t.deepEqual(await select(idle, [], idle, 0.3), [[], [], []]);
  const calls = idle.map((c) => c.readinessCalls);
  t.log('readiness() calls per socket over 0.3 s:', calls);
  // One look in each list after the first event loop turn, and nothing more: a poll loop would
  // have asked thousands of times.
  for (const count of calls) t.true(count <= 4, `readiness() was called ${count} times`);
  for (const c of idle) t.is(c.watchers.size, 0);
});

test('select wakes once per change while it waits, not in a loop', async (t) => {
  const [a, b] = pair(t);
  const counted = new Counted(b);
  const waiting = select([counted], [], [], 60);
  await nextTurn();
  await nextTurn();
  const before = counted.readinessCalls;
  a.send('x');
  const [r] = await waiting;
  t.deepEqual(r, [counted]);
  t.true(counted.readinessCalls - before <= 2, `readiness() was called ${counted.readinessCalls - before} times`);
  t.is(counted.watchers.size, 0);
});

test('select reports a socket with a pending error in the x list until the error is read', async (t) => {
  const [a, b] = pair(t);
  a.send('unread');
  b.close();
  t.not(a.readiness() & EVENT_READ, 0);
  t.deepEqual(await select([], [], [a], 0), [[], [], [a]]);
  t.throws(() => a.recv(10), { code: 'ECONNRESET' });
  t.deepEqual(await select([], [], [a], 0), [[], [], []]);
});

test('select rejects with the reason of an AbortSignal aborted before or while it waits', async (t) => {
  const [a] = pair(t);
  const reason = new Error('stop waiting');
  await t.throwsAsync(select([a], [], [], null, AbortSignal.abort(reason)), { is: reason });
  const controller = new AbortController();
  const counted = new Counted(a);
  const waiting = select([counted], [], [], null, controller.signal);
  await nextTurn();
  await nextTurn();
  controller.abort(reason);
  await t.throwsAsync(waiting, { is: reason });
  t.is(counted.watchers.size, 0);
});
