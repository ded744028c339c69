/**
 * Op families for the coverage tables, in priority order: a test whose graph mixes families
 * (pytorch-converted models, expanded functions) is counted under the first one it uses.
 */
const FAMILIES: readonly (readonly [family: string, ops: readonly string[]])[] = [
  ['convolution', ['Conv', 'ConvTranspose', 'ConvInteger', 'QLinearConv', 'DeformConv']],
  [
    'pooling',
    ['AveragePool', 'MaxPool', 'LpPool', 'GlobalAveragePool', 'GlobalMaxPool', 'GlobalLpPool', 'MaxUnpool', 'MaxRoiPool', 'RoiAlign'],
  ],
  [
    'normalization',
    [
      'BatchNormalization',
      'InstanceNormalization',
      'LRN',
      'LayerNormalization',
      'GroupNormalization',
      'MeanVarianceNormalization',
      'LpNormalization',
    ],
  ],
  ['recurrent', ['LSTM', 'GRU', 'RNN']],
  ['resize', ['Resize', 'Upsample', 'GridSample', 'AffineGrid', 'CenterCropPad']],
  ['matrix product', ['MatMul', 'Gemm', 'MatMulInteger', 'QLinearMatMul', 'Einsum', 'Det']],
  ['softmax', ['Softmax', 'LogSoftmax', 'Hardmax']],
  [
    'reduction',
    [
      'ReduceMax',
      'ReduceMin',
      'ReduceMean',
      'ReduceSum',
      'ReduceProd',
      'ReduceL1',
      'ReduceL2',
      'ReduceLogSum',
      'ReduceLogSumExp',
      'ReduceSumSquare',
      'ArgMax',
      'ArgMin',
      'CumSum',
      'TopK',
    ],
  ],
  [
    'activation',
    [
      'Relu',
      'LeakyRelu',
      'PRelu',
      'Sigmoid',
      'HardSigmoid',
      'HardSwish',
      'Tanh',
      'Elu',
      'Selu',
      'Celu',
      'Softplus',
      'Softsign',
      'ThresholdedRelu',
      'Gelu',
      'Mish',
      'Clip',
      'Shrink',
    ],
  ],
  [
    'elementwise math',
    [
      'Add',
      'Sub',
      'Mul',
      'Div',
      'Pow',
      'Abs',
      'Neg',
      'Exp',
      'Log',
      'Sqrt',
      'Reciprocal',
      'Erf',
      'Floor',
      'Ceil',
      'Round',
      'Sign',
      'Sin',
      'Cos',
      'Tan',
      'Asin',
      'Acos',
      'Atan',
      'Sinh',
      'Cosh',
      'Asinh',
      'Acosh',
      'Atanh',
      'Max',
      'Min',
      'Sum',
      'Mean',
      'Mod',
      'BitShift',
    ],
  ],
  [
    'comparison and logic',
    ['Equal', 'Greater', 'Less', 'GreaterOrEqual', 'LessOrEqual', 'And', 'Or', 'Xor', 'Not', 'Where', 'IsNaN', 'IsInf'],
  ],
  [
    'shape and layout',
    [
      'Reshape',
      'Flatten',
      'Transpose',
      'Squeeze',
      'Unsqueeze',
      'Concat',
      'Split',
      'Slice',
      'Expand',
      'Tile',
      'Pad',
      'DepthToSpace',
      'SpaceToDepth',
      'Gather',
      'GatherElements',
      'GatherND',
      'Scatter',
      'ScatterElements',
      'ScatterND',
      'Compress',
      'OneHot',
      'Trilu',
      'NonZero',
      'Unique',
      'ReverseSequence',
      'Shape',
      'Size',
      'Range',
      'ConstantOfShape',
      'EyeLike',
      'Identity',
    ],
  ],
  ['casts and quantization', ['Cast', 'CastLike', 'QuantizeLinear', 'DequantizeLinear', 'DynamicQuantizeLinear']],
  ['control flow and sequences', ['If', 'Loop', 'Scan']],
  ['random', ['RandomNormal', 'RandomUniform', 'RandomNormalLike', 'RandomUniformLike', 'Bernoulli', 'Multinomial', 'Dropout']],
];

const FAMILY_OF = new Map<string, number>(FAMILIES.flatMap(([, ops], index) => ops.map((op) => [op, index] as const)));

/** Every family name, in table order, then `other`. */
export const FAMILY_NAMES: readonly string[] = [...FAMILIES.map(([family]) => family), 'other'];

/**
 * The family a test counts under, from its graph's op types: the first family (in table order)
 * any of its ops belongs to; graphs with no such op count as `other`.
 *
 * @example
 * opFamily(['Constant', 'Conv', 'Relu']); // 'convolution'
 */
export function opFamily(ops: readonly string[]): string {
  let best = Number.POSITIVE_INFINITY;
  let unknown = false;
  for (const op of ops) {
    const index = FAMILY_OF.get(op);
    if (index !== undefined) best = Math.min(best, index);
    else if (op !== 'Constant') unknown = true;
  }
  if (Number.isFinite(best)) return FAMILIES[best]![0];
  // No op of any family: ops of their own (text, detection...), or a graph of Constant nodes only.
  return unknown ? 'other' : 'shape and layout';
}
