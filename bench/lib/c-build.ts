// Builds the C programs of bench/c/ with the system cc on first use (and again when the source is
// newer), into bench/bin/, which git ignores.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { BIN_DIR, C_SOURCE_DIR } from './paths.js';
import { missingTool } from './tools.js';

export type CProgram = 'echo-client' | 'epoll-echo-server';

/** The path of the built program; throws when cc is missing or the build fails. */
export function cBinary(name: CProgram): string {
  const source = join(C_SOURCE_DIR, `${name}.c`);
  const binary = join(BIN_DIR, name);
  if (existsSync(binary) && statSync(binary).mtimeMs >= statSync(source).mtimeMs) return binary;
  const missing = missingTool('cc');
  if (missing !== undefined) throw new Error(missing);
  mkdirSync(BIN_DIR, { recursive: true });
  process.stderr.write(`building ${binary}\n`);
  execFileSync('cc', ['-O2', '-Wall', '-Wextra', '-o', binary, source], { stdio: ['ignore', 'inherit', 'inherit'], timeout: 120_000 });
  return binary;
}
