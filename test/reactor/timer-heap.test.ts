// The timer heap: earliest first, ties in scheduling order, and a remove() that refuses a call it
// does not hold (the review's bug: removing a popped call, index -1, dropped the heap's last entry).
import test from 'ava';
import { ScheduledCall, type TimerOwner } from '../../src/reactor/delayed-call.js';
import { TimerHeap } from '../../src/reactor/timer-heap.js';

const owner: TimerOwner = { now: () => 0, moved: () => {}, cancelled: () => {} };

function heapOf(times: readonly number[]): [TimerHeap, ScheduledCall[]] {
  const heap = new TimerHeap();
  const calls = times.map((time, sequence) => new ScheduledCall(time, sequence, () => {}, [], owner));
  for (const call of calls) heap.push(call);
  return [heap, calls];
}

function drain(heap: TimerHeap): number[] {
  const order: number[] = [];
  for (let call = heap.pop(); call !== undefined && order.length < 100; call = heap.pop()) order.push(call.sequence);
  return order;
}

test('TimerHeap pops by time, then by scheduling order', (t) => {
  const [heap] = heapOf([3, 1, 2, 1, 0, 3]);
  t.deepEqual(drain(heap), [4, 1, 3, 2, 0, 5]);
  t.is(heap.size, 0);
});

test('TimerHeap refuses to remove or update a call it already popped, and keeps the others', (t) => {
  const [heap] = heapOf([1, 5, 2, 4]);
  const popped = heap.pop();
  if (popped === undefined) throw new Error('the heap was empty');
  t.is(popped.index, -1);
  t.false(heap.has(popped));
  t.false(heap.remove(popped));
  t.false(heap.update(popped));
  t.is(heap.size, 3);
  t.deepEqual(drain(heap), [2, 3, 1]);
});

test('TimerHeap refuses a call pushed on another heap at the same index', (t) => {
  const [heap] = heapOf([1, 2]);
  const [, [stranger]] = heapOf([0]);
  if (stranger === undefined) throw new Error('no call');
  t.false(heap.remove(stranger));
  t.is(heap.size, 2);
});

test('TimerHeap removes a call from the middle and re-orders after a time change', (t) => {
  const [heap, calls] = heapOf([1, 2, 3, 4, 5, 6, 7]);
  const [, second, , fourth] = calls;
  if (second === undefined || fourth === undefined) throw new Error('no calls');
  t.true(heap.remove(second));
  fourth.time = 0;
  t.true(heap.update(fourth));
  t.deepEqual(drain(heap), [3, 0, 2, 4, 5, 6]);
});
