/**
 * The delta kernels' entry points as the native addon exports them (native/src/delta_*.cc).
 *
 * Every entry point runs off the event loop and resolves with the output's new active count; the
 * TypeScript wrapper (native-delta-kernels.ts) stores it in `out.count`. A DeltaBuffer is passed
 * as is: the addon reads its `values`, `mask`, `active`, `count` and `shape` on the JS thread and
 * never writes JS properties. Arguments are validated by the wrapper before the call; the addon
 * re-checks only what would let it index out of bounds.
 */
export interface NativeDeltaView {
  readonly shape: readonly [number, number, number, number];
  readonly values: Float32Array;
  readonly mask: Uint8Array;
  readonly active: Int32Array;
  readonly count: number;
}

/** Weights re-laid out for the input-driven sparse convolution, owned by the addon (freed by GC). */
export type PackedConvWeights = object & { readonly __packedConv?: never };

export interface NativeDeltaAddon {
  deltaSparsify(x: Float32Array, reference: Float32Array, threshold: number, out: NativeDeltaView): Promise<number>;
  deltaAccumulate(delta: NativeDeltaView, target: Float32Array): Promise<number>;
  /** `kind`: see ACTIVATION_CODES; `a`, `b`: the spec's numbers; `slope`: PReLU slopes (else empty). */
  deltaActivation(
    delta: NativeDeltaView,
    kind: number,
    a: number,
    b: number,
    slope: Float32Array,
    accumulated: Float32Array,
    emitted: Float32Array,
    threshold: number,
    out: NativeDeltaView,
  ): Promise<number>;
  /** `dims`: [kh, kw, Cin/groups, Cout, groups, strideH, strideW, dilationH, dilationW]. */
  deltaPackConv2d(weight: Float32Array, dims: Int32Array): Promise<PackedConvWeights>;
  /**
   * `geom`: [kh, kw, strideH, strideW, dilationH, dilationW, padTop, padLeft, groups];
   * `path`: 0 chooses by active fraction, 1 forces input-driven (needs `packed`), 2 output-driven.
   */
  deltaConv2d(
    x: NativeDeltaView,
    weight: Float32Array,
    packed: PackedConvWeights | null,
    geom: Int32Array,
    out: NativeDeltaView,
    path: number,
  ): Promise<number>;
}

/** The remaining delta entry points (see the native files named after each). */
export interface NativeDeltaAddon {
  /** `geom`: [kh, kw, strideH, strideW, dilationH, dilationW, padTop, padLeft, groups]; weight [kh, kw, Cin, Cout/groups]. */
  deltaConvTranspose2d(x: NativeDeltaView, weight: Float32Array, geom: Int32Array, out: NativeDeltaView): Promise<number>;
  /** `geom`: [kh, kw, strideH, strideW, padTop, padLeft, padBottom, padRight, countIncludePad]. */
  deltaAvgPool2d(x: NativeDeltaView, geom: Int32Array, out: NativeDeltaView): Promise<number>;
  deltaMaxPool2d(
    delta: NativeDeltaView,
    geom: Int32Array,
    accumulated: Float32Array,
    emitted: Float32Array,
    threshold: number,
    out: NativeDeltaView,
  ): Promise<number>;
  deltaGlobalAvgPool(x: NativeDeltaView, out: NativeDeltaView): Promise<number>;
  /**
   * `mode` 0: out = sign * x; 1: x * k; 2: x / k (k read with `kStrides` in the output's NHWC
   * frame); 3: x * mul[c] in double (BatchNorm's folded scale).
   */
  deltaScale(
    x: NativeDeltaView,
    out: NativeDeltaView,
    mode: number,
    sign: number,
    k: Float32Array,
    kStrides: Int32Array,
    mul: Float64Array,
  ): Promise<number>;
  /** out = a + signB * b over the union of both masks. */
  deltaAddDeltas(a: NativeDeltaView, b: NativeDeltaView, signB: number, out: NativeDeltaView): Promise<number>;
  /** Channel concatenation of the varying parts, each at its channel offset; constant parts add zeros. */
  deltaConcat(parts: readonly NativeDeltaView[], offsets: Int32Array, out: NativeDeltaView): Promise<number>;
  /** Resize with the dense oracle's tap tables per axis (see resize-taps.ts): lo, hi, weight, input -> output range. */
  deltaResize(
    x: NativeDeltaView,
    rowLo: Int32Array,
    rowHi: Int32Array,
    rowWeight: Float64Array,
    rowRange: Int32Array,
    colLo: Int32Array,
    colHi: Int32Array,
    colWeight: Float64Array,
    colRange: Int32Array,
    out: NativeDeltaView,
  ): Promise<number>;
  /** Pad on H and W with the per-axis tables of pad-maps.ts (map, CSR start, outputs). */
  deltaPad(
    x: NativeDeltaView,
    rowMap: Int32Array,
    rowStart: Int32Array,
    rowOutputs: Int32Array,
    colMap: Int32Array,
    colStart: Int32Array,
    colOutputs: Int32Array,
    out: NativeDeltaView,
  ): Promise<number>;
  /**
   * `op` 0 Add, 1 Sub, 2 Mul, 3 Div. A varying operand passes its DeltaBuffer and its accumulated
   * values as data; a constant passes null and its data. Strides as in deltaScale.
   */
  deltaBinary(
    op: number,
    a: NativeDeltaView | null,
    aData: Float32Array,
    aStrides: Int32Array,
    b: NativeDeltaView | null,
    bData: Float32Array,
    bStrides: Int32Array,
    emitted: Float32Array,
    threshold: number,
    out: NativeDeltaView,
  ): Promise<number>;
}
