// `switchboard conformance <module>`: runs the reactor conformance suite on the reactor that the
// module's default export makes. Prints `ok <case>` / `not ok <case>: <reason>`, then the totals.
import { pathToFileURL } from 'node:url';
import { resolve } from 'node:path';
import { existsSync } from 'node:fs';
import { planCases, removeUnixDir, runCase, type ReactorFactory } from '../conformance/index.js';
import type { FamilyName } from '../conformance/case.js';
import { ipv6LoopbackAvailable } from '../scenarios/runner.js';

/** What `switchboard conformance --help` prints. */
export const CONFORMANCE_HELP = `usage: switchboard conformance <module> [--family tcp4,tcp6,unix,pair] [--grep TEXT]

Imports <module> (a path or a package name); its default export must be a function returning a
new reactor implementing switchboard's Reactor type (it is passed { clock, onError }: honour
the clock, timer cases depend on it). Runs every conformance case and prints 'ok <case>' or
'not ok <case>: <reason>' per case, then 'N passed, N failed'. Exits 1 when any case failed.`;

/**
 * Runs the conformance suite on the reactor made by the module named in `args`; resolves to 0 when
 * every case passed, 1 when one failed, 2 for a usage mistake (said on `err`).
 */
export async function conformanceCommand(args: readonly string[], out: (line: string) => void, err: (line: string) => void): Promise<number> {
  const positional: string[] = [];
  let families: FamilyName[] = ipv6LoopbackAvailable() ? ['tcp4', 'tcp6', 'unix', 'pair'] : ['tcp4', 'unix', 'pair'];
  let grep: string | undefined;
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    if (arg === '--family') {
      const value = args[++i] ?? '';
      const wanted = value.split(',').filter(Boolean);
      const unknown = wanted.filter((f) => !['tcp4', 'tcp6', 'unix', 'pair'].includes(f));
      if (wanted.length === 0 || unknown.length > 0) {
        err(`switchboard conformance: --family takes tcp4, tcp6, unix, pair (got '${value}')`);
        return 2;
      }
      families = wanted as FamilyName[];
    } else if (arg === '--grep') {
      grep = args[++i];
    } else if (arg !== undefined && arg.startsWith('--')) {
      err(`switchboard conformance: unknown option ${arg} (try --help)`);
      return 2;
    } else if (arg !== undefined) {
      positional.push(arg);
    }
  }
  const [module] = positional;
  if (module === undefined || positional.length > 1) {
    err('switchboard conformance: give exactly one module (see --help)');
    return 2;
  }
  const makeReactor = await loadFactory(module, err);
  if (makeReactor === undefined) return 2;
  let passed = 0;
  let failed = 0;
  try {
    for (const planned of planCases(families)) {
      if (grep !== undefined && !planned.title.includes(grep)) continue;
      const result = await runCase(makeReactor, planned);
      if (result.ok) {
        passed += 1;
        out(`ok ${result.title}`);
      } else {
        failed += 1;
        out(`not ok ${result.title}: ${result.reason ?? 'failed'}`);
      }
    }
  } finally {
    removeUnixDir();
  }
  out(`${passed} passed, ${failed} failed`);
  return failed > 0 ? 1 : 0;
}

async function loadFactory(module: string, err: (line: string) => void): Promise<ReactorFactory | undefined> {
  const specifier = existsSync(module) ? pathToFileURL(resolve(module)).href : module;
  let loaded: { default?: unknown };
  try {
    loaded = (await import(specifier)) as { default?: unknown };
  } catch (error) {
    err(`switchboard conformance: cannot import ${module}: ${error instanceof Error ? error.message : String(error)}`);
    return undefined;
  }
  const factory = loaded.default;
  if (typeof factory !== 'function') {
    err(`switchboard conformance: ${module} has no default export that is a function returning a reactor`);
    return undefined;
  }
  // I/O boundary: the module's default export is checked to be a function; its result is the reactor.
  return factory as ReactorFactory;
}
