import { broadcastShapes, broadcastStrides } from './broadcast.js';
import { ShapeError } from './errors.js';
import type { GemmAttrs } from './ops.js';
import { formatShape, type Shape } from './tensor.js';

/** The checked shapes of a numpy `matmul`. */
export interface MatMulGeometry {
  readonly m: number;
  readonly k: number;
  readonly n: number;
  /** Leading (batch) axes of each operand, and their broadcast. */
  readonly aBatch: readonly number[];
  readonly bBatch: readonly number[];
  readonly batchShape: readonly number[];
  readonly outShape: readonly number[];
}

/**
 * numpy `matmul` shapes: the last two axes are matrices, the leading axes broadcast as batch
 * axes; a 1-D left operand is a row vector and a 1-D right operand a column vector, and the axis
 * they add is dropped from the result. The one set of checks every backend's MatMul runs.
 *
 * @example
 * ```ts
 * matMulGeometry('MatMul', [2, 3, 4], [4, 5]).outShape; // [2, 3, 5]
 * ```
 */
export function matMulGeometry(op: string, aShape: Shape, bShape: Shape): MatMulGeometry {
  if (aShape.length === 0 || bShape.length === 0) {
    throw new ShapeError(`${op}: operands ${formatShape(aShape)} and ${formatShape(bShape)} must have rank >= 1.`);
  }
  const [m, k] = (aShape.length === 1 ? [1, aShape[0]!] : aShape.slice(-2)) as [number, number];
  const [kb, n] = (bShape.length === 1 ? [bShape[0]!, 1] : bShape.slice(-2)) as [number, number];
  if (k !== kb) {
    throw new ShapeError(
      `${op}: inner dimensions differ: A ${formatShape(aShape)} has ${k} columns, B ${formatShape(bShape)} has ${kb} rows.`,
    );
  }
  const aBatch = aShape.slice(0, -2);
  const bBatch = bShape.slice(0, -2);
  const batchShape = broadcastShapes(op, aBatch, bBatch);
  const outShape = [...batchShape];
  if (aShape.length > 1) outShape.push(m);
  if (bShape.length > 1) outShape.push(n);
  return { m, k, n, aBatch, bBatch, batchShape, outShape };
}

/**
 * Where each batch's matrices start in A and B (element offsets), batch axes broadcast numpy
 * style: batch `t` of the output (row-major over `batchShape`) multiplies A at `a[t]` by B at
 * `b[t]`. The one definition every backend's MatMul indexes its operands with.
 *
 * @example
 * ```ts
 * matMulBatchOffsets(matMulGeometry('MatMul', [2, 3, 4], [4, 5])); // { a: [0, 12], b: [0, 0] }
 * ```
 */
export function matMulBatchOffsets(g: MatMulGeometry): { readonly a: Int32Array; readonly b: Int32Array } {
  const { m, k, n, batchShape } = g;
  const batches = batchShape.reduce((p, d) => p * d, 1);
  const aStrides = broadcastStrides(g.aBatch, batchShape);
  const bStrides = broadcastStrides(g.bBatch, batchShape);
  const a = new Int32Array(batches);
  const b = new Int32Array(batches);
  for (let batch = 0; batch < batches; batch++) {
    let ai = 0;
    let bi = 0;
    for (let d = batchShape.length - 1, rest = batch; d >= 0; d--) {
      const size = batchShape[d]!;
      const i = rest % size;
      rest = (rest - i) / size;
      ai += i * aStrides[d]!;
      bi += i * bStrides[d]!;
    }
    a[batch] = ai * m * k;
    b[batch] = bi * k * n;
  }
  return { a, b };
}

/** The checked shapes of an ONNX Gemm: A' is [m, k], B' is [k, n]; `a1`/`b1` are the stored row lengths. */
export interface GemmGeometry {
  readonly m: number;
  readonly k: number;
  readonly n: number;
  readonly a1: number;
  readonly b1: number;
}

/**
 * ONNX Gemm shapes, `Y = alpha * A' * B' + beta * C` with A' = transA ? A^T : A (same for B): both
 * operands are matrices and the inner dimensions agree. The one set of checks every backend's Gemm
 * runs.
 *
 * @example
 * ```ts
 * gemmGeometry('Gemm', { alpha: 1, beta: 1, transA: false, transB: true }, [2, 3], [4, 3]); // m 2, k 3, n 4
 * ```
 */
export function gemmGeometry(op: string, attrs: GemmAttrs, aShape: Shape, bShape: Shape): GemmGeometry {
  if (aShape.length !== 2) throw new ShapeError(`${op}: A has shape ${formatShape(aShape)}; expected rank 2 (a matrix).`);
  if (bShape.length !== 2) throw new ShapeError(`${op}: B has shape ${formatShape(bShape)}; expected rank 2 (a matrix).`);
  const [a0, a1] = aShape as [number, number];
  const [b0, b1] = bShape as [number, number];
  const [m, k] = attrs.transA ? [a1, a0] : [a0, a1];
  const [kb, n] = attrs.transB ? [b1, b0] : [b0, b1];
  if (k !== kb) {
    throw new ShapeError(
      `${op}: inner dimensions differ: A' has ${k} columns (A ${formatShape(aShape)}, transA=${attrs.transA}), B' has ${kb} rows (B ${formatShape(bShape)}, transB=${attrs.transB}).`,
    );
  }
  return { m, k, n, a1, b1 };
}
