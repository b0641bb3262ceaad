// Runs redis-benchmark (Debian package 'redis-tools') and reads its --csv report: requests/s and
// p50/p99 per test (PING_INLINE, PING_MBULK, SET, GET).
import type { Latency } from './benchmark.js';
import { runTool } from './processes.js';

export interface RedisLoad {
  readonly tests: readonly string[];
  readonly requests: number;
  readonly clients: number;
  readonly pipeline: number;
}

export interface RedisTestResult {
  readonly requestsPerSec: number;
  readonly latencyUs: Latency;
}

const unquote = (cell: string): string => cell.replace(/^"|"$/g, '');

/** Maps test name to its figures; the header row names the columns (redis 7: rps, p50_latency_ms, ...). */
export function parseRedisCsv(text: string): Map<string, RedisTestResult> {
  const rows = text.trim().split('\n').map((line) => line.split(',').map(unquote));
  const header = rows.find((row) => row[0] === 'test');
  const col = (name: string): number => header?.indexOf(name) ?? -1;
  const [rps, p50, p99] = [col('rps'), col('p50_latency_ms'), col('p99_latency_ms')];
  const out = new Map<string, RedisTestResult>();
  for (const row of rows) {
    const [test] = row;
    if (test === undefined || test === 'test') continue;
    const value = Number(row[rps] ?? row[1]);
    const l50 = Number(row[p50]) * 1000;
    const l99 = Number(row[p99]) * 1000;
    if (Number.isFinite(value)) out.set(test, { requestsPerSec: value, latencyUs: { p50: l50, p99: l99 } });
  }
  return out;
}

/** One redis-benchmark run against 127.0.0.1:port, killed after `timeoutSeconds`. */
export async function runRedisBenchmark(port: number, load: RedisLoad, timeoutSeconds: number): Promise<Map<string, RedisTestResult>> {
  const args = ['-h', '127.0.0.1', '-p', String(port), '-t', load.tests.join(','), '-n', String(load.requests), '-c', String(load.clients)];
  if (load.pipeline > 1) args.push('-P', String(load.pipeline));
  const result = await runTool({ command: 'redis-benchmark', args: [...args, '--csv'] }, timeoutSeconds * 1000);
  if (result.code !== 0 || result.timedOut) {
    throw new Error(`redis-benchmark ${result.timedOut ? `timed out after ${timeoutSeconds} s` : `exited ${result.signal ?? result.code ?? '?'}`}: ${result.stderr.trim().slice(0, 300)}`);
  }
  const parsed = parseRedisCsv(result.stdout);
  if (parsed.size === 0) throw new Error(`redis-benchmark: no results in its output: ${result.stdout.trim().slice(0, 300)}`);
  return parsed;
}
