// Reading the JSON that load generators print, without `any`: every field is checked on the way in.

export function field(value: unknown, key: string): unknown {
  return typeof value === 'object' && value !== null ? (value as Record<string, unknown>)[key] : undefined;
}

export function numberField(value: unknown, key: string): number | undefined {
  const found = field(value, key);
  return typeof found === 'number' && Number.isFinite(found) ? found : undefined;
}

/** The last line of `text` that parses as a JSON object. */
export function lastJsonLine(text: string): unknown {
  for (const line of text.trim().split('\n').reverse()) {
    if (!line.startsWith('{')) continue;
    try {
      const parsed: unknown = JSON.parse(line);
      return parsed;
    } catch {
      // not JSON: keep looking
    }
  }
  return undefined;
}
