import type { DeltaBuffer } from '@motiondelta/core';

/** `out = sign * x` at x's active pixels: Identity, and a sum or difference with a constant. */
export function copyDelta(x: DeltaBuffer, sign: 1 | -1, out: DeltaBuffer): void {
  out.clear();
  const c = x.channels;
  const xv = x.values;
  const ov = out.values;
  for (let i = 0; i < x.count; i++) {
    const p = x.active[i]!;
    out.activate(p);
    const base = p * c;
    if (sign === 1) for (let ch = 0; ch < c; ch++) ov[base + ch] = xv[base + ch]!;
    else for (let ch = 0; ch < c; ch++) ov[base + ch] = -xv[base + ch]!;
  }
}
