import { PAD_CONSTANT, ShapeError, UnsupportedOpError, padAxisMap } from '@motiondelta/core';
import type { DeltaBuffer, PadAttrs, Tensor } from '@motiondelta/core';
import { DELTA_NODE, expectOutShape, requireDelta } from './delta-inputs.js';

const OP = 'Pad';

/** For each input index, the output indices that copy it, as offsets into one list (CSR). */
interface InverseMap {
  readonly start: Int32Array;
  readonly outputs: Int32Array;
}

/**
 * Pad of a delta on the H and W axes of an NHWC tensor. Every output element copies one input
 * element or holds the pad constant; a constant does not change, so it contributes a zero delta
 * and those outputs never become active. Each active input pixel is copied to every output that
 * maps to it: one for constant mode (a shifted copy), possibly several for reflect and edge.
 * The index tables are the dense kernel's, so crops (negative pads) follow it too.
 */
export function padDelta(attrs: PadAttrs, inputs: readonly (DeltaBuffer | Tensor | undefined)[], out: DeltaBuffer): void {
  const x = requireDelta(OP, inputs, 0, 'x');
  const pads = attrs.pads;
  if (pads.length !== 8 || pads.some((p) => !Number.isInteger(p))) {
    throw new ShapeError(`${OP}: pads [${pads.join(',')}] must be 8 integers ([begin N,H,W,C, end N,H,W,C]) for a 4-D NHWC delta.`);
  }
  if (pads[0] !== 0 || pads[3] !== 0 || pads[4] !== 0 || pads[7] !== 0) {
    throw new UnsupportedOpError(
      OP,
      DELTA_NODE,
      `delta padding supports pads on H and W only, got [${pads.join(',')}]; batch and channel pads must be 0`,
    );
  }
  const [batch, inH, inW, c] = x.shape;
  const [, top, left, , , bottom, right] = pads as [number, number, number, number, number, number, number, number];
  const outH = inH + top + bottom;
  const outW = inW + left + right;
  if (outH < 0 || outW < 0) throw new ShapeError(`${OP}: pads [${pads.join(',')}] crop more than the ${inH}x${inW} input holds.`);
  expectOutShape(OP, out, [batch, outH, outW, c]);
  const rows = invert(padAxisMap(OP, inH, top, bottom, outH, attrs.mode), inH);
  const cols = invert(padAxisMap(OP, inW, left, right, outW, attrs.mode), inW);

  out.clear();
  const xv = x.values;
  const ov = out.values;
  const inPlane = inH * inW;
  for (let i = 0; i < x.count; i++) {
    const p = x.active[i]!;
    const n = Math.floor(p / inPlane);
    const rest = p - n * inPlane;
    const iy = Math.floor(rest / inW);
    const ix = rest - iy * inW;
    const xBase = p * c;
    for (let r = rows.start[iy]!; r < rows.start[iy + 1]!; r++) {
      const rowBase = (n * outH + rows.outputs[r]!) * outW;
      for (let k = cols.start[ix]!; k < cols.start[ix + 1]!; k++) {
        const q = rowBase + cols.outputs[k]!;
        out.activate(q);
        const oBase = q * c;
        for (let ch = 0; ch < c; ch++) ov[oBase + ch] = xv[xBase + ch]!;
      }
    }
  }
}

/** Inverts an output -> input table; O(in + out) per call, never O(in * out). */
function invert(map: Int32Array, inSize: number): InverseMap {
  const start = new Int32Array(inSize + 1);
  for (const src of map) if (src !== PAD_CONSTANT) start[src + 1]!++;
  for (let i = 0; i < inSize; i++) start[i + 1]! += start[i]!;
  const outputs = new Int32Array(start[inSize]!);
  const fill = start.slice(0, inSize);
  for (let o = 0; o < map.length; o++) {
    const src = map[o]!;
    if (src !== PAD_CONSTANT) outputs[fill[src]!++] = o;
  }
  return { start, outputs };
}
