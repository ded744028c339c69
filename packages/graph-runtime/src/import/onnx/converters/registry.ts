import type { ImportContext, OnnxNode } from '../context.js';
import { convertClip, convertPRelu, convertSimpleActivation } from './activation.js';
import { convertBatchNormalization } from './batch-norm.js';
import { convertConcat } from './concat.js';
import { convertConstant } from './constant.js';
import { convertConv, convertConvTranspose } from './conv.js';
import { convertBinary } from './elementwise.js';
import { convertGemm, convertMatMul } from './matmul.js';
import { convertPad } from './pad.js';
import { convertAveragePool, convertGlobalAveragePool, convertMaxPool } from './pool.js';
import { convertResize, convertUpsample } from './resize.js';
import { convertFlatten, convertIdentity, convertReshape, convertSqueeze, convertTranspose, convertUnsqueeze } from './shape-ops.js';
import { convertSoftmax } from './softmax.js';

export type Converter = (node: OnnxNode, ctx: ImportContext) => void;

/** Every ONNX op (default domain) the importer understands. */
export const CONVERTERS: ReadonlyMap<string, Converter> = new Map<string, Converter>([
  ['Constant', convertConstant],
  ['Conv', convertConv],
  ['ConvTranspose', convertConvTranspose],
  ['MaxPool', convertMaxPool],
  ['AveragePool', convertAveragePool],
  ['GlobalAveragePool', convertGlobalAveragePool],
  ['BatchNormalization', convertBatchNormalization],
  ['Relu', convertSimpleActivation],
  ['Sigmoid', convertSimpleActivation],
  ['Tanh', convertSimpleActivation],
  ['HardSwish', convertSimpleActivation],
  ['HardSigmoid', convertSimpleActivation],
  ['LeakyRelu', convertSimpleActivation],
  ['Clip', convertClip],
  ['PRelu', convertPRelu],
  ['Add', convertBinary],
  ['Sub', convertBinary],
  ['Mul', convertBinary],
  ['Div', convertBinary],
  ['Concat', convertConcat],
  ['Softmax', convertSoftmax],
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
]);
