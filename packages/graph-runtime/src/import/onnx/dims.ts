/**
 * Static dimensions tracked during import, in ONNX (logical NCHW) order; `null` is unknown.
 * The importer needs them only where an ONNX attribute depends on a runtime size
 * (ConvTranspose output_shape, Squeeze without axes, old Softmax); unknown stays unknown.
 */
export type Dims = readonly (number | null)[];

export function unknownDims(rank: number): Dims {
  return new Array<number | null>(rank).fill(null);
}

export function isFullyKnown(dims: Dims): dims is readonly number[] {
  return dims.every((d) => d !== null);
}

/** Numpy broadcasting of known-or-unknown dims; a 1 yields to the other side. */
export function broadcastDims(shapes: readonly Dims[]): Dims {
  const rank = Math.max(0, ...shapes.map((s) => s.length));
  const out: (number | null)[] = [];
  for (let i = 0; i < rank; i++) {
    let dim: number | null = 1;
    for (const s of shapes) {
      const d = s[s.length - rank + i];
      if (d === undefined || d === 1) continue;
      if (d === null) dim = dim === 1 ? null : dim;
      else dim = d;
    }
    out.push(dim);
  }
  return out;
}

/** Output size of a sliding window along one axis with explicit pads. */
export function windowOutput(
  size: number | null,
  kernel: number,
  stride: number,
  dilation: number,
  padBegin: number,
  padEnd: number,
  ceil: boolean,
): number | null {
  if (size === null) return null;
  const span = (kernel - 1) * dilation + 1;
  const steps = (size + padBegin + padEnd - span) / stride;
  let out = (ceil ? Math.ceil(steps) : Math.floor(steps)) + 1;
  // A last window that would start entirely inside the end padding is dropped (ONNX/ORT rule).
  if (ceil && (out - 1) * stride >= size + padBegin) out--;
  return out;
}
