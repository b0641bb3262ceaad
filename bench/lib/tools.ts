// The external programs benchmarks use, and the Debian package that provides each, so a missing
// tool skips its case with a message a person can act on instead of failing the run.
import { accessSync, constants } from 'node:fs';
import { delimiter, join } from 'node:path';

const PACKAGE_OF: Readonly<Record<string, string>> = {
  wrk: 'wrk',
  'redis-benchmark': 'redis-tools',
  'redis-server': 'redis-server',
  taskset: 'util-linux',
  cc: 'gcc',
};

export function hasTool(name: string): boolean {
  for (const dir of (process.env['PATH'] ?? '').split(delimiter)) {
    if (dir === '') continue;
    try {
      accessSync(join(dir, name), constants.X_OK);
      return true;
    } catch {
      // not in this directory
    }
  }
  return false;
}

/** Why `name` cannot be used (naming its Debian package), or undefined when it is on PATH. */
export function missingTool(name: string): string | undefined {
  if (hasTool(name)) return undefined;
  const pkg = PACKAGE_OF[name] ?? name;
  return `${name} not found: install the Debian package '${pkg}' (apt-get install -y ${pkg})`;
}

/** The first reason among `names`, for a case that needs all of them. */
export function missingTools(...names: readonly string[]): string | undefined {
  for (const name of names) {
    const reason = missingTool(name);
    if (reason !== undefined) return reason;
  }
  return undefined;
}
