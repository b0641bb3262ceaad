// What `serve --workers N` does with each server's state. A server that keeps no state between
// connections runs in every worker; one whose state all clients must share either lives in the
// primary (its workers only carry bytes) or refuses to be split, since a copy per worker would give
// different answers to different clients without a word of warning.
import { UsageError } from './flags.js';

/**
 * How a server runs under `--workers N > 1`:
 * - `each`: every worker builds its own factory; fine when nothing is shared between connections;
 * - `primary`: the protocols run in the primary process, the workers relay each connection's bytes
 *   to it over node:cluster's IPC channel (ordered, so each sender's lines keep their order);
 * - `single`: refused at start, with what to do instead.
 */
export type WorkerMode = 'each' | 'primary' | 'single';

/** One server's shared state and what `--workers` does with it, as `serve --help` says it. */
export interface WorkerPolicy {
  /** How the server runs under `--workers N > 1`. */
  readonly mode: WorkerMode;
  /** One line for `serve --help`: the shared state, and how --workers treats it. */
  readonly says: string;
}

/** The environment variable that tells a process it is a worker of `serve --workers` (its id). */
export const WORKER_ENV = 'SWITCHBOARD_WORKER_ID';

/** True in a worker process that `serve --workers` started (it serves what the primary hands it). */
export const isWorker = (): boolean => process.env[WORKER_ENV] !== undefined;

/** The policy of each bundled server, by name. */
export const WORKER_POLICIES: Readonly<Record<string, WorkerPolicy>> = {
  echo: { mode: 'each', says: 'no shared state; each worker serves its connections' },
  discard: { mode: 'each', says: 'no shared state; each worker serves its connections' },
  http: { mode: 'each', says: 'no shared state (every route answers alone); each worker serves its connections' },
  chat: { mode: 'primary', says: 'one room shared by all: it lives in the primary, workers relay each line over IPC' },
  resp: { mode: 'single', says: 'one store: refuses --workers above 1 (one process per core on its own port, or a real Redis)' },
};

/** The policy of `name` (`each` for a server this table does not list). */
export function workerPolicy(name: string): WorkerPolicy {
  return WORKER_POLICIES[name] ?? { mode: 'each', says: 'no shared state' };
}

/** The `serve --help` section listing every server's shared state and what --workers does with it. */
export function workerPolicyHelp(): string {
  const lines = Object.entries(WORKER_POLICIES).map(([name, policy]) => `  ${name.padEnd(8)} ${policy.says}`);
  return `Shared state under --workers:\n${lines.join('\n')}`;
}

/**
 * Throws UsageError (one line: why, and what instead) when `name` cannot run as `workers` processes.
 * A store lives in one process: split over workers, `SET` on one connection and `GET` on the next
 * would disagree, and no command would be atomic across them.
 */
export function checkWorkers(name: string, workers: number): void {
  if (workers <= 1 || workerPolicy(name).mode !== 'single') return;
  throw new UsageError(
    `${name}: --workers ${workers} refused: its store lives in one process, so each worker would keep its own and answer differently; ` +
      'run one process per core, each on its own port, or use a real Redis for shared data',
  );
}
