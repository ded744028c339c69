/** Where one matrix operand lives inside a flat array: offset plus row and column strides. */
export interface MatrixView {
  readonly data: Float32Array;
  readonly offset: number;
  readonly rowStride: number;
  readonly colStride: number;
}

/**
 * `out[i, j] = alpha * sum_k a[i, k] * b[k, j]` for an M x K by K x N product, written row-major
 * at `outOffset`. Strided views cover transposed operands without copying; each output row is
 * accumulated in the float64 scratch `acc` (length >= N) so the oracle rounds once per value.
 */
export function multiplyMatrices(
  a: MatrixView,
  b: MatrixView,
  m: number,
  k: number,
  n: number,
  alpha: number,
  out: Float32Array,
  outOffset: number,
  acc: Float64Array,
): void {
  const ad = a.data;
  const bd = b.data;
  for (let i = 0; i < m; i++) {
    acc.fill(0, 0, n);
    const aRow = a.offset + i * a.rowStride;
    for (let p = 0; p < k; p++) {
      const av = ad[aRow + p * a.colStride]!;
      const bRow = b.offset + p * b.rowStride;
      const bStep = b.colStride;
      for (let j = 0; j < n; j++) acc[j]! += av * bd[bRow + j * bStep]!;
    }
    const o = outOffset + i * n;
    for (let j = 0; j < n; j++) out[o + j] = alpha * acc[j]!;
  }
}
