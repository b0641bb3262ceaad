// The scenario format (as the kernel oracle reads test/fixtures/kernel/scenarios) as types, and the helpers that read a step's
// arguments and render what it returned.
import { crc32 } from 'node:zlib';

/** A JSON value, as scenario files and traces hold them. */
export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
/** One step of a scenario: the operation (`socket`, `bind`, `send`, `select` ...) and its arguments. */
export type Step = { readonly op: string; readonly [key: string]: Json };
/** A scenario file, as the kernel oracle reads it (test/fixtures/kernel/scenarios). */
export interface Scenario {
  /** The file's name without `.json`. */
  readonly id: string;
  /** What the scenario shows, in words. */
  readonly title: string;
  /** Labels, such as `beyond-node` for a case node:net cannot express. */
  readonly tags?: readonly string[];
  /** What the machine must have for it to run (e.g. IPv6 loopback). */
  readonly requires?: readonly string[];
  /** The operations, run in order. */
  readonly steps: readonly Step[];
}
/** What one step did: returned a value (`ret`), or raised (`exc`, the Python class name, with the errno code). */
export type StepResult = { ret: Json } | { exc: string; errno?: string };
/** One line of a trace, as the kernel oracle prints it for the real kernel. */
export interface TraceEntry {
  /** The step's index in the scenario, from 0. */
  step: number;
  /** The step's op. */
  op: string;
  /** What it did. */
  result: StepResult;
}

/** The scenario is malformed or cannot be run: not an outcome to record. */
export class ScenarioError extends Error {
  /** `'ScenarioError'`. */
  override name = 'ScenarioError';
}

const INLINE_BYTES_LIMIT = 256;

/** The bytes a send step gives: `data` (UTF-8), `hex`, or `size` bytes of a pattern. */
export function payloadOf(st: Step): Buffer {
  const kinds = ['data', 'hex', 'size'].filter((k) => k in st);
  if (kinds.length !== 1) throw new ScenarioError('send needs exactly one of data/hex/size');
  if ('data' in st) return Buffer.from(str(st, 'data'), 'utf8');
  if ('hex' in st) {
    const hex = str(st, 'hex');
    if (!/^([0-9a-fA-F]{2})*$/.test(hex.replace(/\s/g, ''))) throw new ScenarioError('hex must be a string of hex digits');
    return Buffer.from(hex.replace(/\s/g, ''), 'hex');
  }
  const size = int(st, 'size');
  const out = Buffer.allocUnsafe(size);
  for (let i = 0; i < size; i++) out[i] = i % 251;
  return out;
}

/** Bytes as a trace shows them: printable ASCII as text, else `{ hex }`, and over 256 bytes `{ len, crc32 }`. */
export function renderBytes(data: Buffer): Json {
  if (data.length <= INLINE_BYTES_LIMIT) {
    if (data.every((c) => c >= 32 && c < 127)) return data.toString('latin1');
    return { hex: data.toString('hex') };
  }
  return { len: data.length, crc32: (crc32(data) >>> 0).toString(16).padStart(8, '0') };
}

/** A string argument of the step. */
export function str(st: Step, key: string): string {
  const value = st[key];
  if (typeof value !== 'string') throw new ScenarioError(`${key} must be a string`);
  return value;
}

/** An integer argument >= 0 of the step. */
export function int(st: Step, key: string): number {
  const value = st[key];
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0) throw new ScenarioError(`${key} must be an integer >= 0`);
  return value;
}

/** A number of seconds >= 0 of the step. */
export function seconds(st: Step, key: string): number {
  const value = st[key];
  if (typeof value !== 'number' || value < 0) throw new ScenarioError(`${key} must be a number of seconds >= 0`);
  return value;
}
