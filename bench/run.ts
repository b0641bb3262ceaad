// The benchmark runner: `node dist/bench/run.js [--quick] [--cpu-prof] [name...]` (also
// `switchboard bench`, `npm run bench`). Runs every benchmark, or the named ones, one at a time;
// progress on stderr; a Markdown table on stdout; the run's JSON, tables and SVG chart in
// bench/results/runs/ (git ignores it); --publish on a full run also rewrites bench/results/latest.*.
import { existsSync, mkdirSync, readdirSync, statSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { codec } from './codec.js';
import { echo } from './echo.js';
import { http } from './http.js';
import { idle } from './idle.js';
import type { Benchmark, BenchContext, BenchmarkResult } from './lib/benchmark.js';
import { renderChart } from './lib/chart.js';
import { PROFILES_DIR, RESULTS_DIR, ROOT, RUNS_DIR } from './lib/paths.js';
import { shutdown, stopAll } from './lib/processes.js';
import { type ProfileSummary, formatProfile, summarizeProfile } from './lib/profile-top.js';
import { Progress } from './lib/progress.js';
import { type RunRecord, commitOf, machineInfo } from './lib/results.js';
import { saveRun } from './lib/save-run.js';
import { markdown } from './lib/table.js';
import { resp } from './resp.js';
import { selector } from './selector.js';
import { tls } from './tls.js';
import { unix } from './unix.js';

export const BENCHMARKS: readonly Benchmark[] = [echo, http, resp, selector, idle, codec, unix, tls];

export const RUN_HELP = `usage: node dist/bench/run.js [--quick] [--cpu-prof] [--publish] [--baseline <dir>] [name...]

  name         any of ${BENCHMARKS.map((b) => b.name).join(', ')} (default: all)
  --quick      each case once, 3 s of load after 0.5 s warm-up (default: 3 rounds of 5 s after 1 s)
  --cpu-prof   write a CPU profile of every switchboard server started, to bench/results/runs/profiles/
  --publish    a full run only (no --quick, no names): also rewrite the committed
               bench/results/latest.json, latest.md and latest.svg, if every benchmark ran
  --baseline <dir>  a previous build (a checkout where \`npx tsc -p .\` has run: <dir>/dist/src/cli.js)
               runs as the contender sb-base beside the current build in the cases with
               performance targets (echo, http, resp), in the same rounds; default: $SB_BASELINE.
               To build one: git worktree add /tmp/sb-base <commit> && cp -al node_modules
               /tmp/sb-base/ && (cd /tmp/sb-base && npx tsc -p .)

Every run writes bench/results/runs/<time>.json, .md and .svg (git ignores the folder).

Every figure is a ratio to a baseline measured in the same run; absolute numbers are shown beside.
Needs: cc (gcc), taskset (util-linux), wrk (wrk), redis-benchmark (redis-tools), redis-server, openssl (tls);
a missing tool skips its cases and names its Debian package.`;

interface Options {
  readonly quick: boolean;
  readonly cpuProf: boolean;
  readonly publish: boolean;
  readonly baselineCli?: string;
  readonly chosen: readonly Benchmark[];
}

/** The CLI of the previous build in `dir`, or why it cannot be used. */
function baselineCliIn(dir: string): { cli: string } | string {
  const cli = join(resolve(dir), 'dist/src/cli.js');
  return existsSync(cli) ? { cli } : `--baseline ${dir}: no ${cli} (build that checkout first: npx tsc -p .)`;
}

function parseArgs(args: readonly string[], env: NodeJS.ProcessEnv): Options | string {
  let quick = false;
  let cpuProf = false;
  let publish = false;
  let baselineDir = env['SB_BASELINE'] === '' ? undefined : env['SB_BASELINE'];
  const chosen: Benchmark[] = [];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i] ?? '';
    if (arg === '--baseline') {
      baselineDir = args[++i];
      if (baselineDir === undefined || baselineDir.startsWith('-')) return '--baseline needs a directory (a built checkout of a previous commit)';
    } else if (arg === '--quick') quick = true;
    else if (arg === '--cpu-prof') cpuProf = true;
    else if (arg === '--publish') publish = true;
    else if (arg.startsWith('-')) return `unknown option ${arg}`;
    else {
      const b = BENCHMARKS.find((x) => x.name === arg);
      if (b === undefined) return `unknown benchmark '${arg}' (one of ${BENCHMARKS.map((x) => x.name).join(', ')})`;
      if (!chosen.includes(b)) chosen.push(b);
    }
  }
  const full = !quick && (chosen.length === 0 || chosen.length === BENCHMARKS.length);
  // The committed results are one full run's: a quick or partial one would replace them with less.
  if (publish && !full) return '--publish needs a full run (no --quick, every benchmark); this run would go to bench/results/runs/ only';
  const baseline = baselineDir === undefined ? undefined : baselineCliIn(baselineDir);
  if (typeof baseline === 'string') return baseline;
  return { quick, cpuProf, publish, ...(baseline === undefined ? {} : { baselineCli: baseline.cli }), chosen: chosen.length > 0 ? chosen : BENCHMARKS };
}

