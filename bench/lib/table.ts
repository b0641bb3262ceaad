// The Markdown report on stdout: per benchmark, servers down and cases across, each cell the ratio
// to the baseline (median, with min–max when there were several rounds) and the absolute median.
import type { BenchmarkResult, CaseResult, Row } from './benchmark.js';
import type { RunRecord } from './results.js';
import type { Summary } from './stats.js';

/** 58.1k, 787, 12.3, 0.42: three significant figures at most, so columns stay narrow. */
export function compact(value: number): string {
  const abs = Math.abs(value);
  if (abs >= 1e6) return `${(value / 1e6).toFixed(abs >= 1e7 ? 1 : 2)}M`;
  if (abs >= 1e4) return `${(value / 1e3).toFixed(abs >= 1e5 ? 0 : 1)}k`;
  if (abs >= 1e3) return `${(value / 1e3).toFixed(2)}k`;
  if (abs >= 100) return value.toFixed(0);
  if (abs >= 10) return value.toFixed(1);
  return value.toFixed(2);
}

const ratioText = (r: Summary): string => (r.n > 1 ? `${r.median.toFixed(2)} (${r.min.toFixed(2)}–${r.max.toFixed(2)})` : r.median.toFixed(2));

function cell(c: CaseResult, row: Row | undefined): string {
  if (c.skipped !== undefined) return 'skipped';
  if (row === undefined) return '';
  if (row.value === undefined) return row.note === undefined ? 'n/a' : 'n/a*';
  const abs = `${compact(row.value.median)} ${c.unit}`;
  return row.ratio === undefined ? `– · ${abs}` : `${ratioText(row.ratio)} · ${abs}`;
}

function latencyCell(row: Row | undefined): string {
  return row?.latencyUs === undefined ? '' : `${compact(row.latencyUs.p50)} / ${compact(row.latencyUs.p99)}`;
}

function matrix(b: BenchmarkResult, cellOf: (c: CaseResult, row: Row | undefined) => string): string[] {
  const names = [...new Set(b.cases.flatMap((c) => c.rows.map((r) => r.name)))];
  const isBaseline = (name: string): boolean => b.cases.some((c) => c.rows.some((r) => r.name === name && r.role === 'baseline'));
  const lines = [`| | ${b.cases.map((c) => c.id).join(' | ')} |`, `|---|${b.cases.map(() => '---:').join('|')}|`];
  for (const name of names) {
    const cells = b.cases.map((c) => cellOf(c, c.rows.find((r) => r.name === name)));
    lines.push(`| ${name}${isBaseline(name) ? ' (baseline)' : ''} | ${cells.join(' | ')} |`);
  }
  return lines;
}

function benchmarkSection(b: BenchmarkResult, rounds: number): string[] {
  const first = b.cases[0];
  if (first === undefined) return [`### ${b.name}: ${b.title}`, '', 'no cases ran', ''];
  const direction = first.higherIsBetter ? 'higher is better' : 'lower is better';
  const spread = rounds > 1 ? `median of ${rounds} rounds (min–max)` : 'one round';
  const out = [`### ${b.name}: ${b.title}`, '', `Ratio to ${first.baseline} (${direction}), ${spread} · absolute median.`, ''];
  out.push(...matrix(b, cell));
  if (b.cases.some((c) => c.rows.some((r) => r.latencyUs !== undefined))) {
    out.push('', 'Latency p50 / p99, µs:', '', ...matrix(b, (_c, row) => latencyCell(row)));
  }
  out.push('');
  for (const c of b.cases) out.push(`- **${c.id}**: ${c.title}`);
  const skips = new Map<string, string[]>();
  for (const c of b.cases) if (c.skipped !== undefined) skips.set(c.skipped, [...(skips.get(c.skipped) ?? []), c.id]);
  for (const [reason, ids] of skips) out.push(`- skipped ${ids.join(', ')}: ${reason}`);
  const rowNotes = new Map<string, string>();
  for (const c of b.cases) for (const r of c.rows) if (r.note !== undefined && !rowNotes.has(r.name)) rowNotes.set(r.name, r.note);
  for (const [name, note] of rowNotes) out.push(`- \\* ${name}: ${note}`);
  for (const note of b.notes) out.push(`- ${note}`);
  out.push('');
  return out;
}

export function markdown(record: RunRecord): string {
  const m = record.machine;
  const when = record.startedAt.replace('T', ' ').replace(/\.\d+Z$/, ' UTC');
  const out = [
    `## switchboard benchmarks, ${when}`,
    '',
    `\`${record.command}\` on ${m.cpuModel} × ${m.cores} cores, Node ${m.node}, ${m.kernel}, commit ${m.commit.slice(0, 10)}${m.dirty ? ' (uncommitted changes)' : ''}.`,
    `${record.quick ? 'Quick run: one round' : `${record.rounds} rounds`} of ${record.seconds} s after ${record.warmupSeconds} s warm-up per measurement; every server a separate process, started one at a time.`,
    ...(record.baselineBuild === undefined ? [] : [`Previous build (rows \`sb-base\`): commit ${record.baselineBuild.commit.slice(0, 10)}, ${record.baselineBuild.cli}.`]),
    '',
  ];
  for (const b of record.benchmarks) out.push(...benchmarkSection(b, record.rounds));
  for (const f of record.failures) out.push(`**${f.name} failed:** ${f.error}`, '');
  return out.join('\n');
}
