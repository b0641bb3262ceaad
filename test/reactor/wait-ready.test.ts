// waitReady(): the one-object wait under the awaitable socket calls.
import test from 'ava';
import type { ExecutionContext } from 'ava';
import { setImmediate as nextTurn } from 'node:timers/promises';
import { DeadlineExceeded, waitReady } from '../../src/reactor/wait-ready.js';
import { EVENT_READ, EVENT_WRITE } from '../../src/reactor/selectable.js';
import { SOL_SOCKET, SO_SNDBUF } from '../../src/transports/constants.js';
import { socketpair } from '../../src/transports/socket-module.js';
import type { Socket } from '../../src/transports/socket.js';
import { closing } from '../helpers/sockets.js';

function pair(t: ExecutionContext): [Socket, Socket] {
  const [a, b] = socketpair();
  return [closing(t, a), closing(t, b)];
}

test('waitReady resolves at once for a ready socket, before the event loop turns', async (t) => {
  const [a] = pair(t);
  const first = await Promise.race([waitReady(a, EVENT_WRITE, null).then(() => 'ready'), nextTurn().then(() => 'a turn passed')]);
  t.is(first, 'ready');
});

test('waitReady resolves when the socket becomes ready and stops watching it', async (t) => {
  const [a, b] = pair(t);
  let settled = false;
  const waiting = waitReady(b, EVENT_READ, null).then(() => {
    settled = true;
  });
  await nextTurn();
  t.false(settled);
  // A change that does not make b readable does not end the wait.
  b.setsockopt(SOL_SOCKET, SO_SNDBUF, 5000);
  await nextTurn();
  t.false(settled);
  a.send('x');
  await waiting;
  t.true(settled);
});

test('waitReady resolves when the socket is closed while it waits', async (t) => {
  const [, b] = pair(t);
  const waiting = waitReady(b, EVENT_READ, null);
  b.close();
  await waiting;
  t.is(b.fileno(), -1);
});

test('waitReady rejects with DeadlineExceeded once the deadline passes', async (t) => {
  const [, b] = pair(t);
  const error = await t.throwsAsync(waitReady(b, EVENT_READ, performance.now() + 50), { instanceOf: DeadlineExceeded });
  t.is(error?.name, 'DeadlineExceeded');
  // A deadline already in the past still fails rather than waiting forever.
  await t.throwsAsync(waitReady(b, EVENT_READ, performance.now() - 1000), { instanceOf: DeadlineExceeded });
});

test('waitReady rejects with the reason of an AbortSignal, before or during the wait', async (t) => {
  const [a, b] = pair(t);
  const reason = new Error('aborted');
  // Aborted before: rejects even when the socket is ready.
  await t.throwsAsync(waitReady(a, EVENT_WRITE, null, AbortSignal.abort(reason)), { is: reason });
  const controller = new AbortController();
  const waiting = waitReady(b, EVENT_READ, performance.now() + 60_000, controller.signal);
  controller.abort(reason);
  await t.throwsAsync(waiting, { is: reason });
  // The aborted wait no longer watches b: data arriving later changes nothing for it.
  a.send('late');
  t.is(b.recv(10).toString(), 'late');
});
