// Where the harness finds things, worked out from its compiled location dist/bench/lib/ (the
// project root is three folders up). Not configuration: every path is fixed.
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
export const CLI = join(ROOT, 'dist/src/cli.js');
export const SERVERS_DIR = join(ROOT, 'dist/bench/servers');
export const C_SOURCE_DIR = join(ROOT, 'bench/c');
export const BIN_DIR = join(ROOT, 'bench/bin');
/** The committed results (latest.json, latest.md, latest.svg): rewritten only by `bench --publish`. */
export const RESULTS_DIR = join(ROOT, 'bench/results');
/** Every run's own files; git ignores this folder. */
export const RUNS_DIR = join(RESULTS_DIR, 'runs');
export const PROFILES_DIR = join(RUNS_DIR, 'profiles');
