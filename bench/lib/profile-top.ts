// The top self-time functions of a V8 .cpuprofile (what `node --cpu-prof` writes), each with the
// nearest switchboard frame that called it when it is native or Node's own (so `writeBuffer` points
// at the send that asked for it). Also a command: node dist/bench/lib/profile-top.js FILE...
import { readFileSync } from 'node:fs';
import { basename, relative } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { field, numberField } from './json-fields.js';
import { ROOT } from './paths.js';

export interface HotSpot {
  readonly fn: string;
  /** Source file (a compiled file shown by its TypeScript source's name; the line is the compiled file's) or a Node internal. */
  readonly where: string;
  /** The nearest caller in src/, when `where` is not in src/ itself. */
  readonly via?: string;
  readonly selfMs: number;
  /** Share of the non-idle samples. */
  readonly share: number;
}

export interface ProfileSummary {
  readonly file: string;
  readonly totalMs: number;
  readonly top: readonly HotSpot[];
}

interface Frame {
  readonly fn: string;
  readonly where: string;
  readonly parent: number | undefined;
}

function where(url: string, line: number): string {
  if (!url.startsWith('file://')) return url === '' ? '(native)' : `${url}:${line + 1}`;
  const path = relative(ROOT, fileURLToPath(url));
  const source = path.startsWith('dist/') ? path.slice('dist/'.length).replace(/\.js$/, '.ts') : path;
  return `${source}:${line + 1}`;
}

function frames(nodes: readonly unknown[]): Map<number, Frame> {
  const parentOf = new Map<number, number>();
  for (const node of nodes) {
    const id = numberField(node, 'id');
    const children = field(node, 'children');
    if (id === undefined || !Array.isArray(children)) continue;
    for (const child of children) if (typeof child === 'number') parentOf.set(child, id);
  }
  const out = new Map<number, Frame>();
  for (const node of nodes) {
    const id = numberField(node, 'id');
    const frame = field(node, 'callFrame');
    const fn = field(frame, 'functionName');
    const url = field(frame, 'url');
    if (id === undefined) continue;
    const name = typeof fn === 'string' && fn !== '' ? fn : '(anonymous)';
    out.set(id, { fn: name, where: where(typeof url === 'string' ? url : '', numberField(frame, 'lineNumber') ?? 0), parent: parentOf.get(id) });
  }
  return out;
}

function nearestSource(all: ReadonlyMap<number, Frame>, frame: Frame): string | undefined {
  if (frame.where.startsWith('src/')) return undefined;
  for (let up = frame.parent, hops = 0; up !== undefined && hops < 64; hops++) {
    const f = all.get(up);
    if (f === undefined) return undefined;
    if (f.where.startsWith('src/')) return `${f.fn} ${f.where}`;
    up = f.parent;
  }
  return undefined;
}

export function summarizeProfile(file: string, limit = 15): ProfileSummary {
  const profile: unknown = JSON.parse(readFileSync(file, 'utf8'));
  const nodes = field(profile, 'nodes');
  const samples = field(profile, 'samples');
  const deltas = field(profile, 'timeDeltas');
  if (!Array.isArray(nodes) || !Array.isArray(samples) || !Array.isArray(deltas)) throw new Error(`${file}: not a .cpuprofile`);
  const all = frames(nodes);
  const self = new Map<string, { fn: string; where: string; via: string | undefined; us: number }>();
  let total = 0;
  samples.forEach((id: unknown, i) => {
    const frame = typeof id === 'number' ? all.get(id) : undefined;
    const delta = deltas[i];
    if (frame === undefined || typeof delta !== 'number' || frame.fn === '(idle)' || frame.fn === '(root)') return;
    total += delta;
    const via = nearestSource(all, frame);
    const name = `${frame.fn} ${frame.where} ${via ?? ''}`;
    const seen = self.get(name);
    self.set(name, { fn: frame.fn, where: frame.where, via, us: (seen?.us ?? 0) + delta });
  });
  const top = [...self.values()]
    .sort((a, b) => b.us - a.us)
    .slice(0, limit)
    .map((h): HotSpot => ({ fn: h.fn, where: h.where, ...(h.via === undefined ? {} : { via: h.via }), selfMs: h.us / 1000, share: total > 0 ? h.us / total : 0 }));
  return { file: basename(file), totalMs: total / 1000, top };
}

export function formatProfile(summary: ProfileSummary): string[] {
  return [
    `${summary.file}: ${(summary.totalMs / 1000).toFixed(2)} s busy`,
    ...summary.top.map((h) => `  ${(h.share * 100).toFixed(1).padStart(5)}%  ${h.selfMs.toFixed(0).padStart(6)} ms  ${h.fn}  ${h.where}${h.via === undefined ? '' : `  <- ${h.via}`}`),
  ];
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  for (const file of process.argv.slice(2)) process.stdout.write(`${formatProfile(summarizeProfile(file)).join('\n')}\n`);
}
