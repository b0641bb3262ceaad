// The conformance suite must catch a reactor that skips dispatches: run it on one that drops every
// second write dispatch, through the CLI as a user would, and see it fail, naming the case.
import test from 'ava';
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const run = promisify(execFile);
const CLI = fileURLToPath(new URL('../src/cli.js', import.meta.url));
const BROKEN = fileURLToPath(new URL('./fixtures/reactors/drops-writes.js', import.meta.url));
const GOOD = fileURLToPath(new URL('./fixtures/reactors/selector.js', import.meta.url));

test('switchboard conformance fails on a reactor that drops every second write dispatch', async (t) => {
  const error = await t.throwsAsync(run(process.execPath, [CLI, 'conformance', BROKEN, '--family', 'pair']));
  const stdout = (error as Error & { stdout?: string }).stdout ?? '';
  t.regex(stdout, /^not ok every ready writer is dispatched exactly once in each iteration: iteration 1 dispatched 10 of 20/m);
  t.regex(stdout, /\d+ passed, [1-9]\d* failed$/m);
  t.is((error as Error & { code?: number }).code, 1);
});

test('switchboard conformance passes on the bundled SelectorReactor and prints one line per case', async (t) => {
  const { stdout } = await run(process.execPath, [CLI, 'conformance', GOOD, '--family', 'pair']);
  const lines = stdout.trim().split('\n');
  t.true(lines.slice(0, -1).every((l) => l.startsWith('ok ')), stdout);
  t.regex(lines.at(-1) ?? '', /^\d+ passed, 0 failed$/);
});

test('switchboard conformance explains a module without a reactor factory', async (t) => {
  const error = await t.throwsAsync(run(process.execPath, [CLI, 'conformance', fileURLToPath(new URL('../src/transports/errors.js', import.meta.url))]));
  t.regex((error as Error & { stderr?: string }).stderr ?? '', /no default export that is a function|cannot import/);
});
