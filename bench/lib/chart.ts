// The SVG chart of a run's ratios (bench/results/latest.svg): one panel per benchmark, a bar per
// server and case, whiskers for min–max, a dashed line at 1 (the baseline). Vega-Lite compiled to
// Vega and rendered headless with View.toSVG(): no browser, no canvas.
import { readFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { View, parse } from 'vega';
import { compile, type TopLevelSpec } from 'vega-lite';
import type { Field } from 'vega-lite/types_unstable/channeldef.js';
import type { LayerSpec } from 'vega-lite/types_unstable/spec/layer.js';
import type { BenchmarkResult } from './benchmark.js';
import type { RunRecord } from './results.js';

interface Bar {
  readonly case: string;
  readonly server: string;
  readonly ratio: number;
  readonly lo: number;
  readonly hi: number;
  readonly label: string;
}

function bars(b: BenchmarkResult): Bar[] {
  return b.cases.flatMap((c) =>
    c.rows.flatMap((r) => (r.ratio === undefined ? [] : [{ case: c.id, server: r.name, ratio: r.ratio.median, lo: r.ratio.min, hi: r.ratio.max, label: r.ratio.median.toFixed(2) }])),
  );
}

function panel(b: BenchmarkResult, values: Bar[]): LayerSpec<Field> {
  const first = b.cases[0];
  const higher = first?.higherIsBetter ?? true;
  const servers = [...new Set(values.map((v) => v.server))];
  const cases = [...new Set(values.map((v) => v.case))];
  const maxRatio = Math.max(...values.map((v) => v.hi), 1);
  const x = { field: 'ratio', type: 'quantitative', title: `ratio (${higher ? 'higher' : 'lower'} is better)`, ...(maxRatio > 20 ? { scale: { type: 'symlog' as const } } : {}) } as const;
  const y = { field: 'case', type: 'nominal', sort: cases, title: null } as const;
  const yOffset = { field: 'server', type: 'nominal', sort: servers } as const;
  const color = { field: 'server', type: 'nominal', sort: servers, legend: { title: null, orient: 'right' } } as const;
  return {
    title: { text: `${b.name}: ${b.title}`, subtitle: `1 = ${first?.baseline ?? 'baseline'}`, anchor: 'start' },
    width: 520,
    height: { step: 11, for: 'offset' },
    layer: [
      { data: { values }, mark: 'bar', encoding: { x, y, yOffset, color } },
      { data: { values }, mark: { type: 'rule', color: '#333' }, encoding: { x: { field: 'lo', type: 'quantitative' }, x2: { field: 'hi' }, y, yOffset } },
      { data: { values }, mark: { type: 'text', align: 'left', dx: 4, fontSize: 8 }, encoding: { x: { field: 'hi', type: 'quantitative' }, y, yOffset, text: { field: 'label' } } },
      { data: { values: [{ one: 1 }] }, mark: { type: 'rule', strokeDash: [4, 3], color: '#888' }, encoding: { x: { field: 'one', type: 'quantitative' } } },
    ],
  };
}

/** The chart as SVG text; undefined when no case produced a ratio. */
export async function renderChart(record: RunRecord): Promise<string | undefined> {
  const panels = record.benchmarks.flatMap((b) => {
    const values = bars(b);
    return values.length === 0 ? [] : [panel(b, values)];
  });
  if (panels.length === 0) return undefined;
  const m = record.machine;
  const spec: TopLevelSpec = {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title: { text: 'switchboard: ratios to baselines measured in the same run', subtitle: `${record.startedAt.slice(0, 10)} · ${m.cpuModel} × ${m.cores} · Node ${m.node} · ${record.command}` },
    vconcat: panels,
    resolve: { scale: { color: 'independent', x: 'independent', y: 'independent', yOffset: 'independent' } },
    config: { font: 'sans-serif', background: 'white' },
  };
  const vega = compile(spec).spec;
  const view = new View(parse(vega), { renderer: 'none' });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}

// As a command: node dist/bench/lib/chart.js bench/results/<run>.json > chart.svg (re-draws a run).
if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  for (const file of process.argv.slice(2)) {
    // A results file this harness wrote: its shape is RunRecord.
    const record = JSON.parse(readFileSync(file, 'utf8')) as RunRecord;
    process.stdout.write((await renderChart(record)) ?? '');
  }
}
