import { UnsupportedOpError, stridesOf } from '@motiondelta/core';
import type { ImportContext, OnnxNode } from './context.js';
import { isFullyKnown } from './dims.js';
import type { IntConstant } from './tensor-data.js';

/**
 * Shape arithmetic, folded at import. Exporters (PyTorch's above all) compute reshape targets,
 * slice bounds and resize sizes from `Shape` of a feature map: `Shape -> Gather -> Unsqueeze ->
 * Concat -> Reshape` for a flatten. Where the dimensions are known (a model exported with a fixed
 * input size), every such value is an integer constant, and the nodes computing it are evaluated
 * here instead of becoming graph nodes: the converters downstream then see constants, as if the
 * exporter had folded them.
 *
 * A node is folded when its op is below and its integer inputs are all constants (for `Shape` and
 * `Size`: when the dimensions it reads are known). Anything else goes to the op's converter.
 */
/** Integer inputs of a node, in its order; `undefined` for an absent optional one. */
type IntInputs = readonly (IntConstant | undefined)[];

const FOLDERS: Readonly<Record<string, (node: OnnxNode, ctx: ImportContext, inputs: IntInputs) => IntConstant>> = {
  Gather: gather,
  Unsqueeze: (node, _ctx, [data, axes]) => unsqueeze(data!, axesOf(node, axes, data!.dims.length + (axes?.data.length ?? 0))),
  Squeeze: (node, _ctx, [data, axes]) =>
    squeeze(node, data!, axes === undefined && node.attrs.ints('axes') === undefined ? undefined : axesOf(node, axes, data!.dims.length)),
  Concat: concat,
  Slice: slice,
  Reshape: (node, _ctx, [data, shape]) => ({ kind: 'int', dims: reshapeDims(node, data!, shape!), data: data!.data }),
  Identity: (_node, _ctx, [data]) => data!,
  Add: binary((a, b) => a + b),
  Sub: binary((a, b) => a - b),
  Mul: binary((a, b) => a * b),
  // ONNX integer division truncates toward zero, as C does.
  Div: binary((a, b) => Math.trunc(a / b)),
  Min: binary(Math.min),
  Max: binary(Math.max),
  Neg: (_node, _ctx, [a]) => ({ kind: 'int', dims: a!.dims, data: a!.data.map((v) => -v) }),
  Abs: (_node, _ctx, [a]) => ({ kind: 'int', dims: a!.dims, data: a!.data.map(Math.abs) }),
};

/**
 * Folds `node` when it computes an integer constant from known values; true when it did (its
 * output is then defined as a constant and no converter runs).
 *
 * @throws UnsupportedOpError for `Shape` or `Size` of a value whose dimensions are not all known
 */
export function foldIntNode(node: OnnxNode, ctx: ImportContext): boolean {
  const [output = ''] = node.proto.output;
  if (node.opType === 'Shape' || node.opType === 'Size') {
    ctx.define(output, shapeOf(node, ctx));
    return true;
  }
  const fold = FOLDERS[node.opType];
  if (fold === undefined) return false;
  const names = node.proto.input;
  if (names.length === 0) return false;
  const inputs: (IntConstant | undefined)[] = [];
  for (const name of names) {
    if (name === '') {
      inputs.push(undefined);
      continue;
    }
    const value = ctx.find(name);
    if (value?.kind !== 'int') return false;
    inputs.push(value);
  }
  ctx.define(output, fold(node, ctx, inputs));
  return true;
}

function shapeOf(node: OnnxNode, ctx: ImportContext): IntConstant {
  const [x = ''] = node.proto.input;
  const dims = ctx.dims(x, node);
  const rank = dims.length;
  const clamp = (v: number): number => Math.min(Math.max(v < 0 ? v + rank : v, 0), rank);
  const read = node.opType === 'Shape' ? dims.slice(clamp(node.attrs.int('start', 0)), clamp(node.attrs.int('end', rank))) : dims;
  if (!isFullyKnown(read)) {
    throw new UnsupportedOpError(
      node.opType,
      node.name,
      `it reads the dimensions of '${x}', [${dims.map((d) => d ?? '?').join(',')}], which are not all known at import; ` +
        'shape arithmetic is folded for fixed sizes only: export the model with a fixed input size (or fix its open dimensions)',
    );
  }
  return node.opType === 'Shape'
    ? { kind: 'int', dims: [read.length], data: [...read] }
    : { kind: 'int', dims: [], data: [read.reduce((a, b) => a * b, 1)] };
}

function normalizeAxis(node: OnnxNode, axis: number, rank: number): number {
  const a = axis < 0 ? axis + rank : axis;
  if (!Number.isInteger(a) || a < 0 || a >= rank) {
    throw new UnsupportedOpError(node.opType, node.name, `axis ${axis} is outside a tensor of rank ${rank}`);
  }
  return a;
}

/** Axes from the attribute (before opset 13) or the second input. */
function axesOf(node: OnnxNode, axesInput: IntConstant | undefined, rank: number): number[] {
  const axes = axesInput?.data ?? node.attrs.ints('axes') ?? [];
  return axes.map((a) => normalizeAxis(node, a, rank));
}

