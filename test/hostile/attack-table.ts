// The attacks that follow one pattern (start the server, attack, check the result and the
// sample against a bound) as table rows: one serial AVA test per row. Imports AVA, so only test
// files import it (measure-peers.ts runs outside AVA).
import test, { type ExecutionContext } from 'ava';
import { checkSample, serverFor } from './attack-helpers.js';
import type { Outcome } from './attacks.js';
import type { Bound } from './bounds.js';
import { type ServerProcess, type ServerSpec, describe } from './harness.js';

/**
 * What the runtime's own growth under an attack is measured on, in the same test just after ours:
 * a platform peer under the same attack (node:http, node:net), or our own server serving a
 * legitimate user of the same kind for as long.
 */
export interface Reference {
  /** What it is, for the log line. */
  readonly name: string;
  readonly start: (spec: ServerSpec) => Promise<ServerProcess>;
  /** What its growth is multiplied by: PEER_FACTOR for a platform peer, HEAVY_USER_FACTOR for our server serving a legitimate user. */
  readonly factor: number;
  /** The load it runs (default: the row's attack). */
  readonly load?: (server: ServerProcess) => Promise<Outcome<unknown>>;
}

/** One row of an attack table: the attack, what its result must be, and its bound from BOUNDS. */
export interface AttackCase<T> {
  readonly title: string;
  readonly spec: ServerSpec;
  readonly attack: (server: ServerProcess) => Promise<Outcome<T>>;
  /** What the attack's result must be (deepEqual), when it has one to check. */
  readonly expected?: T;
  readonly bound: Bound;
  /** With a bound's heldMiB: the reference whose growth, times its factor, is added to it. */
  readonly reference?: Reference;
}

/** Runs `reference`'s load on a fresh process of it and gives its RSS growth in MiB. */
async function measureReference(t: ExecutionContext, row: AttackCase<unknown>, reference: Reference): Promise<number> {
  const peer = await reference.start(row.spec);
  try {
    const { sample, result } = await (reference.load === undefined ? row.attack(peer) : reference.load(peer));
    t.log(`${reference.name}${peer.spec.tls === true ? ' over TLS' : ''}: ${describe(sample)}`);
    t.true(peer.alive(), `the reference ${reference.name} died: ${peer.stderr().slice(-2000)}`);
    // A peer under the same attack is a reference only if it served it as we must.
    if (reference.load === undefined && row.expected !== undefined) t.deepEqual(result, row.expected, `${reference.name} did not serve the attack`);
    return sample.peakRssMiB - sample.baseRssMiB;
  } finally {
    await peer.stop();
  }
}

/** Registers one serial test per row: measure the reference if any, start the server, run the attack, check the result and the sample. */
export function attackTests(rows: readonly AttackCase<unknown>[]): void {
  for (const row of rows) {
    test.serial(row.title, async (t) => {
      t.timeout(240_000);
      const server = await serverFor(t, row.spec);
      const { sample, result } = await row.attack(server);
      let rssMiB = row.bound.rssMiB;
      const { reference } = row;
      if (reference !== undefined) {
        // Measured after the attack, on a fresh process; ours idles meanwhile.
        rssMiB = (row.bound.heldMiB ?? 0) + reference.factor * (await measureReference(t, row, reference));
      }
      // The sample first: its figures are logged even when the result is wrong.
      checkSample(t, server, sample, { rssMiB, fds: row.bound.fds });
      if (row.expected !== undefined) t.deepEqual(result, row.expected);
    });
  }
}
