import { DENSE_TOLERANCE, STATE_TOLERANCE, statefulOutputTolerance, type Tolerance } from '@motiondelta/backend-conformance';
import {
  DeltaBuffer,
  PAD_CONSTANT,
  broadcastStrides,
  concatGeometry,
  conv2dGeometry,
  convTranspose2dGeometry,
  gemmGeometry,
  matMulBatchOffsets,
  matMulGeometry,
  padAxisMap,
  pool2dGeometry,
  resizeInverseRanges,
  reduceGeometry,
  resizeTaps,
  sliceGeometry,
} from '@motiondelta/core';
import type {
  ActivationSpec,
  ActivationState,
  PadAttrs,
  ResizeAttrs,
  Backend,
  BinaryState,
  DeltaKernels,
  DenseKernelCall,
  LinearDeltaCall,
  MaxPoolState,
  OpCall,
  Pool2DAttrs,
  Tensor,
} from '@motiondelta/core';
import { ReferenceBackend } from '@motiondelta/reference-backend';
import { activationCode } from '../../src/activation-code.js';
import type { CaseArray, CaseRecord } from './case-record.js';

type Nums = Record<string, number[]>;

/** ReduceKind codes of native/include/mdcuda/reduce.h. */
const REDUCE_CODES = { sum: 0, mean: 1, max: 2, min: 3, prod: 4, l1: 5, l2: 6, logSum: 7, logSumExp: 8, sumSquare: 9 } as const;

/** BinaryOp codes of native/include/mdcuda/binary.h. */
const BINARY_CODES = { Add: 0, Sub: 1, Mul: 2, Div: 3, Max: 4, Min: 5 } as const;

/** The resolved geometry numbers of a convolution or transposed convolution. */
function convNums(g: ReturnType<typeof conv2dGeometry>, outShape: readonly number[]): Nums {
  return {
    outShape: [...outShape],
    strides: [g.sh, g.sw],
    dilations: [g.dh, g.dw],
    pads: [g.padTop, g.padLeft, g.padBottom, g.padRight],
    groups: [g.groups],
  };
}

/**
 * A Resize's tap tables from core's resizeTaps / resizeInverseRanges: what a backend computes once
 * per shape on the host and uploads (the case carries them, so the native code has one sampling
 * definition: core's).
 */
function resizeNums(attrs: ResizeAttrs, inShape: readonly number[], outShape: readonly number[]): Nums {
  const [, inH, inW] = inShape as [number, number, number, number];
  const [, outH, outW] = outShape as [number, number, number, number];
  const { rows, cols } = resizeTaps(attrs, inH, inW, outH, outW);
  return {
    rowLo: [...rows.lo],
    rowHi: [...rows.hi],
    rowWeight: [...rows.weight],
    rowInverse: [...resizeInverseRanges(rows, inH)],
    colLo: [...cols.lo],
    colHi: [...cols.hi],
    colWeight: [...cols.weight],
    colInverse: [...resizeInverseRanges(cols, inW)],
  };
}

/** Dense Pad: every axis's output -> input map from core's padAxisMap, concatenated, and the constant. */
function padNums(attrs: PadAttrs, inShape: readonly number[], outShape: readonly number[]): Nums {
  const rank = inShape.length;
  const maps = inShape.flatMap((size, d) => [...padAxisMap('Pad', size, attrs.pads[d]!, attrs.pads[rank + d]!, outShape[d]!, attrs.mode)]);
  return { padMaps: maps, padValue: [attrs.value] };
}

/** For each input index, the [first, last] output index whose map reads it (first > last: none). */
function inverseRanges(map: Int32Array, inSize: number): number[] {
  const range: number[] = [];
  for (let i = 0; i < inSize; i++) range.push(map.length, -1);
  map.forEach((src, o) => {
    if (src === PAD_CONSTANT) return;
    range[2 * src] = Math.min(range[2 * src]!, o);
    range[2 * src + 1] = Math.max(range[2 * src + 1]!, o);
  });
  return range;
}