/** On Ctrl-C or SIGTERM: stop every process this run started (by PID), then exit. */
function stopChildrenOnSignal(): () => void {
  const handler = (signal: NodeJS.Signals): void => {
    process.stderr.write(`\n${signal}: stopping the processes this run started\n`);
    void shutdown(1000).finally(() => process.exit(signal === 'SIGINT' ? 130 : 143));
  };
  process.once('SIGINT', handler);
  process.once('SIGTERM', handler);
  return () => {
    process.off('SIGINT', handler);
    process.off('SIGTERM', handler);
  };
}

function profilesSince(startMs: number): ProfileSummary[] {
  let files: string[];
  try {
    files = readdirSync(PROFILES_DIR).filter((f) => f.endsWith('.cpuprofile'));
  } catch {
    return [];
  }
  return files
    .map((f) => join(PROFILES_DIR, f))
    .filter((path) => statSync(path).mtimeMs >= startMs)
    .sort()
    .flatMap((path) => {
      try {
        return [summarizeProfile(path)];
      } catch (error) {
        process.stderr.write(`cannot read ${path}: ${error instanceof Error ? error.message : String(error)}\n`);
        return [];
      }
    });
}

async function runAll(ctx: BenchContext, chosen: readonly Benchmark[]): Promise<{ results: BenchmarkResult[]; failures: { name: string; error: string }[] }> {
  const results: BenchmarkResult[] = [];
  const failures: { name: string; error: string }[] = [];
  for (const b of chosen) {
    try {
      results.push(await b.run(ctx));
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      failures.push({ name: b.name, error: message });
      process.stderr.write(`${b.name} failed: ${message}\n`);
    } finally {
      await stopAll();
    }
  }
  return { results, failures };
}

async function chartOf(record: RunRecord): Promise<string | undefined> {
  try {
    return await renderChart(record);
  } catch (error) {
    process.stderr.write(`chart not drawn: ${error instanceof Error ? error.message : String(error)}\n`);
    return undefined;
  }
}

export async function runBench(args: readonly string[], out: (line: string) => void): Promise<number> {
  if (args.includes('--help') || args.includes('-h')) {
    out(RUN_HELP);
    return 0;
  }
  const options = parseArgs(args, process.env);
  if (typeof options === 'string') {
    process.stderr.write(`bench: ${options}\n`);
    return 2;
  }
  const settings = options.quick ? { rounds: 1, seconds: 3, warmupSeconds: 0.5 } : { rounds: 3, seconds: 5, warmupSeconds: 1 };
  const baseline = options.baselineCli === undefined ? {} : { baselineCli: options.baselineCli };
  const planning: BenchContext = { quick: options.quick, cpuProf: options.cpuProf, ...baseline, ...settings, progress: new Progress(1, 0) };
  const plans = options.chosen.map((b) => b.plan(planning));
  const progress = new Progress(
    plans.reduce((n, p) => n + p.steps, 0),
    plans.reduce((n, p) => n + p.seconds, 0),
  );
  const ctx: BenchContext = { ...planning, progress };
  const started = new Date();
  mkdirSync(options.cpuProf ? PROFILES_DIR : RUNS_DIR, { recursive: true });
  const release = stopChildrenOnSignal();
  try {
    const { results, failures } = await runAll(ctx, options.chosen);
    const profiles = options.cpuProf ? profilesSince(started.getTime()) : [];
    const record: RunRecord = {
      startedAt: started.toISOString(),
      finishedAt: new Date().toISOString(),
      command: ['node dist/bench/run.js', ...args].join(' '),
      quick: options.quick,
      ...settings,
      machine: machineInfo(),
      benchmarks: results,
      failures,
      profiles,
      ...(options.baselineCli === undefined ? {} : { baselineBuild: { cli: options.baselineCli, commit: commitOf(options.baselineCli) } }),
    };
    const tables = markdown(record);
    const publish = options.publish && failures.length === 0;
    if (options.publish && !publish) process.stderr.write(`not published: ${failures.map((f) => f.name).join(', ')} failed\n`);
    const saved = saveRun({ record, markdown: tables, svg: await chartOf(record) }, RESULTS_DIR, publish);
    process.stderr.write(`results: ${saved.run.map((path) => relative(ROOT, path)).join(', ')}\n`);
    if (saved.published.length > 0) process.stderr.write(`published: ${saved.published.map((path) => relative(ROOT, path)).join(', ')}\n`);
    for (const p of profiles) process.stderr.write(`${formatProfile({ ...p, top: p.top.slice(0, 10) }).join('\n')}\n`);
    out(tables);
    return failures.length === 0 ? 0 : 1;
  } finally {
    release();
    await stopAll();
  }
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  runBench(process.argv.slice(2), (line) => process.stdout.write(`${line}\n`)).then(
    (code) => {
      process.exitCode = code;
    },
    (error: unknown) => {
      process.stderr.write(`bench: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
      process.exitCode = 1;
    },
  );
}
