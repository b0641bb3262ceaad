// select() and the Selector take far more than FD_SETSIZE (1,024) sockets, where Python's select()
// fails (twisted#11553): 5,000 socketpair ends, three of them ready.
import test from 'ava';
import { select } from '../../src/reactor/select.js';
import { EVENT_READ, Selector } from '../../src/reactor/selector.js';
import { Socket } from '../../src/transports/socket.js';

function pairs(t: { teardown(fn: () => void): void }, n: number): [Socket, Socket][] {
  const all = Array.from({ length: n }, () => Socket.pair());
  t.teardown(() => {
    for (const [a, b] of all) {
      a.close();
      b.close();
    }
  });
  return all;
}

test('select() over 5,000 sockets reports exactly the ready ones, in input order', async (t) => {
  const all = pairs(t, 5000);
  for (const i of [4999, 7, 2500]) all[i]?.[1].send('x');
  const readers = all.map(([a]) => a);
  const [r, w, x] = await select(readers, [], readers, 0);
  t.deepEqual(r.map((s) => readers.indexOf(s)), [7, 2500, 4999]);
  t.deepEqual([w.length, x.length], [0, 0]);
});

test('a Selector with 5,000 registered sockets reports the ready ones and wakes for a new one', async (t) => {
  const all = pairs(t, 5000);
  const selector = new Selector<Socket, number>();
  t.teardown(() => selector.close());
  all.forEach(([a], i) => selector.register(a, EVENT_READ, i));
  t.is(selector.getMap().size, 5000);
  all[1234]?.[1].send('x');
  t.deepEqual((await selector.select(0)).map(([key]) => key.data), [1234]);
  all[1234]?.[0].recv(10);
  const waiting = selector.select(5);
  setImmediate(() => all[42]?.[1].send('y'));
  t.deepEqual((await waiting).map(([key]) => key.data), [42]);
});
