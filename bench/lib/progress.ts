// The progress line on stderr: which case, how far through the run, and an estimate of the time
// left (from the measured pace once steps have finished, from the plan before that).

const clock = (seconds: number): string => {
  const s = Math.max(0, Math.round(seconds));
  return s >= 60 ? `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s` : `${s}s`;
};

export class Progress {
  readonly #total: number;
  readonly #plannedSeconds: number;
  readonly #started = Date.now();
  readonly #write: (line: string) => void;
  #done = 0;

  constructor(totalSteps: number, plannedSeconds: number, write: (line: string) => void = (line) => process.stderr.write(`${line}\n`)) {
    this.#total = Math.max(1, totalSteps);
    this.#plannedSeconds = plannedSeconds;
    this.#write = write;
  }

  /** Announces the next measurement. */
  step(label: string): void {
    const elapsed = (Date.now() - this.#started) / 1000;
    const perStep = this.#done > 0 ? elapsed / this.#done : this.#plannedSeconds / this.#total;
    const left = perStep * (this.#total - this.#done);
    const n = Math.min(this.#done + 1, this.#total);
    this.#write(`[${String(n).padStart(String(this.#total).length)}/${this.#total}] ${label} · ${clock(elapsed)} elapsed, ~${clock(left)} left`);
    this.#done = n;
  }

  note(line: string): void {
    this.#write(`  ${line}`);
  }
}