function gather(node: OnnxNode, _ctx: ImportContext, [data, indices]: IntInputs): IntConstant {
  const d = data!;
  const axis = normalizeAxis(node, node.attrs.int('axis', 0), d.dims.length);
  const n = d.dims[axis]!;
  const outer = d.dims.slice(0, axis).reduce((a, b) => a * b, 1);
  const inner = d.dims.slice(axis + 1).reduce((a, b) => a * b, 1);
  const picks = indices!.data.map((i) => {
    const k = i < 0 ? i + n : i;
    if (!(k >= 0 && k < n)) throw new UnsupportedOpError(node.opType, node.name, `index ${i} is outside an axis of ${n}`);
    return k;
  });
  const out: number[] = [];
  for (let o = 0; o < outer; o++) for (const k of picks) for (let j = 0; j < inner; j++) out.push(d.data[(o * n + k) * inner + j]!);
  return { kind: 'int', dims: [...d.dims.slice(0, axis), ...indices!.dims, ...d.dims.slice(axis + 1)], data: out };
}

function unsqueeze(data: IntConstant, axes: readonly number[]): IntConstant {
  const dims = [...data.dims];
  for (const a of [...axes].sort((x, y) => x - y)) dims.splice(a, 0, 1);
  return { kind: 'int', dims, data: data.data };
}

function squeeze(node: OnnxNode, data: IntConstant, axes: readonly number[] | undefined): IntConstant {
  const drop = new Set(axes ?? data.dims.flatMap((d, i) => (d === 1 ? [i] : [])));
  for (const a of drop) {
    if (data.dims[a] !== 1) throw new UnsupportedOpError(node.opType, node.name, `axis ${a} has size ${data.dims[a]}, not 1`);
  }
  return { kind: 'int', dims: data.dims.filter((_, i) => !drop.has(i)), data: data.data };
}

function concat(node: OnnxNode, _ctx: ImportContext, inputs: IntInputs): IntConstant {
  const parts = inputs.filter((p): p is IntConstant => p !== undefined);
  const rank = parts[0]!.dims.length;
  const axis = normalizeAxis(node, node.attrs.int('axis', 0), rank);
  const outer = parts[0]!.dims.slice(0, axis).reduce((a, b) => a * b, 1);
  const out: number[] = [];
  for (let o = 0; o < outer; o++) {
    for (const p of parts) {
      const block = p.dims.slice(axis).reduce((a, b) => a * b, 1);
      out.push(...p.data.slice(o * block, (o + 1) * block));
    }
  }
  const dims = [...parts[0]!.dims];
  dims[axis] = parts.reduce((sum, p) => sum + p.dims[axis]!, 0);
  return { kind: 'int', dims, data: out };
}

/** Slice of a 1-D integer constant (what shape arithmetic slices); other ranks go to the converter. */
function slice(node: OnnxNode, ctx: ImportContext, [data, starts, ends, axes, steps]: IntInputs): IntConstant {
  const d = data!;
  const before10 = ctx.opset < 10;
  const begin = (before10 ? node.attrs.ints('starts') : starts?.data)?.[0];
  const end = (before10 ? node.attrs.ints('ends') : ends?.data)?.[0];
  const axis = (before10 ? node.attrs.ints('axes') : axes?.data)?.[0] ?? 0;
  const step = (before10 ? undefined : steps?.data[0]) ?? 1;
  if (d.dims.length !== 1 || begin === undefined || end === undefined || normalizeAxis(node, axis, 1) !== 0 || step === 0) {
    throw new UnsupportedOpError(
      node.opType,
      node.name,
      'of an integer constant, only 1-D slices along axis 0 with a non-zero step are folded',
    );
  }
  const n = d.data.length;
  const at = (v: number, lo: number, hi: number): number => Math.min(Math.max(v < 0 ? v + n : v, lo), hi);
  const out: number[] = [];
  if (step > 0) for (let i = at(begin, 0, n); i < at(end, 0, n); i += step) out.push(d.data[i]!);
  else for (let i = at(begin, -1, n - 1); i > at(end, -1, n - 1); i += step) out.push(d.data[i]!);
  return { kind: 'int', dims: [out.length], data: out };
}

function reshapeDims(node: OnnxNode, data: IntConstant, shape: IntConstant): number[] {
  const total = data.data.length;
  const dims = shape.data.map((d, i) => (d === 0 && node.attrs.int('allowzero', 0) === 0 ? (data.dims[i] ?? 0) : d));
  const known = dims.filter((d) => d !== -1).reduce((a, b) => a * b, 1);
  const out = dims.map((d) => (d === -1 ? total / Math.max(known, 1) : d));
  if (out.reduce((a, b) => a * b, 1) !== total || !out.every(Number.isInteger)) {
    throw new UnsupportedOpError(node.opType, node.name, `cannot reshape ${total} integers to [${shape.data.join(',')}]`);
  }
  return out;
}

/** Elementwise on integer constants with numpy broadcasting. */
function binary(f: (a: number, b: number) => number) {
  return (_node: OnnxNode, _ctx: ImportContext, [a, b]: IntInputs): IntConstant => {
    const rank = Math.max(a!.dims.length, b!.dims.length);
    const pad = (dims: readonly number[]): number[] => [...new Array<number>(rank - dims.length).fill(1), ...dims];
    const [da, db] = [pad(a!.dims), pad(b!.dims)];
    const dims = da.map((x, i) => Math.max(x, db[i]!));
    const [sa, sb, so] = [stridesOf(da), stridesOf(db), stridesOf(dims)];
    const count = dims.reduce((x, y) => x * y, 1);
    const data: number[] = [];
    for (let k = 0; k < count; k++) {
      let ia = 0;
      let ib = 0;
      for (let i = 0; i < rank; i++) {
        const c = Math.floor(k / so[i]!) % dims[i]!;
        if (da[i] !== 1) ia += c * sa[i]!;
        if (db[i] !== 1) ib += c * sb[i]!;
      }
      data.push(f(a!.data[ia]!, b!.data[ib]!));
    }
    return { kind: 'int', dims, data };
  };
}
