import type { ImportContext, OnnxNode } from '../context.js';
import { convertClip, convertPRelu, convertSimpleActivation } from './activation.js';
import { convertBatchNormalization } from './batch-norm.js';
import { convertConcat } from './concat.js';
import { convertConstant } from './constant.js';
import { convertCast, convertConstantOfShape, convertRange } from './constant-folds.js';
import { convertConv, convertConvTranspose } from './conv.js';
import { convertDepthSpace } from './depth-space.js';
import { convertBinary } from './elementwise.js';
import { convertExpand, convertTile } from './expand-tile.js';
import { convertGemm, convertMatMul } from './matmul.js';
import { convertInstanceNormalization, convertLayerNormalization } from './normalization.js';
import { withOneDWindow } from './one-d-window.js';
import { convertPad } from './pad.js';
import { convertAveragePool, convertGlobalAveragePool, convertMaxPool } from './pool.js';
import { ONNX_REDUCE_OPS, convertGlobalMaxPool, convertReduce } from './reduce.js';
import { convertResize, convertUpsample } from './resize.js';
import { convertFlatten, convertIdentity, convertReshape, convertSqueeze, convertTranspose, convertUnsqueeze } from './shape-ops.js';
import { convertSlice, convertSplit } from './slice.js';
import { convertSoftmax } from './softmax.js';
import { ONNX_UNARY_MATH_OPS, convertPow, convertUnaryMath } from './unary-math.js';
import { convertVariadic } from './variadic.js';

export type Converter = (node: OnnxNode, ctx: ImportContext) => void;

/** Every ONNX op (default domain) the importer understands. */
export const CONVERTERS: ReadonlyMap<string, Converter> = new Map<string, Converter>([
  ['Constant', convertConstant],
  // Folded at import when their inputs are constants; Cast to float is an Identity (constant-folds.ts).
  ['Cast', convertCast],
  ['ConstantOfShape', convertConstantOfShape],
  ['Range', convertRange],
  // Window ops over [N,C,L] run as their 2-D forms over [N,C,L,1] (see withOneDWindow).
  ['Conv', withOneDWindow(convertConv)],
  ['ConvTranspose', withOneDWindow(convertConvTranspose)],
  ['MaxPool', withOneDWindow(convertMaxPool)],
  ['AveragePool', withOneDWindow(convertAveragePool)],
  ['GlobalAveragePool', withOneDWindow(convertGlobalAveragePool)],
  ['BatchNormalization', withOneDWindow(convertBatchNormalization)],
  // Composed from Reduce, Sub, Mul, Add, Div and a sqrt activation (see normalization.ts).
  ['InstanceNormalization', convertInstanceNormalization],
  ['LayerNormalization', convertLayerNormalization],
  ['Relu', convertSimpleActivation],
  ['Sigmoid', convertSimpleActivation],
  ['Tanh', convertSimpleActivation],
  ['HardSwish', convertSimpleActivation],
  ['HardSigmoid', convertSimpleActivation],
  ['LeakyRelu', convertSimpleActivation],
  ['Clip', convertClip],
  ['PRelu', convertPRelu],
  // Elementwise functions of one input (Elu ... Round), and Pow by a constant scalar.
  ...ONNX_UNARY_MATH_OPS.map((op): [string, Converter] => [op, convertUnaryMath]),
  ['Pow', convertPow],
  ['Add', convertBinary],
  ['Sub', convertBinary],
  ['Mul', convertBinary],
  ['Div', convertBinary],
  ['Concat', convertConcat],
  // Broadcasting against zeros, and Concat of copies (see expand-tile.ts).
  ['Expand', convertExpand],
  ['Tile', convertTile],
  ['Softmax', convertSoftmax],
  ['LogSoftmax', convertSoftmax],
  ['Pad', convertPad],
  ['Resize', convertResize],
  ['Upsample', convertUpsample],
  ['Gemm', convertGemm],
  ['MatMul', convertMatMul],
  ['Reshape', convertReshape],
  ['Flatten', convertFlatten],
  ['Transpose', convertTranspose],
  ['Squeeze', convertSqueeze],
  ['Unsqueeze', convertUnsqueeze],
  ['Identity', convertIdentity],
  ['Dropout', convertIdentity],
  // Structural ops (reductions, slicing, depth/space shuffles, variadic elementwise).
  ...ONNX_REDUCE_OPS.map((op): [string, Converter] => [op, convertReduce]),
  ['GlobalMaxPool', convertGlobalMaxPool],
  ['Max', convertVariadic],
  ['Min', convertVariadic],
  ['Sum', convertVariadic],
  ['Mean', convertVariadic],
  ['Slice', convertSlice],
  ['Split', convertSplit],
  ['DepthToSpace', convertDepthSpace],
  ['SpaceToDepth', convertDepthSpace],
]);
