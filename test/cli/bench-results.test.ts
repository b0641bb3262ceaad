// A benchmark run never rewrites the committed results: every run goes to bench/results/runs/
// (git ignores it); bench/results/latest.* change only with --publish, which a quick or partial
// run is refused.
import test from 'ava';
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import type { RunRecord } from '../../bench/lib/results.js';
import { saveRun } from '../../bench/lib/save-run.js';
import { markdown } from '../../bench/lib/table.js';
import { cli } from './run-cli.js';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const RESULTS = join(ROOT, 'bench', 'results');
const LATEST = ['latest.json', 'latest.md', 'latest.svg'];
const committedRecord = (): RunRecord => JSON.parse(readFileSync(join(RESULTS, 'latest.json'), 'utf8')) as RunRecord;

test('saveRun writes a run to runs/ only, and to latest.* only when publishing', (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'switchboard-results-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  for (const name of LATEST) writeFileSync(join(dir, name), 'committed');
  const record = { ...committedRecord(), startedAt: '2026-12-06T01:02:03.456Z' };
  const run = saveRun({ record, markdown: '## tables', svg: '<svg/>' }, dir, false);
  t.deepEqual(run.published, []);
  t.deepEqual(readdirSync(join(dir, 'runs')).sort(), ['2026-12-06T01-02-03Z.json', '2026-12-06T01-02-03Z.md', '2026-12-06T01-02-03Z.svg']);
  for (const name of LATEST) t.is(readFileSync(join(dir, name), 'utf8'), 'committed', name);
  const published = saveRun({ record, markdown: '## tables', svg: '<svg/>' }, dir, true);
  t.deepEqual(published.published.map((path) => path.slice(dir.length + 1)), LATEST);
  t.deepEqual(JSON.parse(readFileSync(join(dir, 'latest.json'), 'utf8')), record);
  t.is(readFileSync(join(dir, 'latest.md'), 'utf8'), '## tables\n');
  t.is(readFileSync(join(dir, 'latest.svg'), 'utf8'), '<svg/>');
});

test('bench --publish is refused for a quick or partial run, before anything runs', async (t) => {
  for (const args of [['--quick', '--publish'], ['--publish', 'codec'], ['--quick', '--publish', 'codec']]) {
    const { code, stdout, stderr } = await cli('bench', ...args);
    t.is(code, 2, args.join(' '));
    t.is(stdout, '');
    t.is(stderr, 'bench: --publish needs a full run (no --quick, every benchmark); this run would go to bench/results/runs/ only\n');
  }
});

test('bench --quick codec leaves the committed results as they are and writes its own files under runs/, which git ignores', async (t) => {
  const before = LATEST.map((name) => readFileSync(join(RESULTS, name)));
  const { code, stderr } = await cli('bench', '--quick', 'codec');
  t.is(code, 0, stderr);
  t.deepEqual(
    LATEST.map((name) => readFileSync(join(RESULTS, name))),
    before,
  );
  const written = /^results: (.+)$/m.exec(stderr)?.[1]?.split(', ') ?? [];
  t.is(written.length, 3, stderr);
  for (const path of written) {
    t.regex(path, /^bench\/results\/runs\/[\dT:-]+Z\.(json|md|svg)$/);
    // git check-ignore exits 0 when the path is ignored.
    await t.notThrowsAsync(promisify(execFile)('git', ['check-ignore', '-q', path], { cwd: ROOT }), path);
  }
  t.is((JSON.parse(readFileSync(join(ROOT, written[0] ?? ''), 'utf8')) as RunRecord).benchmarks[0]?.name, 'codec');
});

test('the committed latest.json is the run latest.md and latest.svg show', (t) => {
  const record = committedRecord();
  t.false(record.quick);
  t.deepEqual(
    record.benchmarks.map((b) => b.name),
    ['echo', 'http', 'resp', 'selector', 'idle', 'codec', 'unix', 'tls'],
  );
  t.is(readFileSync(join(RESULTS, 'latest.md'), 'utf8'), `${markdown(record)}\n`);
});
