/**
 * Chains pair homographies into frame -> world ones (world = the first frame): with `H_k` mapping
 * frame k's pixels to frame k-1's (what `estimateHomography(prev, next)` returns),
 * `W_k = W_{k-1} · H_k`. A pair that could not be aligned (`null`) keeps the previous pose and is
 * counted, so a benchmark never stops on a bad pair; the motion session then sees no motion there
 * and its deltas carry the change.
 *
 * @example
 * ```ts
 * chainHomographies([null, [1, 0, 4, 0, 1, 0, 0, 0, 1]]).homographies[1]; // [1, 0, 4, 0, 1, 0, 0, 0, 1]
 * ```
 */
export function chainHomographies(pairs: readonly (ArrayLike<number> | null)[]): { homographies: number[][]; failures: number } {
  let world = [1, 0, 0, 0, 1, 0, 0, 0, 1];
  const homographies: number[][] = [];
  let failures = 0;
  pairs.forEach((h, k) => {
    if (k > 0) {
      if (h === null) failures++;
      else world = normalize(multiply(world, h));
    }
    homographies.push(world);
  });
  return { homographies, failures };
}

function multiply(a: ArrayLike<number>, b: ArrayLike<number>): number[] {
  const out: number[] = [];
  for (let r = 0; r < 3; r++)
    for (let c = 0; c < 3; c++) out.push(a[r * 3]! * b[c]! + a[r * 3 + 1]! * b[3 + c]! + a[r * 3 + 2]! * b[6 + c]!);
  return out;
}

function normalize(h: readonly number[]): number[] {
  const s = h[8]!;
  return h.map((v) => v / s);
}
