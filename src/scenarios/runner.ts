// Replays kernel scenarios (test/fixtures/kernel/scenarios) against switchboard's sockets and select(),
// producing traces in exactly the format the kernel oracle (the Python script that recorded
// test/fixtures/kernel on Linux) prints for the real kernel, so the two diff.
// It follows the format op by op (ops.ts), so any new scenario file runs without code changes here.
import { Socket } from '../transports/socket.js';
import * as C from '../transports/constants.js';
import { type Scenario, ScenarioError, type TraceEntry } from './scenario.js';
import { ScenarioRun } from './scenario-run.js';
import { OPS } from './ops.js';

export { type Json, type Step, type Scenario, type StepResult, type TraceEntry, ScenarioError, renderBytes } from './scenario.js';

/** Checks a parsed scenario file the way the kernel oracle's load_scenario does. */
export function validateScenario(value: unknown, fileId: string): Scenario {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new ScenarioError('a scenario is a JSON object');
  const doc = value as Record<string, unknown>;
  for (const key of ['id', 'title', 'steps']) if (!(key in doc)) throw new ScenarioError(`missing '${key}'`);
  const unknown = Object.keys(doc).filter((k) => !['id', 'title', 'tags', 'requires', 'description', 'steps'].includes(k));
  if (unknown.length > 0) throw new ScenarioError(`unknown keys ${unknown.join(', ')}`);
  if (doc['id'] !== fileId) throw new ScenarioError(`file name must be <id>.json (id is '${String(doc['id'])}')`);
  const steps = doc['steps'];
  if (!Array.isArray(steps)) throw new ScenarioError('steps must be a list');
  steps.forEach((step: unknown, i) => {
    const op = typeof step === 'object' && step !== null ? (step as Record<string, unknown>)['op'] : undefined;
    if (typeof op !== 'string' || !(op in OPS)) throw new ScenarioError(`step ${i}: unknown op '${String(op)}'`);
  });
  for (const req of (doc['requires'] as unknown[] | undefined) ?? []) {
    if (req !== 'ipv6') throw new ScenarioError(`unknown requirement '${String(req)}'`);
  }
  // Validated above, key by key: the rest of the shape is checked per step as the steps run.
  return doc as unknown as Scenario;
}

/** True when ::1 can be bound here, as the kernel oracle decides the `ipv6` requirement. */
export function ipv6LoopbackAvailable(): boolean {
  const probe = new Socket(C.AF_INET6);
  try {
    probe.bind(['::1', 0]);
    return true;
  } catch {
    return false;
  } finally {
    probe.close();
  }
}

/**
 * Runs every step of a validated scenario on fresh switchboard sockets and resolves with its trace;
 * closes what it opened either way. Rejects with ScenarioError (naming the step) for a step it cannot run.
 */
export async function runScenario(scenario: Scenario): Promise<TraceEntry[]> {
  const run = new ScenarioRun();
  const trace: TraceEntry[] = [];
  try {
    for (const [i, step] of scenario.steps.entries()) {
      try {
        trace.push({ step: i, op: step.op, result: await run.step(step) });
      } catch (error) {
        if (error instanceof ScenarioError) throw new ScenarioError(`${scenario.id} step ${i}: ${error.message}`);
        throw error;
      }
    }
  } finally {
    run.cleanup();
  }
  return trace;
}
