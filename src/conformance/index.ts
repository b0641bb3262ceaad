// The reactor conformance suite: cases written once, run for every reactor and socket family.
export type { ConformanceCase, CaseContext, Family, FamilyName, ReactorFactory, Requirement } from './case.js';
export { ALL_CASES, ALL_FAMILIES, planCases, runCase, type CaseResult, type PlannedCase } from './run.js';
export { Recorder, factoryOf } from './recorder.js';
export { removeUnixDir } from './families.js';
