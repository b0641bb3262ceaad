// Where a run's files go. Every run writes its record, its tables and its chart to
// bench/results/runs/ (git ignores it), so a quick or partial run never touches the committed
// results; bench/results/latest.{json,md,svg} change only when a full run is asked to --publish.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { type RunRecord, stamp } from './results.js';

/** What one run produced, as text. */
export interface RunFiles {
  readonly record: RunRecord;
  /** The Markdown tables (table.ts). */
  readonly markdown: string;
  /** The chart (chart.ts); undefined when no case produced a ratio or it could not be drawn. */
  readonly svg: string | undefined;
}

/** The files saveRun() wrote. */
export interface SavedRun {
  readonly run: readonly string[];
  readonly published: readonly string[];
}

/**
 * Writes `files` to `resultsDir`/runs/<timestamp>.{json,md,svg}, and, when `publish`, also to
 * `resultsDir`/latest.{json,md,svg} (the committed results: run.ts allows it for a full run only).
 */
export function saveRun(files: RunFiles, resultsDir: string, publish: boolean): SavedRun {
  const contents: [string, string][] = [
    ['json', `${JSON.stringify(files.record, null, 2)}\n`],
    ['md', `${files.markdown}\n`],
  ];
  if (files.svg !== undefined) contents.push(['svg', files.svg]);
  const write = (dir: string, base: string): string[] => {
    mkdirSync(dir, { recursive: true });
    return contents.map(([ext, text]) => {
      const path = join(dir, `${base}.${ext}`);
      writeFileSync(path, text);
      return path;
    });
  };
  const run = write(join(resultsDir, 'runs'), stamp(new Date(files.record.startedAt)));
  return { run, published: publish ? write(resultsDir, 'latest') : [] };
}
