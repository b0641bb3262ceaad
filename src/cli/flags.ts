// A small, strict flag parser for the CLI: `--name value` or `--name=value`, typed per flag; an
// unknown flag or a bad value is a UsageError with one clear line, never a stack trace.

/** A user's mistake on the command line: the CLI prints its message on one line and exits 2, no stack trace. */
export class UsageError extends Error {
  /** The class name, kept when the code is minified. */
  override name = 'UsageError';
}

/**
 * How a flag's value is read: text, a whole number (0 or more), a TCP port (0-65535), a non-negative
 * number of seconds, or present/absent.
 */
export type FlagKind = 'string' | 'int' | 'port' | 'seconds' | 'boolean';
/** The flags a command accepts, by name without `--`. */
export type FlagSpec = Readonly<Record<string, FlagKind>>;
/** Parsed flag values by name: strings, numbers, or true for a boolean flag given. */
export type FlagValues = Record<string, string | number | boolean>;

/** What parseFlags() returns. */
export interface Parsed {
  /** The arguments that are not flags or flag values, in order. */
  readonly positional: string[];
  /** The flags given, converted to their kinds. */
  readonly flags: FlagValues;
}

/**
 * Parses `--name value`, `--name=value` and boolean `--name` by `spec`. Throws UsageError for an
 * unknown flag, a missing value, or a value of the wrong kind.
 */
export function parseFlags(args: readonly string[], spec: FlagSpec): Parsed {
  const positional: string[] = [];
  const flags: FlagValues = {};
  for (let i = 0; i < args.length; i++) {
    const arg = args[i] ?? '';
    if (!arg.startsWith('--')) {
      positional.push(arg);
      continue;
    }
    const eq = arg.indexOf('=');
    const name = arg.slice(2, eq < 0 ? undefined : eq);
    const kind = spec[name];
    if (kind === undefined) throw new UsageError(`unknown option --${name}`);
    if (kind === 'boolean') {
      flags[name] = true;
      continue;
    }
    const raw = eq >= 0 ? arg.slice(eq + 1) : args[++i];
    if (raw === undefined) throw new UsageError(`--${name} needs a value`);
    flags[name] = convert(name, kind, raw);
  }
  return { positional, flags };
}

function convert(name: string, kind: Exclude<FlagKind, 'boolean'>, raw: string): string | number {
  if (kind === 'string') return raw;
  const value = Number(raw);
  if (kind === 'port' && !(/^\d+$/.test(raw) && value <= 65535)) {
    throw new UsageError(`--${name} takes a port number from 0 to 65535 (0 picks a free one), got '${raw}'`);
  }
  if (kind === 'int' && (!/^\d+$/.test(raw) || !Number.isSafeInteger(value))) {
    throw new UsageError(`--${name} takes a whole number (0 or more), got '${raw}'`);
  }
  if (kind === 'seconds' && !(raw.trim() !== '' && Number.isFinite(value) && value >= 0)) {
    throw new UsageError(`--${name} takes a number of seconds, got '${raw}'`);
  }
  return value;
}

/** A numeric flag's value (int or seconds), or undefined when it was not given. */
export function intFlag(flags: FlagValues, name: string): number | undefined {
  const value = flags[name];
  return typeof value === 'number' ? value : undefined;
}

/** A string flag's value, or undefined when it was not given. */
export function stringFlag(flags: FlagValues, name: string): string | undefined {
  const value = flags[name];
  return typeof value === 'string' ? value : undefined;
}