/** Pad of an NHWC delta on H and W: the row and column maps and their inverse ranges. */
function padDeltaNums(attrs: PadAttrs, inShape: readonly number[], outShape: readonly number[]): Nums {
  const rows = padAxisMap('Pad', inShape[1]!, attrs.pads[1]!, attrs.pads[5]!, outShape[1]!, attrs.mode);
  const cols = padAxisMap('Pad', inShape[2]!, attrs.pads[2]!, attrs.pads[6]!, outShape[2]!, attrs.mode);
  return {
    padRows: [...rows],
    padCols: [...cols],
    padRowInverse: inverseRanges(rows, inShape[1]!),
    padColInverse: inverseRanges(cols, inShape[2]!),
  };
}

/** BatchNorm's per-channel parameters, in its input order. */
function batchNormArrays(scale: Tensor, bias: Tensor, mean: Tensor, variance: Tensor): CaseArray[] {
  return [
    f32('in.scale', scale.shape, scale.data as Float32Array),
    f32('in.bias', bias.shape, bias.data as Float32Array),
    f32('in.mean', mean.shape, mean.data as Float32Array),
    f32('in.variance', variance.shape, variance.data as Float32Array),
  ];
}

/** The resolved geometry numbers of a pooling window. */
function poolNums(attrs: Pool2DAttrs, g: ReturnType<typeof pool2dGeometry>, outShape: readonly number[]): Nums {
  return {
    outShape: [...outShape],
    kernel: [...attrs.kernel],
    strides: [...attrs.strides],
    pads: [...g.pads],
    countIncludePad: [attrs.countIncludePad ? 1 : 0],
  };
}

function f32(name: string, dims: readonly number[], data: Float32Array): CaseArray {
  return { name, dims: [...dims], data: Float32Array.from(data) };
}

/** A delta's values and its mask (one byte per pixel, 0 or 1); the values at inactive pixels are whatever the buffer held. */
function deltaArrays(name: string, d: DeltaBuffer): CaseArray[] {
  return [
    f32(`${name}.values`, d.shape, d.values),
    { name: `${name}.mask`, dims: d.shape.slice(0, 3), data: d.mask.map((m) => (m === 1 ? 1 : 0)) },
  ];
}

function activationParts(spec: ActivationSpec | undefined): { nums: Nums; arrays: CaseArray[] } {
  const code = activationCode(spec);
  const arrays = code.slope === undefined ? [] : [f32('in.act.slope', [code.slope.length], code.slope)];
  return { nums: { act: [code.code, code.a, code.b] }, arrays };
}

function maxAbs(a: Float32Array): number {
  let m = 0;
  for (const v of a) m = Math.max(m, Math.abs(v));
  return m;
}

/**
 * A backend that runs every kernel on the reference backend and records each call (inputs as
 * the suite handed them, outputs the reference computed) as a case file. Run a conformance case
 * with it as the backend under test: the records are then exactly the calls the case makes of a
 * backend, with the reference's answers. Ops the CUDA package has no kernel for are counted in
 * `unrecorded` instead.
 */
export class RecordingBackend implements Backend {
  readonly id = 'cuda-case-recorder';
  readonly records: CaseRecord[] = [];
  readonly unrecorded: string[] = [];
  readonly delta: DeltaKernels;
  #caseName = '';
  readonly #reference = new ReferenceBackend();

  constructor() {
    const reference = this.#reference.delta!;
    this.delta = {
      sparsify: (x, ref, threshold, out) => this.#sparsify(reference, x, ref, threshold, out),
      accumulate: (d, target) => this.#accumulate(reference, d, target),
      linear: (call, out) => this.#linear(reference, call, out),
      activation: (d, spec, state, threshold, out) => this.#activation(reference, d, spec, state, threshold, out),
      binary: (op, a, b, state: BinaryState, threshold, out) => this.#binary(reference, op, a, b, state, threshold, out),
      maxPool: (d, attrs: Pool2DAttrs, state: MaxPoolState, threshold, out) => this.#maxPool(reference, d, attrs, state, threshold, out),
    };
  }

