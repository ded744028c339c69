import { InputError, ShapeError, checkFinite, formatShape, type Tensor } from '@motiondelta/core';
import type { InputDtype, ValueInfo } from '../ir/graph.js';

/** Largest dimension an input may have: what the kernels index with 32-bit integers. */
export const MAX_DIMENSION = 0x7fffffff;

const TENSOR = '{ data: Float32Array, shape: number[] } (NHWC, float32), or an onnxruntime tensor { data, dims, type }';

/** The typed array each declared input dtype takes (integer inputs are converted when copied). */
const ARRAY_OF: Readonly<Record<InputDtype, { readonly type: string; readonly accepts: (v: unknown) => boolean }>> = {
  float32: { type: 'Float32Array', accepts: (v) => v instanceof Float32Array },
  int32: { type: 'Int32Array', accepts: (v) => v instanceof Int32Array },
  uint8: { type: 'Uint8Array', accepts: (v) => v instanceof Uint8Array && !(v instanceof Uint8ClampedArray) },
};

// The real element count of a typed array, from its internal slot: a subclass cannot override it
// with a `length` getter, and a detached buffer reads 0.
const typedArrayLength = Object.getOwnPropertyDescriptor(Object.getPrototypeOf(Float32Array.prototype) as object, 'length')!.get as (
  this: ArrayBufferView,
) => number;

function describe(info: ValueInfo): string {
  return `[${info.shape.map((d) => (d === null ? '?' : d)).join(',')}]`;
}

/** A short, safe description of any value for a message (never formats a huge array in full). */
export function describeValue(v: unknown): string {
  if (v === null || v === undefined) return String(v);
  if (typeof v === 'function' || typeof v === 'symbol') return `a ${typeof v}`;
  if (Array.isArray(v)) {
    const head = v.slice(0, 8).map((x) => (typeof x === 'number' ? String(x) : typeof x));
    return `[${head.join(',')}${v.length > 8 ? `, ... (${v.length} entries)` : ''}]`;
  }
  if (ArrayBuffer.isView(v)) return `a ${v.constructor.name}`;
  if (typeof v === 'object') return `an object (${Object.prototype.toString.call(v).slice(8, -1)})`;
  if (typeof v === 'string') return `the string '${v.length > 40 ? `${v.slice(0, 40)}...` : v}'`;
  return `${typeof v} ${String(v)}`;
}

/**
 * One input as read from a caller's `inputs`: the tensor object and its fields read once each
 * (so a getter cannot answer differently later), the shape copied, the data not yet.
 */
export interface InputView {
  readonly name: string;
  /** The caller's array, of the type the input declares; copied into float32 by {@link copyInputs}. */
  readonly data: Float32Array | Int32Array | Uint8Array;
  readonly shape: readonly number[];
}

/**
 * Checks the structure of `inputs` before anything runs or is allocated: an object holding exactly
 * the graph's inputs (own properties), each a tensor whose shape is an array of integer dimensions
 * the model accepts and whose data is a typed array of the input's dtype (Float32Array; Int32Array or
 * Uint8Array for inputs declared `int32` or `uint8`) of matching length. Values are not checked
 * here: {@link copyInputs} checks them while it copies them.
 *
 * @throws InputError when `inputs` or a tensor is not an object, or data is not the input's typed array.
 * @throws ShapeError for an unknown or missing input, a malformed shape, one the model does not
 * accept, or data of the wrong length (a detached ArrayBuffer reads as 0 values).
 */
export function readInputs(expected: readonly ValueInfo[], inputs: unknown, layout: 'NHWC' | 'model' = 'NHWC'): InputView[] {
  const accepted = expected.map((e) => `'${e.name}' ${describe(e)}`).join(', ');
  if (typeof inputs !== 'object' || inputs === null || Array.isArray(inputs) || inputs instanceof Map || ArrayBuffer.isView(inputs)) {
    throw new InputError(
      `run(inputs): inputs must be a plain object mapping each input name to a tensor ${TENSOR}; this model's inputs are ${accepted}. Got ${describeValue(inputs)}.`,
    );
  }
  const record = inputs as Record<string, unknown>;
  for (const name of Object.keys(record)) {
    if (!expected.some((e) => e.name === name)) {
      throw new ShapeError(`Unknown input '${name}'; the model's inputs are ${expected.map((e) => `'${e.name}'`).join(', ')}.`);
    }
  }
  return expected.map((info) => readOne(info, Object.hasOwn(record, info.name) ? record[info.name] : undefined, layout));
}

/**
 * What to do about an image that looks fed in the other layout: `order` is the one expected,
 * `modelIsNchw` whether the file declares NCHW (so that the session's `layout` option is the fix).
 */
function layoutHint(order: 'NHWC' | 'NCHW', modelIsNchw: boolean): string {
  if (order === 'NCHW') {
    return ` This looks like NHWC (channels last); this session takes the model's own layout, NCHW (channels first): transpose it (frameToTensor(frame, { layout: 'nchw' }) gives NCHW), or create the session with layout: 'nhwc' to pass NHWC.`;
  }
  return modelIsNchw
    ? ` This looks like NCHW (channels first); this session was created with layout: 'nhwc' and takes images NHWC (channels last): transpose it, or create the session without layout: 'nhwc' (the default, layout: 'model') to pass the model's NCHW.`
    : ` This looks like NCHW (channels first); this model takes images NHWC (channels last), its own layout: transpose it, or use frameToTensor (video-io), which gives NHWC.`;
}

