// Per-iteration dispatch, counted by the handlers themselves: a reactor (or a wrapper around one)
// that skips a call now and then must fail even though level-triggered readiness would hand the
// skipped work to the next iteration. Stats alone cannot show it: a wrapper that patches the handler
// objects drops calls after the reactor has counted them. Fifteen iterations catch one dropped call
// in up to fifteen.
import assert from 'node:assert/strict';
import type { IOHandler, Reactor } from '../reactor/reactor.js';
import { Socket } from '../transports/socket.js';
import type { CaseContext, ConformanceCase } from './case.js';

const HANDLERS = 6;
const ITERATIONS = 15;

type InterestSet = 'readers' | 'writers' | 'error watchers';

/** A socket that stays in the set's ready condition for as long as the case runs (level-triggered). */
function alwaysReady(ctx: CaseContext, set: InterestSet): Socket {
  const [a, b] = Socket.pair();
  ctx.defer(() => {
    a.close();
    b.close();
  });
  // Readers: unread data waits. Writers: a fresh connected end has room. Error watchers: the peer
  // closed with our data unread, so a reset is pending and stays pending until SO_ERROR is read.
  if (set === 'readers') b.send('x');
  if (set === 'error watchers') {
    a.send('unread');
    b.close();
  }
  return a;
}

function register(reactor: Reactor, set: InterestSet, handler: IOHandler): void {
  if (set === 'readers') reactor.addReader(handler);
  else if (set === 'writers') reactor.addWriter(handler);
  else reactor.addErrorWatcher(handler);
}

function perIterationCase(set: InterestSet): ConformanceCase {
  return {
    name: `each ready handler among the ${set} is called exactly once in every iteration, counted by the handler`,
    async run(ctx) {
      const calls = new Array<number>(HANDLERS).fill(0);
      for (let i = 0; i < HANDLERS; i++) {
        const count = (): void => {
          calls[i] = (calls[i] ?? 0) + 1;
        };
        const handler: IOHandler = { selectable: alwaysReady(ctx, set), readReady: count, writeReady: count, errorReady: count };
        register(ctx.reactor, set, handler);
      }
      for (let round = 1; round <= ITERATIONS; round++) {
        await ctx.reactor.iterate(0);
        assert.deepEqual(calls, new Array<number>(HANDLERS).fill(round), `calls per handler after iteration ${round}`);
      }
    },
  };
}

/** The per-iteration cases, one per interest set; they use socketpairs, so each runs once. */
export const PER_ITERATION_CASES: readonly ConformanceCase[] = [
  perIterationCase('readers'),
  perIterationCase('writers'),
  perIterationCase('error watchers'),
  {
    name: 'timers with sub-second delays run at their own times, in time order',
    async run({ reactor, clock }) {
      const ran: string[] = [];
      reactor.callLater(0.5, () => ran.push('half'));
      reactor.callLater(0.25, () => ran.push('quarter'));
      reactor.callLater(1.75, () => ran.push('late'));
      clock.advance(0.25);
      await reactor.iterate(0);
      assert.deepEqual(ran, ['quarter'], 'at 0.25 s');
      clock.advance(0.25);
      await reactor.iterate(0);
      assert.deepEqual(ran, ['quarter', 'half'], 'at 0.5 s');
      clock.advance(1);
      await reactor.iterate(0);
      assert.deepEqual(ran, ['quarter', 'half'], 'at 1.5 s');
      clock.advance(0.25);
      await reactor.iterate(0);
      assert.deepEqual(ran, ['quarter', 'half', 'late'], 'at 1.75 s');
    },
  },
];
