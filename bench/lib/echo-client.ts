// Runs bench/c/echo-client.c (built on first use) against one server and reads its JSON result.
// A verification failure (a byte echoed wrong, a connection dropped) rejects: it is never a figure.
import { cBinary } from './c-build.js';
import type { Latency } from './benchmark.js';
import { field, lastJsonLine, numberField } from './json-fields.js';
import { type Launch, type ToolResult, startTool } from './processes.js';

export type EchoMode = 'pingpong' | 'stream' | 'churn' | 'idle';

export interface EchoLoad {
  readonly mode: EchoMode;
  readonly connections: number;
  readonly size: number;
  readonly seconds: number;
  readonly warmupSeconds: number;
  /** Pin the client to this CPU. */
  readonly cpu?: number;
  /** Open-file limit for the client's shell. */
  readonly nofile?: number;
  /** Connect to this Unix socket path instead of 127.0.0.1:port. */
  readonly unixPath?: string;
}

export interface EchoResult {
  readonly opsPerSec: number;
  readonly mbPerSec: number;
  readonly held: number;
  readonly latencyUs?: Latency;
}

function launchFor(port: number, load: EchoLoad): Launch {
  const target = load.unixPath === undefined ? ['--port', String(port)] : ['--unix', load.unixPath];
  const args = [...target, '--mode', load.mode, '--connections', String(load.connections), '--size', String(load.size)];
  args.push('--duration', String(load.seconds), '--warmup', String(load.warmupSeconds));
  return {
    command: cBinary('echo-client'),
    args,
    ...(load.cpu === undefined ? {} : { cpu: load.cpu }),
    ...(load.nofile === undefined ? {} : { nofile: load.nofile }),
  };
}

export function parseEchoResult(result: ToolResult): EchoResult {
  const json = lastJsonLine(result.stdout);
  const error = field(json, 'error');
  if (typeof error === 'string') throw new Error(`echo-client: ${error} (connection ${String(field(json, 'connection'))}, offset ${String(field(json, 'offset'))}) ${String(field(json, 'errno'))}`.trim());
  const opsPerSec = numberField(json, 'opsPerSec');
  const mbPerSec = numberField(json, 'mbPerSec');
  if (opsPerSec === undefined || mbPerSec === undefined || (result.code !== 0 && result.signal !== 'SIGTERM')) {
    throw new Error(`echo-client failed (exit ${result.signal ?? result.code ?? '?'}${result.timedOut ? ', timed out' : ''}): ${result.stderr.trim() || result.stdout.trim()}`);
  }
  const latency = field(json, 'latencyUs');
  const p50 = numberField(latency, 'p50');
  const p99 = numberField(latency, 'p99');
  return { opsPerSec, mbPerSec, held: numberField(json, 'held') ?? 0, ...(p50 === undefined || p99 === undefined ? {} : { latencyUs: { p50, p99 } }) };
}

/** Runs one load and resolves with its result; the client is killed if it overruns by 20 s. */
export async function runEchoClient(port: number, load: EchoLoad): Promise<EchoResult> {
  const tool = startTool(launchFor(port, load), (load.seconds + load.warmupSeconds + 20) * 1000);
  return parseEchoResult(await tool.done);
}

/** Starts an idle-mode client; `onHeld` runs once every connection has done its round trip. */
export function startIdleClient(port: number, load: EchoLoad, onHeld: () => void): { stop(): void; done: Promise<EchoResult> } {
  const tool = startTool(launchFor(port, { ...load, mode: 'idle' }), (load.seconds + 20) * 1000, (line) => {
    if (line.startsWith('held ')) onHeld();
  });
  return { stop: () => tool.stop(), done: tool.done.then(parseEchoResult) };
}