function readOne(info: ValueInfo, t: unknown, layout: 'NHWC' | 'model'): InputView {
  const name = info.name;
  // What the expected shapes are written in, for messages: with layout 'model', an ONNX image is NCHW.
  const order = layout === 'model' && info.transposedFrom === 'nchw' ? 'NCHW' : 'NHWC';
  if (t === undefined) throw new ShapeError(`Missing input '${name}' (shape ${describe(info)}, ${order} ${info.dtype}).`);
  if (typeof t !== 'object' || t === null) throw new InputError(`Input '${name}' must be a tensor ${TENSOR}, got ${describeValue(t)}.`);
  // onnxruntime's tensors ({ data, dims, type }) are taken as they are: `dims` is the shape.
  const { data, shape: given, dims: ortDims, type } = t as { data?: unknown; shape?: unknown; dims?: unknown; type?: unknown };
  const shape = given === undefined && Array.isArray(ortDims) ? ortDims : given;
  if (type !== undefined && type !== info.dtype) {
    throw new InputError(
      `Input '${name}' is a tensor of type ${describeValue(type)}, but the model declares it ${info.dtype}; convert it first.`,
    );
  }
  if (!Array.isArray(shape)) {
    throw new ShapeError(
      `Input '${name}' has shape ${describeValue(shape)}; a shape is an array of dimensions, such as ${describe(info)} for this input (${order}).`,
    );
  }
  if (shape.length !== info.shape.length) {
    throw new ShapeError(
      `Input '${name}' has shape ${describeValue(shape)} of rank ${shape.length}, but the model accepts ${describe(info)} (${order}; ? is any size).`,
    );
  }
  // Copied by index up to the length just checked (a proxy's iterator could yield another count).
  const dims = Array.from({ length: info.shape.length }, (_, i) => (shape as unknown[])[i]);
  dims.forEach((d, i) => {
    if (typeof d !== 'number' || !Number.isInteger(d) || d < 0 || d > MAX_DIMENSION) {
      throw new ShapeError(
        `Input '${name}' has an invalid shape ${describeValue(dims)}: dimension ${i} is ${describeValue(d)}; dimensions are integers from 0 to ${MAX_DIMENSION}.`,
      );
    }
  });
  const fixed = dims as number[];
  if (!info.shape.every((d, i) => d === null || d === fixed[i])) {
    // An image fed in the other layout is the usual mistake: say so, and how to fix it.
    const [at, other] = order === 'NHWC' ? [3, 1] : [1, 3];
    const channels = info.shape[at];
    const swapped = fixed.length === 4 && typeof channels === 'number' && fixed[other] === channels && fixed[at] !== channels;
    const hint = !swapped ? '' : layoutHint(order, info.transposedFrom === 'nchw');
    throw new ShapeError(
      `Input '${name}' has shape ${formatShape(fixed)}, but the model accepts ${describe(info)} (${order}; ? is any size).${hint}`,
    );
  }
  const array = ARRAY_OF[info.dtype] ?? ARRAY_OF.float32;
  if (!array.accepts(data) || !ArrayBuffer.isView(data)) {
    const declared = info.dtype === 'float32' ? '' : ` (the model declares it ${info.dtype})`;
    throw new InputError(
      `Input '${name}' must hold its values in a ${array.type}${declared}, got ${describeValue(data)}; other typed arrays and plain arrays are not accepted (convert with ${array.type}.from(values)).`,
    );
  }
  const typed = data as InputView['data'];
  const expected = fixed.reduce((a, b) => a * b, 1);
  const length = typedArrayLength.call(typed);
  if (length !== expected) {
    const detached = length === 0 && typed.buffer.byteLength === 0 ? ' (its ArrayBuffer is empty: was it transferred or detached?)' : '';
    throw new ShapeError(`Tensor '${name}' has ${length} values${detached} but its shape ${formatShape(fixed)} needs ${expected}.`);
  }
  return { name, data: typed, shape: Object.freeze(fixed) };
}

/** Copies of a frame's inputs, their largest magnitudes, and the key of their shapes. */
export interface CopiedInputs {
  /** Owned copies by input name: no caller can change or detach them. */
  readonly tensors: Readonly<Record<string, Tensor>>;
  /** Largest |value| of each input, in the graph's input order. */
  readonly peaks: readonly number[];
  /** `1x32x32x3|...`: equal for frames of equal input shapes. */
  readonly shapeKey: string;
}

/**
 * Copies each input into a float32 array from `take` (a fresh one by default; integer inputs are
 * converted by the copy, exactly up to 2^24 as TF's Cast to float), checking while copying
 * that every value is finite and measuring its largest magnitude: one pass over the copy, which no
 * caller can change between the check and the use.
 *
 * @throws InputError naming the first NaN or infinite value.
 */
export function copyInputs(
  views: readonly InputView[],
  take: (name: string, length: number) => Float32Array = (_, n) => new Float32Array(n),
): CopiedInputs {
  const tensors: Record<string, Tensor> = {};
  const peaks: number[] = [];
  for (const view of views) {
    const copy = take(view.name, view.data.length);
    copy.set(view.data);
    let peak = 0;
    let nan = false;
    for (let i = 0; i < copy.length; i++) {
      const a = Math.abs(copy[i]!);
      if (a > peak) peak = a;
      else if (a !== a) nan = true;
    }
    if (nan || peak === Number.POSITIVE_INFINITY) checkFinite(view.name, copy);
    tensors[view.name] = { data: copy, shape: view.shape };
    peaks.push(peak);
  }
  return { tensors, peaks, shapeKey: shapeKeyOf(views) };
}

/** `1x32x32x3|...`: equal for frames of equal input shapes (sessions key their plans by it). */
export function shapeKeyOf(views: readonly InputView[]): string {
  return views.map((v) => v.shape.join('x')).join('|');
}

/** Input shapes by name, as the planners take them. */
export function shapesOf(views: readonly InputView[]): Record<string, readonly number[]> {
  return Object.fromEntries(views.map((v) => [v.name, v.shape]));
}
