import { UnsupportedOpError, type AutoPad, type Pads2D, type Pair } from '@motiondelta/core';
import type { OnnxNode } from './context.js';
import { windowOutput } from './dims.js';

export interface Window2D {
  readonly kernel: Pair;
  readonly strides: Pair;
  readonly dilations: Pair;
  readonly pads: Pads2D;
  readonly autoPad: AutoPad;
}

const AUTO_PAD: Record<string, AutoPad> = {
  NOTSET: 'explicit',
  SAME_UPPER: 'same-upper',
  SAME_LOWER: 'same-lower',
  VALID: 'valid',
};

function pair(node: OnnxNode, name: string, fallback: Pair): Pair {
  const values = node.attrs.ints(name);
  if (values === undefined) return fallback;
  if (values.length !== 2 || values.some((v) => !Number.isInteger(v) || v < 1)) {
    throw new UnsupportedOpError(
      node.opType,
      node.name,
      `${name} [${values.join(',')}] is not supported: only 2-D windows with two positive values are`,
    );
  }
  return [values[0]!, values[1]!];
}

/** Reads kernel/strides/dilations/pads/auto_pad of a 2-D window op (Conv, pools). */
export function readWindow(node: OnnxNode, kernel: Pair): Window2D {
  const declared = node.attrs.ints('kernel_shape');
  if (declared !== undefined && (declared.length !== 2 || declared[0] !== kernel[0] || declared[1] !== kernel[1])) {
    throw new UnsupportedOpError(
      node.opType,
      node.name,
      `kernel_shape [${declared.join(',')}] disagrees with the weight's spatial size [${kernel.join(',')}]`,
    );
  }
  const autoPadName = node.attrs.string('auto_pad', 'NOTSET');
  const autoPad = AUTO_PAD[autoPadName];
  if (autoPad === undefined) {
    throw new UnsupportedOpError(node.opType, node.name, `auto_pad '${autoPadName}' is not one of NOTSET, SAME_UPPER, SAME_LOWER, VALID`);
  }
  const padsAttr = node.attrs.ints('pads') ?? [0, 0, 0, 0];
  if (padsAttr.length !== 4 || padsAttr.some((p) => !Number.isInteger(p) || p < 0)) {
    throw new UnsupportedOpError(
      node.opType,
      node.name,
      `pads [${padsAttr.join(',')}] must be four non-negative integers for a 2-D window`,
    );
  }
  // ONNX pads are [H_begin, W_begin, H_end, W_end], which is the IR's [top, left, bottom, right].
  const pads: Pads2D = autoPad === 'explicit' ? [padsAttr[0]!, padsAttr[1]!, padsAttr[2]!, padsAttr[3]!] : [0, 0, 0, 0];
  return {
    kernel,
    strides: pair(node, 'strides', [1, 1]),
    dilations: pair(node, 'dilations', [1, 1]),
    pads,
    autoPad,
  };
}

/** Output height and width of a window op, null where the input size is unknown. */
export function windowOutputHW(window: Window2D, inH: number | null, inW: number | null, ceil: boolean): [number | null, number | null] {
  const axis = (size: number | null, i: 0 | 1): number | null => {
    if (size === null) return null;
    const stride = window.strides[i];
    if (window.autoPad === 'same-upper' || window.autoPad === 'same-lower') return Math.ceil(size / stride);
    const span = (window.kernel[i] - 1) * window.dilations[i] + 1;
    if (window.autoPad === 'valid') return Math.floor((size - span) / stride) + 1;
    return windowOutput(size, window.kernel[i], stride, window.dilations[i], window.pads[i]!, window.pads[i + 2]!, ceil);
  };
  return [axis(inH, 0), axis(inW, 1)];
}
