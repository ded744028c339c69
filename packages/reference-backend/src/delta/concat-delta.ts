import { DeltaBuffer, ShapeError, UnsupportedOpError } from '@motiondelta/core';
import type { Tensor } from '@motiondelta/core';
import { DELTA_NODE, describe, expectOutShape } from './delta-inputs.js';

const OP = 'Concat';

/**
 * Channel concatenation of deltas: the output mask is the union of the input masks, and at a
 * pixel where one input is inactive its channels did not change, so they are 0 (which
 * `activate` already wrote). A constant input never changes and contributes only zeros.
 * Only the channel axis is supported: concatenating along H or W would shift pixel indices,
 * which no delta-mode graph needs.
 */
export function concatDelta(
  attrs: { readonly axis: number },
  inputs: readonly (DeltaBuffer | Tensor | undefined)[],
  out: DeltaBuffer,
): void {
  if (attrs.axis !== 3 && attrs.axis !== -1) {
    throw new UnsupportedOpError(
      OP,
      DELTA_NODE,
      `delta concatenation supports the channel axis only (3 or -1 on NHWC), got axis ${attrs.axis}`,
    );
  }
  if (inputs.length === 0) throw new ShapeError(`${OP}: needs at least one input.`);
  const [batch, h, w] = out.shape;
  let channels = 0;
  inputs.forEach((t, i) => {
    if (t === undefined) throw new ShapeError(`${OP}: input ${i} is missing; every input of a concatenation is required.`);
    const s = t.shape;
    if (s.length !== 4 || s[0] !== batch || s[1] !== h || s[2] !== w) {
      throw new ShapeError(
        `${OP}: input ${i} (${describe(t)}) does not match the output's [${batch},${h},${w},*] outside the channel axis.`,
      );
    }
    channels += s[3]!;
  });
  expectOutShape(OP, out, [batch, h, w, channels]);

  out.clear();
  const oc = out.channels;
  const ov = out.values;
  let offset = 0;
  for (const t of inputs) {
    if (t instanceof DeltaBuffer) {
      const c = t.channels;
      const xv = t.values;
      for (let i = 0; i < t.count; i++) {
        const p = t.active[i]!;
        out.activate(p);
        const xBase = p * c;
        const oBase = p * oc + offset;
        for (let ch = 0; ch < c; ch++) ov[oBase + ch] = xv[xBase + ch]!;
      }
    }
    // Validated above: every input is present and 4-D.
    offset += t?.shape[3] ?? 0;
  }
}
