// The built CLI in a child process, for the scale tests: its stdout lines and stderr as they come,
// waits on what it says (never on time), and its worker processes from /proc.
import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

/** The built bin. */
export const CLI = fileURLToPath(new URL('../../src/cli.js', import.meta.url));

/** A running `switchboard` process. */
export class CliProcess {
  readonly child: ChildProcessWithoutNullStreams;
  stderr = '';
  readonly #lines: AsyncIterator<string>;
  #stderrWaiters: { pattern: RegExp; resolve: (match: RegExpExecArray) => void }[] = [];

  /** Runs `node CLI ...args`, under `prefix` if given (`ip netns exec NAME`). */
  constructor(args: readonly string[], prefix: readonly string[] = []) {
    const [command = process.execPath, ...rest] = prefix.length > 0 ? [...prefix, process.execPath] : [process.execPath];
    this.child = spawn(command, [...rest, CLI, ...args]);
    this.#lines = createInterface({ input: this.child.stdout })[Symbol.asyncIterator]();
    this.child.stderr.setEncoding('utf8');
    this.child.stderr.on('data', (text: string) => {
      this.stderr += text;
      this.#stderrWaiters = this.#stderrWaiters.filter((w) => {
        const match = w.pattern.exec(this.stderr);
        if (match === null) return true;
        w.resolve(match);
        return false;
      });
    });
  }

  /** The next stdout line; throws if the process ended first. */
  async nextLine(): Promise<string> {
    const { value, done } = await this.#lines.next();
    if (done === true) throw new Error(`the process ended before printing a line; stderr: ${this.stderr}`);
    return String(value);
  }

  /** Reads `listening on HOST:PORT` and returns the port. */
  async listeningPort(): Promise<number> {
    const line = await this.nextLine();
    const match = /^listening on .*:(\d+)$/.exec(line);
    if (match === null) throw new Error(`expected 'listening on', got '${line}'`);
    return Number(match[1]);
  }

  /** Resolves once stderr (all of it so far, or to come) matches `pattern`. */
  waitForStderr(pattern: RegExp): Promise<RegExpExecArray> {
    const match = pattern.exec(this.stderr);
    if (match !== null) return Promise.resolve(match);
    return new Promise((resolve) => this.#stderrWaiters.push({ pattern, resolve }));
  }

  /** The exit status (or the signal's name) once the process ended. */
  async exitCode(): Promise<number | string> {
    if (this.child.exitCode !== null) return this.child.exitCode;
    const [code, signal] = (await once(this.child, 'exit')) as [number | null, string | null];
    return code ?? signal ?? -1;
  }

  /** The pids of this process's children (its workers), from /proc. */
  children(): number[] {
    const pid = this.child.pid ?? 0;
    return readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim().split(/\s+/).filter(Boolean).map(Number);
  }

  /** Sends `signal` to the process. */
  kill(signal: NodeJS.Signals): void {
    this.child.kill(signal);
  }
}

/** Starts `switchboard ...args`; killed (SIGKILL, with its workers) at the test's end. */
export function launch(t: { teardown(fn: () => void): void }, ...args: string[]): CliProcess {
  return launchUnder(t, [], args);
}

/** Starts `prefix... node CLI ...args` (`ip netns exec NAME`); killed with its workers at the test's end. */
export function launchUnder(t: { teardown(fn: () => void): void }, prefix: readonly string[], args: readonly string[]): CliProcess {
  const cli = new CliProcess(args, prefix);
  t.teardown(() => {
    if (cli.child.exitCode !== null || cli.child.signalCode !== null) return;
    let workers: number[] = [];
    try {
      workers = cli.children();
    } catch {
      // Gone already.
    }
    cli.kill('SIGKILL');
    for (const pid of workers) {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        // Exited with its primary.
      }
    }
  });
  return cli;
}
