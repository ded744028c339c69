import { ShapeError } from './errors.js';
import { formatShape, type Shape } from './tensor.js';

/**
 * Output shape of DepthToSpace (`toSpace`) or SpaceToDepth on an NHWC input with block size `b`:
 * [N,H,W,C*b^2] <-> [N,H*b,W*b,C]. The checks shape inference and every backend share.
 *
 * @example
 * ```ts
 * depthSpaceShape('DepthToSpace', [1, 4, 4, 12], 2, true); // [1, 8, 8, 3]
 * ```
 * @throws ShapeError unless the input is 4-D and the block size a whole number >= 1 that divides
 *   the channels (DepthToSpace) or the height and width (SpaceToDepth)
 */
export function depthSpaceShape(op: string, input: Shape, blockSize: number, toSpace: boolean): [number, number, number, number] {
  if (input.length !== 4) throw new ShapeError(`${op}: input has shape ${formatShape(input)}; expected rank 4 (NHWC).`);
  if (!Number.isSafeInteger(blockSize) || blockSize < 1) {
    throw new ShapeError(`${op}: block size ${blockSize} must be a whole number >= 1.`);
  }
  const [n, h, w, c] = input as [number, number, number, number];
  const b = blockSize;
  if (toSpace) {
    if (c % (b * b) !== 0) {
      throw new ShapeError(`${op}: ${c} channels of input ${formatShape(input)} are not divisible by blockSize^2 = ${b * b}.`);
    }
    return [n, h * b, w * b, c / (b * b)];
  }
  if (h % b !== 0 || w % b !== 0) {
    throw new ShapeError(`${op}: height and width of input ${formatShape(input)} must be divisible by the block size ${b}.`);
  }
  return [n, h / b, w / b, c * b * b];
}
