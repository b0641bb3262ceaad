// Where the harness finds things, worked out from its compiled location dist/bench/lib/ (the
// project root is three folders up). Not configuration: every path is fixed.
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
export const CLI = join(ROOT, 'dist/src/cli.js');
export const SERVERS_DIR = join(ROOT, 'dist/bench/servers');
export const C_SOURCE_DIR = join(ROOT, 'bench/c');
export const BIN_DIR = join(ROOT, 'bench/bin');
export const RESULTS_DIR = join(ROOT, 'bench/results');
export const PROFILES_DIR = join(RESULTS_DIR, 'profiles');
