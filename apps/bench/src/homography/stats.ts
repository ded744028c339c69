/** Median of a list (NaN-free input); 0 for an empty list so tables never show NaN. */
export function median(values: readonly number[]): number {
  if (values.length === 0) return 0;
  const s = [...values].sort((x, y) => x - y);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

/** Arithmetic mean; 0 for an empty list. */
export function mean(values: readonly number[]): number {
  return values.length === 0 ? 0 : values.reduce((x, y) => x + y, 0) / values.length;
}

/** Wall time of `run` in ms: median of `repeat` runs, so one preempted run cannot skew it. */
export function timeMedian<T>(repeat: number, run: () => T): { ms: number; result: T } {
  const times: number[] = [];
  let t = performance.now();
  const result = run();
  times.push(performance.now() - t);
  for (let r = 1; r < repeat; r++) {
    t = performance.now();
    run();
    times.push(performance.now() - t);
  }
  return { ms: median(times), result };
}
