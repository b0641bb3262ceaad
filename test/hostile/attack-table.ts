// The attacks that follow one pattern (start the server, attack, check the result and the
// sample against a bound) as table rows: one serial AVA test per row. Imports AVA, so only test
// files import it (measure-peers.ts runs outside AVA).
import test from 'ava';
import { checkSample, serverFor } from './attack-helpers.js';
import type { Outcome } from './attacks.js';
import type { ServerProcess, ServerSpec } from './harness.js';

/** One row of an attack table: the attack, what its result must be, and its bound from BOUNDS. */
export interface AttackCase<T> {
  readonly title: string;
  readonly spec: ServerSpec;
  readonly attack: (server: ServerProcess) => Promise<Outcome<T>>;
  /** What the attack's result must be (deepEqual), when it has one to check. */
  readonly expected?: T;
  readonly bound: { rssMiB?: number; fds?: number };
}

/** Registers one serial test per row: start the server, run the attack, check the result and the sample. */
export function attackTests(rows: readonly AttackCase<unknown>[]): void {
  for (const row of rows) {
    test.serial(row.title, async (t) => {
      t.timeout(240_000);
      const server = await serverFor(t, row.spec);
      const { sample, result } = await row.attack(server);
      // The sample first: its figures are logged even when the result is wrong.
      checkSample(t, server, sample, row.bound);
      if (row.expected !== undefined) t.deepEqual(result, row.expected);
    });
  }
}
