// Dispatch: what one iteration calls, in which order, and what happens when handlers change the
// sets or throw. Counted per iteration, so a reactor that skips a dispatch cannot pass by catching
// up in the next one. The selectables are in-memory socketpairs: ready at once, deterministic.
import assert from 'node:assert/strict';
import type { IOHandler, Reactor } from '../reactor/reactor.js';
import { Socket } from '../transports/socket.js';
import type { CaseContext, ConformanceCase } from './case.js';

/** A handler that records its calls into a shared log. */
function probe(name: string, selectable: Socket, log: string[], extra: Partial<IOHandler> = {}): IOHandler {
  return {
    selectable,
    readReady: () => log.push(`${name}:read`),
    writeReady: () => log.push(`${name}:write`),
    errorReady: () => log.push(`${name}:error`),
    ...extra,
  };
}

/** n socketpairs, closed when the case ends; data: bytes already waiting at the first end. */
function pairs(ctx: CaseContext, n: number, data = false): Socket[] {
  const ends: Socket[] = [];
  for (let i = 0; i < n; i++) {
    const [a, b] = Socket.pair();
    if (data) b.send('x');
    ctx.defer(() => {
      a.close();
      b.close();
    });
    ends.push(a);
  }
  return ends;
}

/** A socket with an error pending (the x-list condition): its pair peer closed with unread data. */
function withPendingError(ctx: CaseContext): Socket {
  const [a, b] = Socket.pair();
  a.send('unread');
  b.close();
  ctx.defer(() => a.close());
  return a;
}

function count(log: readonly string[], entry: string): number {
  return log.filter((e) => e === entry).length;
}

