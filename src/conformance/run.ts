// Runs the conformance suite against a reactor factory: every case, for every family it applies
// to, each on a fresh reactor with a manual clock. Used by test/ and by `switchboard conformance`.
import { AssertionError } from 'node:assert';
import { ManualClock, type Clock } from '../reactor/clock.js';
import type { Reactor } from '../reactor/reactor.js';
import type { CaseContext, ConformanceCase, Family, FamilyName, ReactorFactory } from './case.js';
import { CONNECTION_CASES } from './connection-cases.js';
import { DISPATCH_CASES } from './dispatch-cases.js';
import { FAMILIES } from './families.js';
import { PER_ITERATION_CASES } from './per-iteration-cases.js';
import { START_CASES } from './start-cases.js';
import { TIMER_CASES } from './timer-cases.js';

/** Every case of the suite: timers, dispatch, per-iteration dispatch, connections, then guarded connection starts. */
export const ALL_CASES: readonly ConformanceCase[] = [...TIMER_CASES, ...DISPATCH_CASES, ...PER_ITERATION_CASES, ...CONNECTION_CASES, ...START_CASES];
/** Every family, in the order results are reported. */
export const ALL_FAMILIES: readonly FamilyName[] = ['tcp4', 'tcp6', 'unix', 'pair'];

/** One case to run on one family, as planCases lists them. */
export interface PlannedCase {
  /** `family: case name`, or the case name alone for cases that do not touch sockets. */
  readonly title: string;
  /** The case to run. */
  readonly definition: ConformanceCase;
  /** The family to run it on. */
  readonly family: Family;
}

/** The outcome of one planned case (printed as `ok <title>` or `not ok <title>: <reason>`). */
export interface CaseResult {
  /** The planned case's title. */
  readonly title: string;
  /** True when the case passed. */
  readonly ok: boolean;
  /** Why it failed, in one line (the assertion's message, with the values); absent when it passed. */
  readonly reason?: string;
}

/** Each case once per family that provides what it requires (once on `pair` if not per family). */
export function planCases(families: readonly FamilyName[] = ALL_FAMILIES, cases: readonly ConformanceCase[] = ALL_CASES): PlannedCase[] {
  const planned: PlannedCase[] = [];
  for (const definition of cases) {
    if (definition.perFamily !== true) {
      planned.push({ title: definition.name, definition, family: FAMILIES.pair });
      continue;
    }
    for (const name of families) {
      const family = FAMILIES[name];
      if ((definition.requires ?? []).every((r) => family.provides.includes(r))) {
        planned.push({ title: `${name}: ${definition.name}`, definition, family });
      }
    }
  }
  return planned;
}

const GUARD_SECONDS = 60;

/**
 * Runs one planned case on a fresh reactor from `makeReactor`, with a ManualClock and errors
 * swallowed; never rejects: a failure (or a wait over 60 s in runUntil) becomes a CaseResult with a
 * reason. Stops the reactor and runs the case's deferred cleanups, last first, either way.
 */
export async function runCase(makeReactor: ReactorFactory, planned: PlannedCase): Promise<CaseResult> {
  const clock = new ManualClock();
  const reactor = makeReactor({ clock, onError: () => {} });
  const cleanups: (() => void)[] = [];
  let running: Promise<void> | undefined;
  const ctx: CaseContext = {
    reactor,
    clock,
    family: planned.family,
    makeReactor: (c?: Clock, onError?: (error: unknown, context: string) => void) =>
      makeReactor({ clock: c ?? new ManualClock(), onError: onError ?? (() => {}) }),
    defer: (cleanup) => cleanups.push(cleanup),
    async runUntil<T>(done: Promise<T>, what: string): Promise<T> {
      running ??= reactor.run();
      let guard: NodeJS.Timeout | undefined;
      try {
        return await Promise.race([
          done,
          new Promise<never>((_, reject) => {
            guard = setTimeout(() => reject(new Error(`gave up waiting ${GUARD_SECONDS} s for ${what}`)), GUARD_SECONDS * 1000);
          }),
        ]);
      } finally {
        clearTimeout(guard);
        reactor.stop();
        await running;
        running = undefined;
      }
    },
  };
  try {
    await planned.definition.run(ctx);
    return { title: planned.title, ok: true };
  } catch (error) {
    return { title: planned.title, ok: false, reason: describeFailure(error) };
  } finally {
    reactor.stop();
    if (running !== undefined) await running;
    for (const cleanup of cleanups.reverse()) {
      try {
        cleanup();
      } catch {
        // Cleanup is best effort: the case's own result is what counts.
      }
    }
  }
}

/** One line: the assertion's message, with the values when the message is assert's generic one. */
function describeFailure(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const first = error.message.split('\n')[0] ?? error.name;
  if (error instanceof AssertionError && !error.generatedMessage) return first;
  if (error instanceof AssertionError) return `${first} got ${brief(error.actual)}, expected ${brief(error.expected)}`;
  return first;
}

function brief(value: unknown): string {
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 160 ? `${text.slice(0, 157)}...` : text;
}
