// Runs the built bin (dist/src/cli.js) in a child process, as a person or a script does: the CLI's
// tests drive it only this way, so they see its real exit codes and output.
import { type ChildProcessWithoutNullStreams, execFile, spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

/** The built bin. */
export const CLI = fileURLToPath(new URL('../../src/cli.js', import.meta.url));
const execFileAsync = promisify(execFile);

/** How a finished run of the CLI went. */
export interface Outcome {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs `switchboard ...args` to its end (30 s at most) and resolves with its exit code and output. */
export async function cli(...args: string[]): Promise<Outcome> {
  try {
    const { stdout, stderr } = await execFileAsync(process.execPath, [CLI, ...args], { timeout: 30000 });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code?: number; stdout?: string; stderr?: string };
    return { code: typeof e.code === 'number' ? e.code : -1, stdout: e.stdout ?? '', stderr: e.stderr ?? '' };
  }
}

/** Starts `switchboard ...args` and gives the process and its stdout lines as they come. */
export function launch(...args: string[]): { child: ChildProcessWithoutNullStreams; lines: AsyncIterator<string> } {
  const child = spawn(process.execPath, [CLI, ...args]);
  const lines = createInterface({ input: child.stdout })[Symbol.asyncIterator]();
  return { child, lines };
}

/** The next stdout line; throws when the process ended first. */
export async function nextLine(lines: AsyncIterator<string>): Promise<string> {
  const { value, done } = await lines.next();
  if (done === true) throw new Error('the process ended before printing a line');
  return String(value);
}
