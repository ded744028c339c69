/**
 * Number formats shared by the Markdown and console tables, so both read the same. Three
 * significant digits: timing noise on these machines is larger than that anyway.
 */

/** Frames per second: 3 significant digits, never in exponent form. */
export function formatFps(fps: number): string {
  if (fps >= 100) return fps.toFixed(0);
  if (fps >= 0.001) return Number(fps.toPrecision(3)).toString();
  return fps.toExponential(2);
}

/** A speedup as `0.021x`; `n/a` when there is none. */
export function formatSpeedup(speedup: number | null): string {
  if (speedup === null || !Number.isFinite(speedup)) return 'n/a';
  return `${speedup >= 100 ? speedup.toFixed(0) : Number(speedup.toPrecision(3)).toString()}x`;
}

/** Multiply-accumulates in G (10^9), 3 significant digits. */
export function formatGmac(macs: number): string {
  return `${Number((macs / 1e9).toPrecision(3))} G`;
}

/** An error figure: 0 stays 0, others in exponent form (they span many decades). */
export function formatError(value: number): string {
  return value === 0 ? '0' : value.toExponential(1);
}

/** PSNR in dB with one decimal; `inf` for identical outputs. */
export function formatPsnr(psnrDb: number | null): string {
  return psnrDb === null ? 'inf' : psnrDb.toFixed(1);
}

/** `[1, H, W, 3]` as `HxW`. */
export function formatInputSize(shape: readonly number[]): string {
  return shape.length === 4 ? `${shape[1]}x${shape[2]}` : shape.join('x');
}
