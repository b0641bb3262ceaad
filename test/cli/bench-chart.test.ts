// The benchmark chart is read, not decoded: people's names for servers and cases (no harness ids),
// no text under 11 px, every text inside the view box; and the committed latest.svg is the chart
// of the committed latest.json. (Looked at rendered with rsvg-convert as well: see the commit.)
import test from 'ava';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { MIN_FONT_PX, renderChart } from '../../bench/lib/chart.js';
import { CASE_NAMES, SERVER_NAMES } from '../../bench/lib/display-names.js';
import type { RunRecord } from '../../bench/lib/results.js';
import { extent, svgTexts } from './svg-text.js';

const RESULTS = fileURLToPath(new URL('../../../bench/results/', import.meta.url));
const record = JSON.parse(readFileSync(`${RESULTS}latest.json`, 'utf8')) as RunRecord;
/** An id as the harness writes them: sb-selector, pp1cpu1, ping_inline, n=10 (not a plain word such as "set"). */
const looksLikeId = (name: string): boolean => /^[a-z][a-z0-9]*([-_=][a-z0-9]+)+( P16)?$|^[a-z]+\d+[a-z0-9]*$/.test(name);
const ids = [...Object.entries(SERVER_NAMES), ...Object.entries(CASE_NAMES)].filter(([id, name]) => id !== name && looksLikeId(id)).map(([id]) => id);

test('every harness id in the committed run has a name for people', (t) => {
  t.true(looksLikeId('sb-selector') && looksLikeId('pp1cpu1') && looksLikeId('n=10') && !looksLikeId('LineCodec') && !looksLikeId('set'));
  for (const b of record.benchmarks) {
    for (const c of b.cases) {
      if (looksLikeId(c.id)) t.true(c.id in CASE_NAMES, `case ${b.name}/${c.id}`);
      for (const r of c.rows) if (looksLikeId(r.name)) t.true(r.name in SERVER_NAMES, `row ${b.name}/${r.name}`);
    }
  }
});

test('the committed latest.svg is the chart of the committed latest.json', async (t) => {
  t.is(readFileSync(`${RESULTS}latest.svg`, 'utf8'), (await renderChart(record)) ?? 'no chart');
});

const charts: [string, RunRecord][] = [['the full run', record], ...record.benchmarks.map((b): [string, RunRecord] => [`${b.name} alone`, { ...record, benchmarks: [b] }])];
for (const [name, run] of charts) {
  test(`chart of ${name}: no harness id in its text, no font under ${MIN_FONT_PX} px, every text inside the view box`, async (t) => {
    const svg = await renderChart(run);
    if (svg === undefined) throw new Error('no chart drawn');
    const { width, height, texts } = svgTexts(svg);
    t.true(texts.length > 10, `${texts.length} texts`);
    for (const text of texts) {
      t.true(text.fontSize >= MIN_FONT_PX, `${text.fontSize} px: '${text.text}'`);
      const words = text.text.split(/[\s,;:()]+/);
      for (const id of ids) t.false(words.includes(id), `'${id}' in '${text.text}'`);
      const [left, right] = extent(text);
      t.true(left >= 0 && right <= width, `'${text.text}' spans x ${left.toFixed(0)}..${right.toFixed(0)} of ${width}`);
      t.true(text.y - text.fontSize >= 0 && text.y <= height, `'${text.text}' at y ${text.y} of ${height}`);
    }
  });
}