/** The cases on readiness dispatch: interest sets, order, removal during dispatch, failing handlers. */
export const DISPATCH_CASES: readonly ConformanceCase[] = [
  {
    name: 'every ready writer is dispatched exactly once in each iteration',
    async run(ctx) {
      const log: string[] = [];
      const handlers = pairs(ctx, 20).map((s, i) => probe(`w${i}`, s, log));
      for (const h of handlers) ctx.reactor.addWriter(h);
      for (let round = 1; round <= 4; round++) {
        const stats = await ctx.reactor.iterate(0);
        assert.equal(stats.writes, 20, `iteration ${round} dispatched ${stats.writes} of 20 ready writers`);
        for (let i = 0; i < 20; i++) assert.equal(count(log, `w${i}:write`), round, `w${i} after iteration ${round}`);
      }
    },
  },
  {
    name: 'readers are dispatched while data waits (level-triggered) and not once it is read',
    async run(ctx) {
      const log: string[] = [];
      const sockets = pairs(ctx, 10, true);
      const handlers = sockets.map((s, i) => probe(`r${i}`, s, log));
      for (const h of handlers) ctx.reactor.addReader(h);
      for (let round = 1; round <= 3; round++) {
        const stats = await ctx.reactor.iterate(0);
        assert.equal(stats.reads, 10, `iteration ${round}`);
      }
      for (const s of sockets) s.recv(10);
      const stats = await ctx.reactor.iterate(0);
      assert.equal(stats.reads, 0);
    },
  },
  {
    name: 'one iteration dispatches error watchers, then readers, then writers, each in the order added',
    async run(ctx) {
      const log: string[] = [];
      const [s1, s2, s3] = pairs(ctx, 3, true);
      const failing = withPendingError(ctx);
      if (s1 === undefined || s2 === undefined || s3 === undefined) throw new Error('no pairs');
      const a = probe('a', s1, log);
      const b = probe('b', s2, log);
      const c = probe('c', s3, log);
      const e = probe('e', failing, log);
      const r = ctx.reactor;
      r.addWriter(c);
      r.addReader(b);
      r.addWriter(a);
      r.addReader(a);
      r.addErrorWatcher(e);
      r.addReader(c);
      await r.iterate(0);
      assert.deepEqual(log, ['e:error', 'b:read', 'a:read', 'c:read', 'c:write', 'a:write']);
    },
  },
  {
    name: 'a handler removed by an earlier one in the same iteration is not called',
    async run(ctx) {
      const log: string[] = [];
      const [s1, s2] = pairs(ctx, 2, true);
      if (s1 === undefined || s2 === undefined) throw new Error('no pairs');
      const second = probe('second', s2, log);
      const first = probe('first', s1, log, {
        readReady: () => {
          log.push('first:read');
          ctx.reactor.removeReader(second);
        },
      });
      ctx.reactor.addReader(first);
      ctx.reactor.addReader(second);
      await ctx.reactor.iterate(0);
      assert.deepEqual(log, ['first:read']);
      assert.equal(ctx.reactor.readers.has(second), false);
    },
  },
  {
    name: 'a handler added during dispatch is called by the next iteration',
    async run(ctx) {
      const log: string[] = [];
      const [s1, s2] = pairs(ctx, 2, true);
      if (s1 === undefined || s2 === undefined) throw new Error('no pairs');
      const late = probe('late', s2, log);
      const first = probe('first', s1, log, {
        readReady: () => {
          log.push('first:read');
          ctx.reactor.addReader(late);
        },
      });
      ctx.reactor.addReader(first);
      await ctx.reactor.iterate(0);
      await ctx.reactor.iterate(0);
      assert.ok(count(log, 'late:read') >= 1, `late was not called: ${log.join(' ')}`);
    },
  },
  {
    name: 'a throwing handler gets handlerFailed and the others in the iteration still run',
    async run(ctx) {
      const log: string[] = [];
      const failures: unknown[] = [];
      const [s1, s2] = pairs(ctx, 2, true);
      if (s1 === undefined || s2 === undefined) throw new Error('no pairs');
      const boom = new Error('handler failure');
      const thrower = probe('thrower', s1, log, {
        readReady: () => {
          throw boom;
        },
        handlerFailed: (error: unknown) => {
          failures.push(error);
          ctx.reactor.removeAll(thrower);
        },
      });
      ctx.reactor.addReader(thrower);
      ctx.reactor.addReader(probe('other', s2, log));
      await ctx.reactor.iterate(0);
      assert.deepEqual(failures, [boom]);
      assert.deepEqual(log, ['other:read']);
      await ctx.reactor.iterate(0);
      assert.deepEqual(log, ['other:read', 'other:read'], 'the reactor goes on');
    },
  },
  {
    name: 'a throwing handler without handlerFailed is removed and reported',
    async run(ctx) {
      const errors: unknown[] = [];
      const reactor: Reactor = ctx.makeReactor(ctx.clock, (error) => errors.push(error));
      const [s1] = pairs(ctx, 1, true);
      if (s1 === undefined) throw new Error('no pairs');
      const handler: IOHandler = {
        selectable: s1,
        readReady: () => {
          throw new Error('no one to tell');
        },
      };
      reactor.addReader(handler);
      await reactor.iterate(0);
      assert.equal(errors.length, 1);
      assert.equal(reactor.readers.has(handler), false);
    },
  },
  {
    name: 'the interest sets show what was added and removed',
    async run(ctx) {
      const [s1] = pairs(ctx, 1);
      if (s1 === undefined) throw new Error('no pairs');
      const h = probe('h', s1, []);
      const r = ctx.reactor;
      r.addReader(h);
      r.addWriter(h);
      r.addErrorWatcher(h);
      assert.deepEqual([r.readers.has(h), r.writers.has(h), r.errorWatchers.has(h)], [true, true, true]);
      r.removeWriter(h);
      assert.deepEqual([r.readers.has(h), r.writers.has(h), r.errorWatchers.has(h)], [true, false, true]);
      r.removeAll(h);
      assert.deepEqual([r.readers.size, r.writers.size, r.errorWatchers.size], [0, 0, 0]);
    },
  },
  {
    name: 'a handler whose socket was closed while registered does not break the iteration',
    async run(ctx) {
      const log: string[] = [];
      const [s1, s2] = pairs(ctx, 2, true);
      if (s1 === undefined || s2 === undefined) throw new Error('no pairs');
      ctx.reactor.addReader(probe('closed', s1, log));
      ctx.reactor.addReader(probe('open', s2, log));
      s1.close();
      await ctx.reactor.iterate(0);
      assert.deepEqual(log, ['open:read']);
    },
  },
  {
    name: 'a waiting iteration wakes when a watched socket becomes readable',
    async run(ctx) {
      const log: string[] = [];
      const [a, b] = Socket.pair();
      ctx.defer(() => {
        a.close();
        b.close();
      });
      ctx.reactor.addReader(probe('a', a, log));
      const waiting = ctx.reactor.iterate();
      setImmediate(() => b.send('wake'));
      const stats = await waiting;
      assert.equal(stats.reads, 1);
      assert.deepEqual(log, ['a:read']);
    },
  },
];
