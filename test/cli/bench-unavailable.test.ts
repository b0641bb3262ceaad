// `switchboard bench` where the harness is not shipped (an installed package has dist/src only):
// one line and its own exit status, 69 (EX_UNAVAILABLE), not the usage-error 2; --help says so.
import test from 'ava';
import { execFile } from 'node:child_process';
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { cli } from './run-cli.js';

const DIST_SRC = fileURLToPath(new URL('../../src', import.meta.url));
const PACKAGE_JSON = fileURLToPath(new URL('../../../package.json', import.meta.url));

test('bench in a package without the harness says so in one line and exits 69', async (t) => {
  const root = mkdtempSync(join(tmpdir(), 'switchboard-no-bench-'));
  t.teardown(() => rmSync(root, { recursive: true, force: true }));
  // The package's layout (package.json "files"): dist/src and package.json, no dist/bench.
  cpSync(DIST_SRC, join(root, 'dist', 'src'), { recursive: true });
  cpSync(PACKAGE_JSON, join(root, 'package.json'));
  const outcome = await promisify(execFile)(process.execPath, [join(root, 'dist', 'src', 'cli.js'), 'bench', '--quick'], { timeout: 30000 }).then(
    () => ({ code: 0, stderr: '' }),
    (error: { code?: number; stderr?: string }) => ({ code: error.code, stderr: error.stderr ?? '' }),
  );
  t.is(outcome.code, 69);
  t.is(outcome.stderr, 'switchboard: bench: the benchmark harness is not installed here (it lives in a clone of the repository: npm run build, then npm run bench)\n');
});

test('bench --help and the top-level help say that bench exits 69 where the harness is not installed', async (t) => {
  t.regex((await cli('bench', '--help')).stdout, /installed package, bench says so and\s+exits 69/);
  t.regex((await cli('--help')).stdout, /exits 69 in an installed package/);
});
