// The child processes of a benchmark run: servers, started one at a time, and load generators. Each
// is bounded in time and stopped by its own PID (never by name), also when the run fails or is
// interrupted. Not a general process manager.
import { type ChildProcess, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { connect, createServer } from 'node:net';
import { createInterface } from 'node:readline';

export interface Launch {
  readonly command: string;
  readonly args: readonly string[];
  /** Pins the process to this CPU with taskset. */
  readonly cpu?: number;
  /** Raises the open-file limit in the child's shell (`ulimit -n`) before exec. */
  readonly nofile?: number;
}

export interface ToolResult {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
  readonly timedOut: boolean;
}

export interface Tool {
  readonly pid: number;
  readonly done: Promise<ToolResult>;
  /** Sends SIGTERM; `done` settles when it has exited. */
  stop(): void;
}

export interface Server {
  readonly name: string;
  readonly pid: number;
  readonly port: number;
  /** SIGTERM, then SIGKILL after `graceMs`; resolves once the process has exited. */
  stop(graceMs?: number): Promise<void>;
}

const live = new Map<number, ChildProcess>();
let isShuttingDown = false;
const MAX_CAPTURE = 1 << 20;

function argv(launch: Launch): { file: string; args: string[] } {
  let words = [launch.command, ...launch.args];
  if (launch.cpu !== undefined) words = ['taskset', '-c', String(launch.cpu), ...words];
  if (launch.nofile !== undefined) {
    const script = `ulimit -n ${launch.nofile} || { echo "cannot raise the open-file limit to ${launch.nofile} (hard limit $(ulimit -Hn))" >&2; exit 111; }; exec "$@"`;
    words = ['sh', '-c', script, 'sh', ...words];
  }
  const [file = launch.command, ...args] = words;
  return { file, args };
}

function start(launch: Launch): ChildProcess {
  // After Ctrl-C nothing new may start: it would outlive the run.
  if (isShuttingDown) throw new Error('the run is stopping');
  const { file, args } = argv(launch);
  const child = spawn(file, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  const { pid } = child;
  if (pid !== undefined) {
    live.set(pid, child);
    child.once('exit', () => live.delete(pid));
  }
  return child;
}

const exited = (child: ChildProcess): Promise<void> =>
  child.exitCode !== null || child.signalCode !== null ? Promise.resolve() : new Promise((resolve) => child.once('exit', () => resolve()));

async function terminate(child: ChildProcess, graceMs: number): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
  await exited(child);
  clearTimeout(timer);
}

function capture(stream: NodeJS.ReadableStream | null, onLine?: (line: string) => void): () => string {
  let text = '';
  if (stream === null) return () => text;
  stream.setEncoding('utf8');
  stream.on('data', (chunk: string) => {
    if (text.length < MAX_CAPTURE) text += chunk;
  });
  if (onLine !== undefined) createInterface({ input: stream }).on('line', onLine);
  return () => text;
}

/** Starts a load generator, killed after `timeoutMs`. */
export function startTool(launch: Launch, timeoutMs: number, onStderrLine?: (line: string) => void): Tool {
  const child = start(launch);
  const stdout = capture(child.stdout);
  const stderr = capture(child.stderr, onStderrLine);
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    void terminate(child, 2000);
  }, timeoutMs);
  const done = new Promise<ToolResult>((resolve) => {
    child.once('error', (error) => {
      clearTimeout(timer);
      resolve({ code: null, signal: null, stdout: stdout(), stderr: `${stderr()}${error.message}`, timedOut });
    });
    child.once('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout: stdout(), stderr: stderr(), timedOut });
    });
  });
  return { pid: child.pid ?? -1, done, stop: () => void terminate(child, 2000) };
}

export function runTool(launch: Launch, timeoutMs: number): Promise<ToolResult> {
  return startTool(launch, timeoutMs).done;
}

export type Readiness = { readonly kind: 'line' } | { readonly kind: 'port'; readonly port: number };

/**
 * Starts a server and resolves once it accepts connections: it printed `listening on <host>:<port>`
 * (kind 'line'), or its fixed port accepts a connection (kind 'port'). Rejects with its stderr
 * when it exits first or is not ready within `timeoutMs`.
 */
export function startServer(name: string, launch: Launch, ready: Readiness = { kind: 'line' }, timeoutMs = 15_000): Promise<Server> {
  const child = start(launch);
  const stderr = capture(child.stderr);
  const server = (port: number): Server => ({ name, pid: child.pid ?? -1, port, stop: (graceMs = 10_000) => terminate(child, graceMs) });
  return new Promise<Server>((resolve, reject) => {
    let settled = false;
    const fail = (why: string): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      void terminate(child, 1000).then(() => reject(new Error(`${why}${firstError(stderr())}`)));
    };
    const succeed = (port: number): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve(server(port));
    };
    const timer = setTimeout(() => fail(`not listening after ${timeoutMs / 1000} s`), timeoutMs);
    child.once('error', (error) => fail(error.message));
    child.once('exit', (code, signal) => fail(`exited (${signal ?? code ?? '?'}) before listening`));
    if (child.stdout !== null) {
      // Read to the end, so a server that logs never blocks on a full pipe.
      createInterface({ input: child.stdout }).on('line', (line) => {
        const match = /listening on .*:(\d+)\s*$/.exec(line);
        if (ready.kind === 'line' && match?.[1] !== undefined) succeed(Number(match[1]));
      });
    }
    if (ready.kind === 'port') {
      void waitForPort(ready.port, timeoutMs).then((ok) => (ok ? succeed(ready.port) : fail(`port ${ready.port} never accepted`)));
    }
  });
}

/** The line of a crash that says what went wrong (Node prints it above the stack), else the last lines. */
function firstError(text: string): string {
  const lines = text.trim().split('\n').filter((line) => line.trim() !== '');
  const error = lines.find((line) => /^\w*(Error|Exception)\b|\berror\b/i.test(line.trim()));
  if (error !== undefined) return `: ${error.trim()}`;
  return lines.length === 0 ? '' : `: ${lines.slice(-3).join(' | ')}`;
}

/** Polls until 127.0.0.1:port accepts a TCP connection; false after `timeoutMs`. */
export async function waitForPort(port: number, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const ok = await new Promise<boolean>((resolve) => {
      const socket = connect(port, '127.0.0.1');
      socket.once('connect', () => {
        socket.destroy();
        resolve(true);
      });
      socket.once('error', () => resolve(false));
    });
    if (ok) return true;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return false;
}

/** A TCP port that was free a moment ago, for servers that cannot be told to pick one (redis-server). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      probe.close(() => resolve(port));
    });
  });
}

/** The resident set size of a process, in bytes, from /proc (Linux). */
export function rssBytes(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const match = /^VmRSS:\s+(\d+)\s+kB/m.exec(status);
  return match?.[1] === undefined ? Number.NaN : Number(match[1]) * 1024;
}

/** Stops every process this run started that is still alive, each by its PID. */
export async function stopAll(graceMs = 2000): Promise<void> {
  await Promise.all([...live.values()].map((child) => terminate(child, graceMs)));
}

/** As stopAll, and from now on refuses to start anything (for Ctrl-C). */
export function shutdown(graceMs: number): Promise<void> {
  isShuttingDown = true;
  return stopAll(graceMs);
}
