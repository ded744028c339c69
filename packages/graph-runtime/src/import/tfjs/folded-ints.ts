/**
 * Int32 tensors that a TF graph computes from shapes (`Shape` -> `StridedSlice` -> `Pack` ->
 * `Reshape`, the way Keras spells "keep the batch, flatten the rest") are evaluated at import
 * time, so that the IR only sees constant attributes. The batch (or any dimension the model leaves
 * open) is not known then: such an entry is a {@link RuntimeDim}, which a Reshape can still use
 * when it is the same dimension of its own input.
 */

/**
 * An entry only known at run time. `source` is set while it is still exactly dimension `axis` of
 * IR value `value`; arithmetic on it loses that (`source` undefined).
 */
export interface RuntimeDim {
  readonly runtime: true;
  readonly source?: { readonly value: string; readonly axis: number };
}

/** A rank-0 or rank-1 int32 tensor known at import time, entries possibly only known at run time. */
export interface FoldedInts {
  readonly shape: readonly number[];
  readonly data: readonly (number | RuntimeDim)[];
}

export function isRuntimeDim(x: number | RuntimeDim): x is RuntimeDim {
  return typeof x === 'object';
}

const UNKNOWN: RuntimeDim = { runtime: true };

/** TF integer arithmetic ops folded at import time; FloorDiv and FloorMod round towards -inf. */
export const INT_ARITHMETIC: Readonly<Record<string, (a: number, b: number) => number>> = {
  Add: (a, b) => a + b,
  AddV2: (a, b) => a + b,
  Sub: (a, b) => a - b,
  Mul: (a, b) => Math.imul(a, b),
  FloorDiv: (a, b) => Math.floor(a / b),
  FloorMod: (a, b) => a - Math.floor(a / b) * b,
  Maximum: (a, b) => Math.max(a, b),
  Minimum: (a, b) => Math.min(a, b),
};

/**
 * Applies `op` elementwise with broadcasting of a scalar (or single-element) operand, the only
 * broadcasting shape arithmetic needs. Returns undefined for other shapes, and when a division by
 * zero would fail at run time.
 */
export function foldArithmetic(op: (a: number, b: number) => number, a: FoldedInts, b: FoldedInts): FoldedInts | undefined {
  const n = Math.max(a.data.length, b.data.length);
  if ((a.data.length !== n && a.data.length !== 1) || (b.data.length !== n && b.data.length !== 1)) return undefined;
  const shape = a.data.length === n ? a.shape : b.shape;
  const data: (number | RuntimeDim)[] = [];
  for (let i = 0; i < n; i++) {
    const x = a.data[a.data.length === 1 ? 0 : i]!;
    const y = b.data[b.data.length === 1 ? 0 : i]!;
    if (isRuntimeDim(x) || isRuntimeDim(y)) {
      data.push(UNKNOWN);
      continue;
    }
    const r = op(x, y);
    if (!Number.isFinite(r)) return undefined;
    data.push(r | 0);
  }
  return { shape, data };
}

/** The masks of a TF StridedSlice, as integer bit sets over the slice's dimensions. */
export interface StridedSliceMasks {
  readonly begin: number;
  readonly end: number;
  readonly shrink: number;
}

/**
 * TF StridedSlice on a rank-1 tensor (one begin, end and stride; no ellipsis or new axes): the
 * selected entries, or a scalar when the shrink bit is set. Returns a message when the slice is
 * out of range or malformed.
 */
export function stridedSlice1d(x: FoldedInts, begin: number, end: number, stride: number, masks: StridedSliceMasks): FoldedInts | string {
  const n = x.data.length;
  if (stride === 0) return 'a stride of 0';
  const norm = (i: number) => (i < 0 ? i + n : i);
  if (masks.shrink & 1) {
    const i = norm(begin);
    if (i < 0 || i >= n) return `index ${begin} outside a vector of ${n}`;
    return { shape: [], data: [x.data[i]!] };
  }
  const clamp = (i: number, lo: number, hi: number) => Math.min(Math.max(i, lo), hi);
  let start: number;
  let stop: number;
  if (stride > 0) {
    start = masks.begin & 1 ? 0 : clamp(norm(begin), 0, n);
    stop = masks.end & 1 ? n : clamp(norm(end), 0, n);
  } else {
    start = masks.begin & 1 ? n - 1 : clamp(norm(begin), -1, n - 1);
    stop = masks.end & 1 ? -1 : clamp(norm(end), -1, n - 1);
  }
  const data: (number | RuntimeDim)[] = [];
  for (let i = start; stride > 0 ? i < stop : i > stop; i += stride) data.push(x.data[i]!);
  return { shape: [data.length], data };
}
