// A small, strict flag parser for the CLI: `--name value` or `--name=value`, typed per flag; an
// unknown flag or a bad value is a UsageError with one clear line, never a stack trace.

export class UsageError extends Error {
  override name = 'UsageError';
}

export type FlagKind = 'string' | 'int' | 'seconds' | 'boolean';
export type FlagSpec = Readonly<Record<string, FlagKind>>;
export type FlagValues = Record<string, string | number | boolean>;

export interface Parsed {
  readonly positional: string[];
  readonly flags: FlagValues;
}

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
  if (kind === 'int' && (!/^\d+$/.test(raw) || !Number.isSafeInteger(value))) {
    throw new UsageError(`--${name} takes a whole number, got '${raw}'`);
  }
  if (kind === 'seconds' && !(raw.trim() !== '' && Number.isFinite(value) && value >= 0)) {
    throw new UsageError(`--${name} takes a number of seconds, got '${raw}'`);
  }
  return value;
}

export function intFlag(flags: FlagValues, name: string): number | undefined {
  const value = flags[name];
  return typeof value === 'number' ? value : undefined;
}

export function stringFlag(flags: FlagValues, name: string): string | undefined {
  const value = flags[name];
  return typeof value === 'string' ? value : undefined;
}
