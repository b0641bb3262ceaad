// One run's record: the machine (CPU model, cores, Node, commit), the settings, every benchmark's
// cases, and any CPU profiles; save-run.ts writes it (bench/results/runs/<timestamp>.json).
import { spawnSync } from 'node:child_process';
import { cpus, release } from 'node:os';
import { dirname, join } from 'node:path';
import type { BenchmarkResult } from './benchmark.js';
import type { ProfileSummary } from './profile-top.js';
import { ROOT } from './paths.js';

export interface Machine {
  readonly cpuModel: string;
  readonly cores: number;
  readonly node: string;
  readonly kernel: string;
  readonly commit: string;
  readonly dirty: boolean;
  /** First line of each external tool's version output, or 'missing'. */
  readonly tools: Readonly<Record<string, string>>;
}

export interface RunRecord {
  readonly startedAt: string;
  readonly finishedAt: string;
  readonly command: string;
  readonly quick: boolean;
  readonly rounds: number;
  readonly seconds: number;
  readonly warmupSeconds: number;
  readonly machine: Machine;
  readonly benchmarks: readonly BenchmarkResult[];
  readonly failures: readonly { readonly name: string; readonly error: string }[];
  readonly profiles: readonly ProfileSummary[];
  /** The previous build run as `sb-base` (--baseline / SB_BASELINE): its CLI and its commit. */
  readonly baselineBuild?: { readonly cli: string; readonly commit: string };
}

function firstLine(command: string, args: readonly string[], cwd = ROOT): string {
  const r = spawnSync(command, args, { cwd, encoding: 'utf8', timeout: 5000 });
  if (r.error !== undefined) return 'missing';
  return `${r.stdout}${r.stderr}`.trim().split('\n')[0] ?? '';
}

/** The commit checked out where `cli` (<dir>/dist/src/cli.js) was built, or 'unknown'. */
export function commitOf(cli: string): string {
  const commit = firstLine('git', ['rev-parse', 'HEAD'], join(dirname(cli), '../..'));
  return /^[0-9a-f]{40}$/.test(commit) ? commit : 'unknown';
}

export function machineInfo(): Machine {
  const all = cpus();
  const commit = firstLine('git', ['rev-parse', 'HEAD']);
  const status = spawnSync('git', ['status', '--porcelain', '--untracked-files=no'], { cwd: ROOT, encoding: 'utf8', timeout: 5000 });
  return {
    cpuModel: all[0]?.model.trim() ?? 'unknown',
    cores: all.length,
    node: process.version,
    kernel: `${process.platform} ${release()}`,
    commit: /^[0-9a-f]{40}$/.test(commit) ? commit : 'unknown',
    dirty: (status.stdout ?? '').trim() !== '',
    tools: {
      cc: firstLine('cc', ['--version']),
      wrk: firstLine('wrk', ['-v']),
      'redis-benchmark': firstLine('redis-benchmark', ['--version']),
      'redis-server': firstLine('redis-server', ['--version']),
    },
  };
}

/** `2025-01-31T12-00-00Z`: sortable, and safe in a file name. */
export const stamp = (date: Date): string => date.toISOString().replace(/\.\d+Z$/, 'Z').replace(/:/g, '-');
