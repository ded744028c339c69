import type { Shape } from '@motiondelta/core';
import type { ResolvedNode } from '../shape/op-shapes.js';

/** How a node runs in delta mode. */
export type NodeClass =
  { readonly kind: 'linear' | 'binary' | 'maxpool' | 'activation' } | { readonly kind: 'island'; readonly reason: string };

const island = (reason: string): NodeClass => ({ kind: 'island', reason });

/**
 * Decides whether a node propagates deltas (linear), keeps accumulated state (activation,
 * max pooling, elementwise ops on two varying operands), or must run as a dense island. Every
 * varying tensor on the delta path is NHWC: anything else (flattened heads, matrix products)
 * is an island.
 */
export function classifyNode(
  resolved: ResolvedNode,
  inputShapes: readonly (Shape | undefined)[],
  isConstant: (value: string) => boolean,
): NodeClass {
  const { node } = resolved;
  const varying = node.inputs.map((name, i) => ({ name, shape: inputShapes[i] })).filter((v) => v.name !== '' && !isConstant(v.name));
  if (resolved.outputShape.length !== 4) return island(`output is rank ${resolved.outputShape.length}, the delta path is NHWC`);
  if (varying.some((v) => v.shape?.length !== 4)) return island('an input is not NHWC');
  const onlyFirstVaries = varying.length === 1 && varying[0]!.name === node.inputs[0];

  switch (node.op) {
    case 'Conv2D':
    case 'ConvTranspose2D':
      return onlyFirstVaries ? { kind: 'linear' } : island('weights computed at run time');
    case 'AvgPool2D':
    case 'GlobalAvgPool':
    case 'Resize':
    case 'Identity':
      return { kind: 'linear' };
    case 'BatchNorm':
      return onlyFirstVaries ? { kind: 'linear' } : island('BatchNorm parameters computed at run time');
    case 'Pad': {
      const p = node.attrs.pads;
      const spatialOnly = p[0] === 0 && p[3] === 0 && p[4] === 0 && p[7] === 0;
      return spatialOnly ? { kind: 'linear' } : island('padding outside height and width');
    }
    case 'Concat':
      return node.attrs.axis === 3 || node.attrs.axis === -1 ? { kind: 'linear' } : island('concatenation outside the channel axis');
    case 'MaxPool2D':
      return { kind: 'maxpool' };
    case 'Activation':
      return { kind: 'activation' };
    case 'Add':
    case 'Sub': {
      const sameShape = varying.every((v) => sameDims(v.shape!, resolved.outputShape));
      return sameShape ? { kind: 'linear' } : { kind: 'binary' };
    }
    case 'Mul':
    case 'Div': {
      const constantSecond = node.op === 'Div' ? isConstant(node.inputs[1]!) : varying.length === 1;
      return constantSecond && varying.length === 1 && sameDims(varying[0]!.shape!, resolved.outputShape)
        ? { kind: 'linear' }
        : { kind: 'binary' };
    }
    case 'Max':
    case 'Min':
      // Not linear, and the stateful binary step (and its native kernels) covers Add/Sub/Mul/Div only.
      return island(`${node.op} has no delta form yet (the delta binary step covers Add, Sub, Mul and Div)`);
    case 'Reduce':
      return island('reductions run densely over accumulated values (no delta form yet)');
    case 'Slice':
    case 'DepthToSpace':
    case 'SpaceToDepth':
      // Linear (a selection or permutation of values), but a delta form must also move the
      // active-pixel mask and list; until the delta kernels have one, these run densely.
      return island(`${node.op} has no delta form yet (it would need to remap the active-pixel mask)`);
    default:
      return island(`${node.op} has no delta form`);
  }
}

function sameDims(a: Shape, b: Shape): boolean {
  return a.length === b.length && a.every((d, i) => d === b[i]);
}
