// The kernel's scenarios and traces: those copied from ../shared/kernel into test/fixtures/kernel, and
// the project's own, recorded the same way with oracle.py, in test/fixtures/kernel-own.
import { readFileSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import { type Scenario, type TraceEntry, validateScenario } from '../../src/scenarios/runner.js';

// Tests run from dist/test; the fixtures stay in the source tree.
const FIXTURES_ROOT = fileURLToPath(new URL('../../../test/fixtures/', import.meta.url));
export const FIXTURES = join(FIXTURES_ROOT, 'kernel/');

export interface KernelCase {
  readonly scenario: Scenario;
  readonly expected: TraceEntry[];
}

/** The scenarios of test/fixtures/<dir> (scenarios/ and expected/ under it), sorted by file name. */
export function kernelCases(dir = 'kernel'): KernelCase[] {
  const root = join(FIXTURES_ROOT, dir);
  return readdirSync(join(root, 'scenarios'))
    .filter((f) => f.endsWith('.json'))
    .sort()
    .map((file) => {
      const id = file.replace(/\.json$/, '');
      const scenario = validateScenario(JSON.parse(readFileSync(join(root, 'scenarios', file), 'utf8')), id);
      const expected = (JSON.parse(readFileSync(join(root, 'expected', file), 'utf8')) as { trace: TraceEntry[] }).trace;
      return { scenario, expected };
    });
}

/** The trace as compared: in x-error scenarios the x list is ours to fill (DESIGN.md section 2). */
export function lenient(trace: readonly TraceEntry[], xError: boolean): unknown[] {
  return trace.map((entry) => {
    const result = entry.result;
    if (!xError || entry.op !== 'select' || !('ret' in result)) return entry;
    const ret = result.ret;
    if (typeof ret !== 'object' || ret === null || Array.isArray(ret)) return entry;
    const { x: _x, ...rest } = ret;
    return { ...entry, result: { ret: rest } };
  });
}
