// The SVG chart of a run's ratios (bench/results/latest.svg): one panel per benchmark, a bar per
// server and case, a line for min–max, a dashed line at 1 (the baseline). Vega-Lite compiled to
// Vega and rendered headless with View.toSVG(): no browser, no canvas.
// Drawn to be read, not decoded: rows and cases by their human names (display-names.ts), a key
// beside each panel with no label cut short, no text under 11 px, each value label past the end of
// its min–max line, the x range widened so that those labels stay inside the panel, and on a
// logarithmic axis only powers of ten as ticks so that their labels never collide.
import { readFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { View, parse } from 'vega';
import { compile, type TopLevelSpec } from 'vega-lite';
import type { Field } from 'vega-lite/types_unstable/channeldef.js';
import type { LayerSpec } from 'vega-lite/types_unstable/spec/layer.js';
import type { BenchmarkResult } from './benchmark.js';
import { caseName, serverName } from './display-names.js';
import type { RunRecord } from './results.js';

/** The smallest text in the chart, in px (axis labels, value labels). */
export const MIN_FONT_PX = 11;
/** The plot area's width in px; the labels and the key come beside it. */
const PLOT_WIDTH = 480;
/** Height of one bar's band in px: room for an 11 px value label without touching the next bar. */
const BAR_STEP = 15;
/** Room for the longest case label ("PING (multibulk), pipeline 16") at 12 px, in px. */
const CASE_LABELS_WIDTH = 200;
/** Above this ratio the axis is logarithmic (symlog, so that 0 still has a place). */
const LOG_ABOVE = 20;

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
    c.rows.flatMap((r) =>
      r.ratio === undefined ? [] : [{ case: caseName(c.id), server: serverName(r.name), ratio: r.ratio.median, lo: r.ratio.min, hi: r.ratio.max, label: r.ratio.median.toFixed(2) }],
    ),
  );
}

/** The x axis: linear to a little past the longest line, or symlog with ticks at 0 and powers of ten. */
function xScale(maxRatio: number): { scale: object; axis: object } {
  if (maxRatio <= LOG_ABOVE) return { scale: { domain: [0, maxRatio * 1.18], nice: false }, axis: { tickCount: 8 } };
  const top = Math.ceil(Math.log10(maxRatio * 4));
  const powers = Array.from({ length: top + 1 }, (_, i) => 10 ** i);
  return { scale: { type: 'symlog', domain: [0, 10 ** top], nice: false }, axis: { values: [0, ...powers], format: ',d' } };
}

function panel(b: BenchmarkResult, values: Bar[]): LayerSpec<Field> {
  const first = b.cases[0];
  const higher = first?.higherIsBetter ?? true;
  const servers = [...new Set(values.map((v) => v.server))];
  const cases = [...new Set(values.map((v) => v.case))];
  const { scale, axis } = xScale(Math.max(...values.map((v) => v.hi), 1));
  const x = { field: 'ratio', type: 'quantitative', scale, axis, title: `ratio to the baseline (${higher ? 'higher' : 'lower'} is better)` } as const;
  // One width for every panel's case labels, so that the plots line up one under another.
  const y = { field: 'case', type: 'nominal', sort: cases, title: null, axis: { labelLimit: 0, labelPadding: 6, minExtent: CASE_LABELS_WIDTH, maxExtent: CASE_LABELS_WIDTH } } as const;
  const yOffset = { field: 'server', type: 'nominal', sort: servers } as const;
  const color = { field: 'server', type: 'nominal', sort: servers, legend: { title: null, orient: 'right', labelLimit: 0 } } as const;
  return {
    title: { text: `${b.name}: ${b.title}`, subtitle: `1 = ${first?.baseline ?? 'baseline'}`, anchor: 'start', frame: 'group' },
    width: PLOT_WIDTH,
    height: { step: BAR_STEP, for: 'offset' },
    layer: [
      { data: { values }, mark: 'bar', encoding: { x, y, yOffset, color } },
      { data: { values }, mark: { type: 'rule', color: '#333' }, encoding: { x: { field: 'lo', type: 'quantitative' }, x2: { field: 'hi' }, y, yOffset } },
      {
        data: { values },
        mark: { type: 'text', align: 'left', baseline: 'middle', dx: 5, fontSize: MIN_FONT_PX },
        encoding: { x: { field: 'hi', type: 'quantitative' }, y, yOffset, text: { field: 'label' } },
      },
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
  const how = record.quick ? 'one round' : `median of ${record.rounds} rounds`;
  const spec: TopLevelSpec = {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title: {
      text: 'switchboard: ratios to baselines measured in the same run',
      subtitle: [`${record.startedAt.slice(0, 10)} · ${m.cpuModel} × ${m.cores} · Node ${m.node} · ${record.command}`, `bar: ${how}; black line: lowest to highest round; dashed line: 1, the baseline`],
      anchor: 'start',
    },
    vconcat: panels,
    spacing: 28,
    resolve: { scale: { color: 'independent', x: 'independent', y: 'independent', yOffset: 'independent' }, legend: { color: 'independent' } },
    config: {
      font: 'sans-serif',
      background: 'white',
      padding: 12,
      title: { fontSize: 16, subtitleFontSize: 12 },
      axis: { labelFontSize: 12, titleFontSize: 12 },
      legend: { labelFontSize: 12, symbolSize: 120 },
    },
  };
  const vega = compile(spec).spec;
  const view = new View(parse(vega), { renderer: 'none' });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}

// As a command, to redraw a run: node dist/bench/lib/chart.js bench/results/latest.json > bench/results/latest.svg
if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  for (const file of process.argv.slice(2)) {
    // A results file this harness wrote: its shape is RunRecord.
    const record = JSON.parse(readFileSync(file, 'utf8')) as RunRecord;
    process.stdout.write((await renderChart(record)) ?? '');
  }
}
