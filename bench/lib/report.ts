/** One measured figure. `bench`, `metric` and `value` are always present; qualifiers (db, kind, rules…) may follow. */
export interface BenchFigure {
  bench: string;
  metric: string;
  value: number;
  [qualifier: string]: string | number | boolean;
}

/** Prints one machine-readable JSON line per figure on stdout; human commentary goes to stderr. */
export function report(figure: BenchFigure): void {
  process.stdout.write(`${JSON.stringify(figure)}\n`);
}

/** Percentile (0–100) of a list of samples, by nearest rank. */
export function percentile(samples: readonly number[], p: number): number {
  if (samples.length === 0) return Number.NaN;
  const sorted = [...samples].sort((a, b) => a - b);
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[rank] as number;
}
