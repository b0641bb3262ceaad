// The kernel's scenarios and traces, copied from ../shared/kernel into test/fixtures/kernel.
import { readFileSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import { type Scenario, type TraceEntry, validateScenario } from '../../src/scenarios/runner.js';

// Tests run from dist/test; the fixtures stay in the source tree.
export const FIXTURES = fileURLToPath(new URL('../../../test/fixtures/kernel/', import.meta.url));

export interface KernelCase {
  readonly scenario: Scenario;
  readonly expected: TraceEntry[];
}

export function kernelCases(): KernelCase[] {
  return readdirSync(join(FIXTURES, 'scenarios'))
    .filter((f) => f.endsWith('.json'))
    .sort()
    .map((file) => {
      const id = file.replace(/\.json$/, '');
      const scenario = validateScenario(JSON.parse(readFileSync(join(FIXTURES, 'scenarios', file), 'utf8')), id);
      const expected = (JSON.parse(readFileSync(join(FIXTURES, 'expected', file), 'utf8')) as { trace: TraceEntry[] }).trace;
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
