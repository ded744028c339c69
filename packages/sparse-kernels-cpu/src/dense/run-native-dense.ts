import { OP_NAMES } from '@motiondelta/core';
import type { DenseKernelCall, OpName, Tensor } from '@motiondelta/core';
import { activation } from './activation.js';
import { batchNorm } from './batch-norm.js';
import { binary } from './binary.js';
import { concat } from './concat.js';
import { conv2d } from './conv2d.js';
import type { ConvWeightPacks } from './conv-weight-packs.js';
import { convTranspose2d } from './conv-transpose2d.js';
import { gemm } from './gemm.js';
import { globalAvgPool } from './global-avg-pool.js';
import { matmul } from './matmul.js';
import type { NativeDenseAddon } from './native-dense-addon.js';
import { pad } from './pad.js';
import { pool2d } from './pool2d.js';
import { resize } from './resize.js';
import { reduce, stridedCopy } from './structural.js';

/**
 * Ops computed by native dense kernels, with every attribute combination the spec allows. The
 * others are cheap shape ops (a reshape, a transpose, a softmax) that the injected fallback
 * backend runs per node; compiled programs run those natively too.
 */
const NATIVE_DENSE_OPS: ReadonlySet<OpName> = new Set<OpName>([
  'Conv2D',
  'ConvTranspose2D',
  'MaxPool2D',
  'AvgPool2D',
  'GlobalAvgPool',
  'Activation',
  'BatchNorm',
  'Add',
  'Sub',
  'Mul',
  'Div',
  'Max',
  'Min',
  'Concat',
  'Pad',
  'Resize',
  'MatMul',
  'Gemm',
  'Reduce',
  'Slice',
  'DepthToSpace',
  'SpaceToDepth',
]);

/** Which ops run natively and which go to the fallback backend. */
export function nativeDenseCoverage(): { readonly native: readonly OpName[]; readonly fallback: readonly OpName[] } {
  return {
    native: OP_NAMES.filter((op) => NATIVE_DENSE_OPS.has(op)),
    fallback: OP_NAMES.filter((op) => !NATIVE_DENSE_OPS.has(op)),
  };
}

/** Whether `op` has a native dense kernel. */
export function hasNativeDenseKernel(op: OpName): boolean {
  return NATIVE_DENSE_OPS.has(op);
}

/**
 * Runs a call on its native kernel; `undefined` when the op has none (the caller falls back).
 * `packs` caches packed convolution weights across calls (one per backend).
 */
export function runNativeDense(addon: NativeDenseAddon, call: DenseKernelCall, packs: ConvWeightPacks): Promise<Tensor> | undefined {
  switch (call.op) {
    case 'Conv2D':
      return conv2d(addon, call, packs);
    case 'ConvTranspose2D':
      return convTranspose2d(addon, call);
    case 'MaxPool2D':
    case 'AvgPool2D':
      return pool2d(addon, call);
    case 'GlobalAvgPool':
      return globalAvgPool(addon, call);
    case 'Activation':
      return activation(addon, call);
    case 'BatchNorm':
      return batchNorm(addon, call);
    case 'Add':
    case 'Sub':
    case 'Mul':
    case 'Div':
    case 'Max':
    case 'Min':
      return binary(addon, call);
    case 'Concat':
      return concat(addon, call);
    case 'Pad':
      return pad(addon, call);
    case 'Resize':
      return resize(addon, call);
    case 'MatMul':
      return matmul(addon, call);
    case 'Gemm':
      return gemm(addon, call);
    case 'Reduce':
      return reduce(addon, call);
    case 'Slice':
    case 'DepthToSpace':
    case 'SpaceToDepth':
      return stridedCopy(addon, call);
    default:
      return undefined;
  }
}