  /** Names the records of the case about to run. */
  startCase(name: string): void {
    this.#caseName = name;
  }

  #push(op: string, nums: Nums, arrays: CaseArray[], tolerances: CaseRecord['tolerances'], deltas: string[] = []): void {
    const index = this.records.filter((r) => r.name.startsWith(`${this.#caseName} #`)).length + 1;
    this.records.push({ name: `${this.#caseName} #${index}`, op, nums, arrays, tolerances, deltas });
  }

  supports(call: OpCall): boolean {
    return this.#reference.supports(call);
  }

  runDense(call: DenseKernelCall): Tensor {
    const inputs = call.inputs.map((t) => (t === undefined ? undefined : { data: Float32Array.from(t.data), shape: t.shape }));
    // The reference computes synchronously.
    const y = this.#reference.runDense(call);
    if (call.op === 'Conv2D' || call.op === 'ConvTranspose2D') {
      const [x, w, bias] = inputs;
      const g =
        call.op === 'Conv2D'
          ? conv2dGeometry('Conv2D', call.attrs, x!.shape, w!.shape)
          : convTranspose2dGeometry('ConvTranspose2D', call.attrs, x!.shape, w!.shape);
      const act = activationParts(call.attrs.activation);
      const arrays = [f32('in.x', x!.shape, x!.data), f32('in.w', w!.shape, w!.data), ...act.arrays, f32('out.y', y.shape, y.data)];
      if (bias !== undefined) arrays.splice(2, 0, f32('in.bias', bias.shape, bias.data));
      this.#push(`dense.${call.op}`, { ...act.nums, ...convNums(g, call.outputShape) }, arrays, { 'out.y': DENSE_TOLERANCE });
    } else if (call.op === 'MaxPool2D' || call.op === 'AvgPool2D') {
      const x = inputs[0]!;
      const g = pool2dGeometry(call.op, call.attrs, x.shape, call.outputShape);
      this.#push(
        `dense.${call.op}`,
        poolNums(call.attrs, g, call.outputShape),
        [f32('in.x', x.shape, x.data), f32('out.y', y.shape, y.data)],
        {
          'out.y': DENSE_TOLERANCE,
        },
      );
    } else if (call.op === 'Resize') {
      const x = inputs[0]!;
      this.#push(
        'dense.Resize',
        resizeNums(call.attrs, x.shape, call.outputShape),
        [f32('in.x', x.shape, x.data), f32('out.y', y.shape, y.data)],
        {
          'out.y': DENSE_TOLERANCE,
        },
      );
    } else if (call.op === 'Pad') {
      const x = inputs[0]!;
      this.#push(
        'dense.Pad',
        padNums(call.attrs, x.shape, call.outputShape),
        [f32('in.x', x.shape, x.data), f32('out.y', y.shape, y.data)],
        {
          'out.y': DENSE_TOLERANCE,
        },
      );
    } else if (call.op === 'Concat') {
      const parts = inputs.map((t) => t!);
      const g = concatGeometry(
        'Concat',
        call.attrs.axis,
        parts.map((t) => t.shape),
      );
      const arrays = [...parts.map((t, j) => f32(`in.x${j}`, t.shape, t.data)), f32('out.y', y.shape, y.data)];
      this.#push('dense.Concat', { concatAxis: [g.axis], concatSizes: parts.map((t) => t.shape[g.axis]!) }, arrays, {
        'out.y': DENSE_TOLERANCE,
      });
    } else if (call.op === 'BatchNorm') {
      const [x, scale, bias, mean, variance] = inputs.map((t) => t!);
      const arrays = [f32('in.x', x!.shape, x!.data), ...batchNormArrays(scale!, bias!, mean!, variance!), f32('out.y', y.shape, y.data)];
      this.#push('dense.BatchNorm', { epsilon: [call.attrs.epsilon] }, arrays, { 'out.y': DENSE_TOLERANCE });
    } else if (
      call.op === 'Reshape' ||
      call.op === 'Flatten' ||
      call.op === 'Squeeze' ||
      call.op === 'Unsqueeze' ||
      call.op === 'Identity'
    ) {
      // The same row-major values under another shape: a copy.
      const x = inputs[0]!;
      this.#push('dense.Copy', {}, [f32('in.x', x.shape, x.data), f32('out.y', y.shape, y.data)], { 'out.y': DENSE_TOLERANCE });
    } else if (call.op === 'Transpose') {
      const x = inputs[0]!;
      this.#push('dense.Transpose', { perm: [...call.attrs.perm] }, [f32('in.x', x.shape, x.data), f32('out.y', y.shape, y.data)], {
        'out.y': DENSE_TOLERANCE,
      });
    } else if (call.op === 'MatMul') {
      const [a, b] = inputs.map((t) => t!);
      const g = matMulGeometry('MatMul', a!.shape, b!.shape);
      const offsets = matMulBatchOffsets(g);
      const act = activationParts(call.attrs.activation);
      const nums = { ...act.nums, m: [g.m], k: [g.k], n: [g.n], aOffsets: [...offsets.a], bOffsets: [...offsets.b] };
      const arrays = [f32('in.a', a!.shape, a!.data), f32('in.b', b!.shape, b!.data), ...act.arrays, f32('out.y', y.shape, y.data)];
      this.#push('dense.MatMul', nums, arrays, { 'out.y': DENSE_TOLERANCE });
    } else if (call.op === 'Gemm') {
      const [a, b, c] = inputs;
      const g = gemmGeometry('Gemm', call.attrs, a!.shape, b!.shape);
      const act = activationParts(call.attrs.activation);
      const { alpha, beta, transA, transB } = call.attrs;
      const nums: Nums = {
        ...act.nums,
        m: [g.m],
        k: [g.k],
        n: [g.n],
        a1: [g.a1],
        b1: [g.b1],
        transA: [transA ? 1 : 0],
        transB: [transB ? 1 : 0],
        alpha: [alpha],
        beta: [beta],
      };
      const arrays = [f32('in.a', a!.shape, a!.data), f32('in.b', b!.shape, b!.data), ...act.arrays, f32('out.y', y.shape, y.data)];
      if (c !== undefined) {
        arrays.push(f32('in.c', c.shape, c.data));
        nums['cStrides'] = broadcastStrides(c.shape, [g.m, g.n]);
      }
      this.#push('dense.Gemm', nums, arrays, { 'out.y': DENSE_TOLERANCE });
    } else if (call.op === 'Softmax') {
      const x = inputs[0]!;
      const axis = call.attrs.axis < 0 ? call.attrs.axis + x.shape.length : call.attrs.axis;
      this.#push('dense.Softmax', { axis: [axis] }, [f32('in.x', x.shape, x.data), f32('out.y', y.shape, y.data)], {
        'out.y': DENSE_TOLERANCE,
      });
    } else if (call.op === 'Slice') {
      const x = inputs[0]!;
      const g = sliceGeometry('Slice', x.shape, call.attrs);
      const nums = { sliceStart: g.axes.map((a) => a.start), sliceStep: g.axes.map((a) => a.step) };
      this.#push('dense.Slice', nums, [f32('in.x', x.shape, x.data), f32('out.y', y.shape, y.data)], { 'out.y': DENSE_TOLERANCE });
    } else if (call.op === 'Reduce') {
      const x = inputs[0]!;
      const g = reduceGeometry('Reduce', x.shape, call.attrs);
      const nums = { reduceKind: [REDUCE_CODES[call.attrs.kind]], reduced: g.reduced.map((r) => (r ? 1 : 0)) };
      this.#push('dense.Reduce', nums, [f32('in.x', x.shape, x.data), f32('out.y', y.shape, y.data)], { 'out.y': DENSE_TOLERANCE });
    } else if (call.op === 'DepthToSpace' || call.op === 'SpaceToDepth') {
      const x = inputs[0]!;
      const crd = call.op === 'DepthToSpace' && call.attrs.mode === 'CRD' ? 1 : 0;
      this.#push(
        `dense.${call.op}`,
        { blockSize: [call.attrs.blockSize], crd: [crd] },
        [f32('in.x', x.shape, x.data), f32('out.y', y.shape, y.data)],
        {
          'out.y': DENSE_TOLERANCE,
        },
      );
    } else if (call.op === 'GlobalAvgPool') {
      const x = inputs[0]!;
      this.#push('dense.GlobalAvgPool', {}, [f32('in.x', x.shape, x.data), f32('out.y', y.shape, y.data)], { 'out.y': DENSE_TOLERANCE });
    } else if (call.op === 'Add' || call.op === 'Sub' || call.op === 'Mul' || call.op === 'Div' || call.op === 'Max' || call.op === 'Min') {
      const [a, b] = inputs;
      const act = activationParts(call.attrs.activation);
      const arrays = [f32('in.a', a!.shape, a!.data), f32('in.b', b!.shape, b!.data), ...act.arrays, f32('out.y', y.shape, y.data)];
      this.#push('dense.Binary', { ...act.nums, binop: [BINARY_CODES[call.op]] }, arrays, { 'out.y': DENSE_TOLERANCE });
    } else if (call.op === 'Activation') {
      const x = inputs[0]!;
      const act = activationParts(call.attrs.activation);
      this.#push('dense.Activation', act.nums, [f32('in.x', x.shape, x.data), ...act.arrays, f32('out.y', y.shape, y.data)], {
        'out.y': DENSE_TOLERANCE,
      });
    } else {
      // An op added to the IR after this recorder: counted, so the export test names it.
      this.unrecorded.push(`dense.${(call as OpCall).op}`);
    }
    return y;
  }

  async #sparsify(reference: DeltaKernels, x: Tensor, ref: Float32Array, threshold: number, out: DeltaBuffer): Promise<void> {
    const arrays = [f32('in.x', x.shape, x.data as Float32Array), f32('in.reference', x.shape, ref)];
    await reference.sparsify(x, ref, threshold, out);
    arrays.push(...deltaArrays('out.delta', out), f32('out.reference', x.shape, ref));
    this.#push(
      'delta.sparsify',
      { threshold: [threshold] },
      arrays,
      { 'out.delta.values': DENSE_TOLERANCE, 'out.reference': STATE_TOLERANCE },
      ['out.delta'],
    );
  }

  async #accumulate(reference: DeltaKernels, d: DeltaBuffer, target: Float32Array): Promise<void> {
    const arrays = [...deltaArrays('in.delta', d), f32('in.target', d.shape, target)];
    await reference.accumulate(d, target);
    arrays.push(f32('out.target', d.shape, target));
    this.#push('delta.accumulate', {}, arrays, { 'out.target': STATE_TOLERANCE });
  }

  async #linear(reference: DeltaKernels, call: LinearDeltaCall, out: DeltaBuffer): Promise<void> {
    if (call.op === 'AvgPool2D' || call.op === 'GlobalAvgPool') {
      const x = call.inputs[0] as DeltaBuffer;
      const nums =
        call.op === 'AvgPool2D' ? poolNums(call.attrs, pool2dGeometry('AvgPool2D', call.attrs, x.shape, out.shape), out.shape) : {};
      const arrays = deltaArrays('in.x', x);
      await reference.linear(call, out);
      arrays.push(...deltaArrays('out.delta', out));
      this.#push(`delta.linear.${call.op}`, nums, arrays, { 'out.delta.values': DENSE_TOLERANCE }, ['out.delta']);
      return;
    }
    if (call.op === 'Mul' || call.op === 'Div' || call.op === 'BatchNorm' || call.op === 'Identity') {
      // Scalings of one varying operand: its mask passes through.
      const [a, b] = call.inputs;
      const x = (a instanceof DeltaBuffer ? a : b) as DeltaBuffer;
      const arrays = deltaArrays('in.x', x);
      let nums: Nums = {};
      if (call.op === 'Mul' || call.op === 'Div') {
        const k = (a instanceof DeltaBuffer ? b : a) as Tensor;
        arrays.push(f32('in.k', k.shape, k.data as Float32Array));
        nums = { kStrides: broadcastStrides(k.shape, out.shape) };
      } else if (call.op === 'BatchNorm') {
        const [, scale, bias, mean, variance] = call.inputs as Tensor[];
        arrays.push(...batchNormArrays(scale!, bias!, mean!, variance!));
        nums = { epsilon: [call.attrs.epsilon] };
      }
      await reference.linear(call, out);
      arrays.push(...deltaArrays('out.delta', out));
      this.#push(`delta.linear.${call.op}`, nums, arrays, { 'out.delta.values': DENSE_TOLERANCE }, ['out.delta']);
      return;
    }
    if (call.op === 'Concat') {
      // A constant input never changes: only its channel count is recorded.
      const arrays = call.inputs.flatMap((t, j) => (t instanceof DeltaBuffer ? deltaArrays(`in.x${j}`, t) : []));
      const sizes = call.inputs.map((t) => t!.shape[3]!);
      await reference.linear(call, out);
      arrays.push(...deltaArrays('out.delta', out));
      this.#push('delta.linear.Concat', { concatAxis: [3], concatSizes: sizes }, arrays, { 'out.delta.values': DENSE_TOLERANCE }, [
        'out.delta',
      ]);
      return;
    }
    if (call.op === 'Pad') {
      const x = call.inputs[0] as DeltaBuffer;
      const arrays = deltaArrays('in.x', x);
      await reference.linear(call, out);
      arrays.push(...deltaArrays('out.delta', out));
      this.#push('delta.linear.Pad', padDeltaNums(call.attrs, x.shape, out.shape), arrays, { 'out.delta.values': DENSE_TOLERANCE }, [
        'out.delta',
      ]);
      return;
    }
    if (call.op === 'Resize') {
      const x = call.inputs[0] as DeltaBuffer;
      const arrays = deltaArrays('in.x', x);
      await reference.linear(call, out);
      arrays.push(...deltaArrays('out.delta', out));
      this.#push('delta.linear.Resize', resizeNums(call.attrs, x.shape, out.shape), arrays, { 'out.delta.values': DENSE_TOLERANCE }, [
        'out.delta',
      ]);
      return;
    }
    if (call.op === 'Add' || call.op === 'Sub') {
      // A constant operand cancels in the difference: only the varying ones are recorded, with their signs.
      const [a, b] = call.inputs;
      const arrays = [
        ...(a instanceof DeltaBuffer ? deltaArrays('in.a', a) : []),
        ...(b instanceof DeltaBuffer ? deltaArrays('in.b', b) : []),
      ];
      const signs = [a instanceof DeltaBuffer ? 1 : 0, b instanceof DeltaBuffer ? (call.op === 'Sub' ? -1 : 1) : 0];
      await reference.linear(call, out);
      arrays.push(...deltaArrays('out.delta', out));
      this.#push(`delta.linear.${call.op}`, { signs }, arrays, { 'out.delta.values': DENSE_TOLERANCE }, ['out.delta']);
      return;
    }
    // Every other linear op is handled above: what remains is the convolution family.
    const x = call.inputs[0] as DeltaBuffer;
    const w = call.inputs[1] as Tensor;
    const g =
      call.op === 'Conv2D'
        ? conv2dGeometry('Conv2D', call.attrs, x.shape, w.shape)
        : convTranspose2dGeometry('ConvTranspose2D', call.attrs, x.shape, w.shape);
    const arrays = [...deltaArrays('in.x', x), f32('in.w', w.shape, w.data as Float32Array)];
    await reference.linear(call, out);
    arrays.push(...deltaArrays('out.delta', out));
    this.#push(`delta.linear.${call.op}`, convNums(g, out.shape), arrays, { 'out.delta.values': DENSE_TOLERANCE }, ['out.delta']);
  }

  async #binary(
    reference: DeltaKernels,
    op: 'Add' | 'Sub' | 'Mul' | 'Div',
    a: DeltaBuffer | Tensor,
    b: DeltaBuffer | Tensor,
    state: BinaryState,
    threshold: number,
    out: DeltaBuffer,
  ): Promise<void> {
    const scale = maxAbs(state.emitted);
    // A varying operand: its delta and accumulated values (an output too); a constant: its values.
    const operand = (name: string, t: DeltaBuffer | Tensor, acc: Float32Array): CaseArray[] =>
      t instanceof DeltaBuffer
        ? [...deltaArrays(`in.${name}`, t), f32(`in.${name}.acc`, t.shape, acc)]
        : [f32(`in.${name}`, t.shape, t.data as Float32Array)];
    const arrays = [
      ...operand('a', a, state.accumulated[0]),
      ...operand('b', b, state.accumulated[1]),
      f32('in.emitted', out.shape, state.emitted),
    ];
    const nums = {
      binop: [BINARY_CODES[op]],
      aStrides: broadcastStrides(a.shape, out.shape),
      bStrides: broadcastStrides(b.shape, out.shape),
      threshold: [threshold],
    };
    await reference.binary(op, a, b, state, threshold, out);
    arrays.push(...deltaArrays('out.delta', out), f32('out.emitted', out.shape, state.emitted));
    const tolerances: Record<string, Tolerance> = { 'out.delta.values': statefulOutputTolerance(scale), 'out.emitted': STATE_TOLERANCE };
    if (a instanceof DeltaBuffer) {
      arrays.push(f32('out.a.acc', a.shape, state.accumulated[0]));
      tolerances['out.a.acc'] = STATE_TOLERANCE;
    }
    if (b instanceof DeltaBuffer) {
      arrays.push(f32('out.b.acc', b.shape, state.accumulated[1]));
      tolerances['out.b.acc'] = STATE_TOLERANCE;
    }
    this.#push('delta.binary', nums, arrays, tolerances, ['out.delta']);
  }

  async #maxPool(
    reference: DeltaKernels,
    d: DeltaBuffer,
    attrs: Pool2DAttrs,
    state: MaxPoolState,
    threshold: number,
    out: DeltaBuffer,
  ): Promise<void> {
    const g = pool2dGeometry('MaxPool2D', attrs, d.shape, out.shape);
    const scale = maxAbs(state.emitted);
    const arrays = [
      ...deltaArrays('in.delta', d),
      f32('in.accumulated', d.shape, state.accumulated),
      f32('in.emitted', out.shape, state.emitted),
    ];
    await reference.maxPool(d, attrs, state, threshold, out);
    arrays.push(
      ...deltaArrays('out.delta', out),
      f32('out.accumulated', d.shape, state.accumulated),
      f32('out.emitted', out.shape, state.emitted),
    );
    this.#push(
      'delta.maxPool',
      { ...poolNums(attrs, g, out.shape), threshold: [threshold] },
      arrays,
      { 'out.delta.values': statefulOutputTolerance(scale), 'out.accumulated': STATE_TOLERANCE, 'out.emitted': STATE_TOLERANCE },
      ['out.delta'],
    );
  }

  async #activation(
    reference: DeltaKernels,
    d: DeltaBuffer,
    spec: ActivationSpec,
    state: ActivationState,
    threshold: number,
    out: DeltaBuffer,
  ): Promise<void> {
    const act = activationParts(spec);
    // The suite's tolerance for stateful outputs scales with the emitted state before the call.
    const scale = maxAbs(state.emitted);
    const arrays = [
      ...deltaArrays('in.delta', d),
      f32('in.accumulated', d.shape, state.accumulated),
      f32('in.emitted', d.shape, state.emitted),
      ...act.arrays,
    ];
    await reference.activation(d, spec, state, threshold, out);
    arrays.push(
      ...deltaArrays('out.delta', out),
      f32('out.accumulated', d.shape, state.accumulated),
      f32('out.emitted', d.shape, state.emitted),
    );
    this.#push(
      'delta.activation',
      { ...act.nums, threshold: [threshold] },
      arrays,
      { 'out.delta.values': statefulOutputTolerance(scale), 'out.accumulated': STATE_TOLERANCE, 'out.emitted': STATE_TOLERANCE },
      ['out.delta'],
    );
  }
}
