// Runs wrk (Debian package 'wrk') against one URL and reads requests/s and the latency percentiles
// from its --latency report. Socket errors or non-2xx answers reject: they are never a figure.
import type { Latency } from './benchmark.js';
import { runTool } from './processes.js';

export interface WrkLoad {
  readonly threads: number;
  readonly connections: number;
  readonly seconds: number;
}

export interface WrkResult {
  readonly requestsPerSec: number;
  readonly latencyUs: Latency;
}

const TO_US: Readonly<Record<string, number>> = { us: 1, ms: 1000, s: 1_000_000 };

function percentileUs(text: string, p: string): number | undefined {
  const match = new RegExp(`^\\s*${p}%\\s+([\\d.]+)(us|ms|s)\\s*$`, 'm').exec(text);
  const [, value, unit] = match ?? [];
  const scale = unit === undefined ? undefined : TO_US[unit];
  return value === undefined || scale === undefined ? undefined : Number(value) * scale;
}

export function parseWrk(text: string): WrkResult {
  const rps = /^Requests\/sec:\s+([\d.]+)/m.exec(text)?.[1];
  const p50 = percentileUs(text, '50');
  const p99 = percentileUs(text, '99');
  if (rps === undefined || p50 === undefined || p99 === undefined) throw new Error(`wrk: cannot read its report: ${text.trim().slice(0, 300)}`);
  const socketErrors = /Socket errors: (.*)$/m.exec(text)?.[1];
  if (socketErrors !== undefined) throw new Error(`wrk: socket errors: ${socketErrors}`);
  const non2xx = /Non-2xx or 3xx responses: (\d+)/.exec(text)?.[1];
  if (non2xx !== undefined) throw new Error(`wrk: ${non2xx} non-2xx or 3xx responses`);
  return { requestsPerSec: Number(rps), latencyUs: { p50, p99 } };
}

/** One wrk run of whole seconds (wrk takes no fractions), killed if it overruns by 15 s. */
export async function runWrk(url: string, load: WrkLoad): Promise<WrkResult> {
  const seconds = Math.max(1, Math.round(load.seconds));
  const args = [`-t${load.threads}`, `-c${load.connections}`, `-d${seconds}s`, '--latency', url];
  const result = await runTool({ command: 'wrk', args }, (seconds + 15) * 1000);
  if (result.code !== 0) throw new Error(`wrk exited ${result.signal ?? result.code ?? '?'}: ${result.stderr.trim()}`);
  return parseWrk(result.stdout);
}
