/** Grid positions within rounding of an integer are that integer, so aligned grids compare exactly. */
export function snap(t: number): number {
  const r = Math.round(t);
  return Math.abs(t - r) < 1e-6 ? r : t;
}

/**
 * Samples an NHWC grid (`h` x `w` pixels of `c` channels) bilinearly at (`v`, `u`), clamped to
 * the grid (positions within 1e-6 of a grid point take that point exactly, with no arithmetic),
 * writing the `c` channels to `out` from `outBase`.
 */
export function sampleBilinear(
  data: Float32Array,
  h: number,
  w: number,
  c: number,
  v: number,
  u: number,
  out: Float32Array,
  outBase: number,
): void {
  const uu = snap(Math.min(Math.max(u, 0), w - 1));
  const vv = snap(Math.min(Math.max(v, 0), h - 1));
  const u0 = Math.floor(uu);
  const v0 = Math.floor(vv);
  const u1 = Math.min(u0 + 1, w - 1);
  const v1 = Math.min(v0 + 1, h - 1);
  const au = uu - u0;
  const av = vv - v0;
  for (let ch = 0; ch < c; ch++) {
    const d00 = data[(v0 * w + u0) * c + ch]!;
    const d01 = data[(v0 * w + u1) * c + ch]!;
    const d10 = data[(v1 * w + u0) * c + ch]!;
    const d11 = data[(v1 * w + u1) * c + ch]!;
    const top = au === 0 ? d00 : d00 + au * (d01 - d00);
    const bottom = au === 0 ? d10 : d10 + au * (d11 - d10);
    out[outBase + ch] = av === 0 ? top : top + av * (bottom - top);
  }
}
