// RespStore: values, expiry on an injected clock (never a sleep), the sweep on a manual scheduler,
// and KEYS globbing.
import test from 'ava';
import { RespStore } from '../../../src/protocols/resp/store.js';
import { ManualTime, bytes } from './resp-helpers.js';

const value = (store: RespStore, key: string): string | undefined => store.get(key)?.toString('latin1');

test('RespStore sets, gets, tests and deletes binary-safe keys', (t) => {
  const store = new RespStore();
  store.set('k', bytes('v'));
  store.set('\x00\xff', bytes('binary'));
  t.is(value(store, 'k'), 'v');
  t.is(value(store, '\x00\xff'), 'binary');
  t.true(store.has('k'));
  t.is(store.size, 2);
  t.true(store.delete('k'));
  t.false(store.delete('k'));
  t.false(store.has('k'));
  t.is(store.get('k'), undefined);
  t.is(store.now, Date.now);
});

test('RespStore expires a key once the clock passes its time, not at it (as keyIsExpired)', (t) => {
  const time = new ManualTime();
  const store = new RespStore({ now: time.now });
  store.set('k', bytes('v'));
  t.true(store.expireAt('k', time.now() + 1000));
  t.is(store.expiresAt('k'), time.now() + 1000);
  time.advance(1000);
  t.is(value(store, 'k'), 'v');
  time.advance(1);
  t.is(store.get('k'), undefined);
  t.false(store.has('k'));
  t.is(store.expiresAt('k'), undefined);
  t.is(store.size, 0);
});

test('RespStore.expireAt and persist on a missing key change nothing', (t) => {
  const store = new RespStore();
  t.false(store.expireAt('missing', 0));
  t.false(store.persist('missing'));
  t.is(store.size, 0);
});

test('RespStore.set clears the time to live unless keepTtl, and persist removes it', (t) => {
  const time = new ManualTime();
  const store = new RespStore({ now: time.now });
  store.set('k', bytes('1'));
  store.expireAt('k', time.now() + 500);
  store.set('k', bytes('2'), { keepTtl: true });
  t.is(store.expiresAt('k'), time.now() + 500);
  store.set('k', bytes('3'));
  t.is(store.expiresAt('k'), undefined);
  store.expireAt('k', time.now() + 500);
  t.true(store.persist('k'));
  t.false(store.persist('k'));
  time.advance(1000);
  t.is(value(store, 'k'), '3');
});

test('RespStore.set with keepTtl on an expired key does not keep the time that passed', (t) => {
  const time = new ManualTime();
  const store = new RespStore({ now: time.now });
  store.set('k', bytes('old'));
  store.expireAt('k', time.now() + 10);
  time.advance(11);
  store.set('k', bytes('new'), { keepTtl: true });
  t.is(store.expiresAt('k'), undefined);
  t.is(value(store, 'k'), 'new');
});

test('RespStore.delete does not count a key that had expired', (t) => {
  const time = new ManualTime();
  const store = new RespStore({ now: time.now });
  store.set('k', bytes('v'));
  store.expireAt('k', time.now());
  time.advance(1);
  t.false(store.delete('k'));
});

test('RespStore.keys globs live keys and drops expired ones it meets', (t) => {
  const time = new ManualTime();
  const store = new RespStore({ now: time.now });
  for (const key of ['hello', 'hallo', 'hxllo', 'other']) store.set(key, bytes('1'));
  store.expireAt('hxllo', time.now() + 5);
  t.deepEqual(store.keys('h?llo'), ['hello', 'hallo', 'hxllo']);
  t.deepEqual(store.keys('h[ae]llo'), ['hello', 'hallo']);
  time.advance(6);
  t.is(store.size, 4, 'DBSIZE counts an expired key until it is reclaimed, as redis does');
  t.deepEqual(store.keys(), ['hello', 'hallo', 'other']);
  t.is(store.size, 3);
});

test('RespStore.flush deletes every key and time to live', (t) => {
  const store = new RespStore();
  store.set('a', bytes('1'));
  store.set('b', bytes('2'));
  store.expireAt('b', Date.now() + 60_000);
  store.flush();
  t.is(store.size, 0);
  t.deepEqual(store.keys(), []);
});

test('RespStore sweeps expired keys on its scheduler, a batch at a time, only while some key has a TTL', (t) => {
  const time = new ManualTime();
  const store = new RespStore({ now: time.now, scheduler: time, sweepInterval: 1, sweepBatch: 2 });
  t.is(time.pending, 0, 'no timer for a store without TTLs');
  for (const key of ['a', 'b', 'c', 'd', 'e']) {
    store.set(key, bytes('1'));
    store.expireAt(key, time.now() + 1500);
  }
  store.set('keep', bytes('1'));
  store.expireAt('keep', time.now() + 60_000);
  t.is(time.pending, 1, 'one timer however many keys have a TTL');
  time.advance(1000);
  t.is(store.size, 6, 'a and b examined, not yet due');
  time.advance(1000);
  t.is(store.size, 4, 'c and d: a batch of two, resuming where the last sweep stopped');
  time.advance(1000);
  t.is(store.size, 3, 'e, then keep, which stays');
  time.advance(1000);
  t.is(store.size, 3, 'the cursor was at the end: this sweep only starts over');
  time.advance(1000);
  t.is(store.size, 1, 'a and b, from the start again');
  t.deepEqual(store.keys(), ['keep']);
  store.persist('keep');
  time.advance(2000);
  t.is(time.pending, 0, 'the sweep stops once no key has a TTL');
});

test('RespStore.close stops the sweep for good; lazy expiry goes on', (t) => {
  const time = new ManualTime();
  const store = new RespStore({ now: time.now, scheduler: time });
  store.set('k', bytes('1'));
  store.expireAt('k', time.now() + 10);
  t.is(time.pending, 1);
  store.close();
  t.is(time.pending, 0);
  store.set('j', bytes('1'));
  store.expireAt('j', time.now() + 10);
  t.is(time.pending, 0);
  time.advance(1000);
  t.is(store.size, 2);
  t.false(store.has('k'));
});

test('RespStore.flush restarts the sweep from the beginning', (t) => {
  const time = new ManualTime();
  const store = new RespStore({ now: time.now, scheduler: time, sweepInterval: 1, sweepBatch: 1 });
  store.set('a', bytes('1'));
  store.expireAt('a', time.now() + 60_000);
  store.set('b', bytes('1'));
  store.expireAt('b', time.now() + 60_000);
  time.advance(1000);
  store.flush();
  store.set('c', bytes('1'));
  store.expireAt('c', time.now() + 10);
  time.advance(1000);
  t.is(store.size, 0);
});
