import type { ModelFacts } from './model-facts.js';

/**
 * Why a test is outside what MotionDelta sets out to run: a runtime for image CNNs on float32
 * feature maps. Every out-of-scope test still gets a typed error, never a crash.
 */
export type ScopeReason =
  | 'strings'
  | 'sequence, optional and map types'
  | 'training mode'
  | 'random outputs'
  | 'non-float32 dtypes'
  | '3-D (volumetric) spatial ops';

/** What each reason means, for the tables. */
export const SCOPE_REASONS: Readonly<Record<ScopeReason, string>> = {
  strings: 'string tensors (text ops); MotionDelta graphs carry float32 only',
  'sequence, optional and map types': 'graph values that are sequences, optionals or maps; the IR has tensors only',
  'training mode': 'training ops (ai.onnx.preview.training) and BatchNormalization with training_mode=1; MotionDelta runs inference',
  'random outputs': 'random generators (RandomNormal, Bernoulli...): outputs cannot be compared value by value',
  'non-float32 dtypes':
    'an output that is not float32, or an input that is neither float32 nor an integer parameter (bool, uint8, float16, double...)',
  '3-D (volumetric) spatial ops': 'convolution, pooling or resizing over 5-D (NCDHW) tensors; the IR is 2-D (NHWC)',
};

const RANDOM_OPS = new Set(['RandomNormal', 'RandomUniform', 'RandomNormalLike', 'RandomUniformLike', 'Bernoulli', 'Multinomial']);
const SPATIAL_OPS = new Set([
  'Conv',
  'ConvTranspose',
  'AveragePool',
  'MaxPool',
  'LpPool',
  'GlobalAveragePool',
  'GlobalMaxPool',
  'GlobalLpPool',
  'MaxUnpool',
  'BatchNormalization',
  'InstanceNormalization',
  'Resize',
  'Upsample',
]);
/** Integer inputs are parameters (shapes, axes, pads, sizes) that exported models keep as initializers. */
const INTEGER_PARAMETERS = new Set(['INT64', 'INT32']);

function usesTrainingMode(facts: ModelFacts): boolean {
  return (facts.proto.graph?.node ?? []).some((node) => {
    if (node.domain === 'ai.onnx.preview.training') return true;
    if (node.opType !== 'BatchNormalization') return false;
    const attr = node.attribute.find((a) => a.name === 'training_mode');
    // Before opset 14, training mode shows as the extra outputs (running mean and variance).
    return (attr !== undefined && attr.i !== 0n) || node.output.filter((o) => o !== '').length > 1;
  });
}

/**
 * The reason a test is out of scope, judged from its model alone (first that applies), or
 * undefined for a test MotionDelta should run: float32 in and out (integer parameters allowed).
 */
export function outOfScopeReason(facts: ModelFacts): ScopeReason | undefined {
  const values = [...facts.inputs, ...facts.outputs];
  if (values.some((v) => v.elemType === 'STRING')) return 'strings';
  if (values.some((v) => v.kind !== 'tensor' && v.kind !== 'undeclared')) return 'sequence, optional and map types';
  if (facts.ops.some((op) => /^(Sequence|Optional|SplitToSequence|ConcatFromSequence)/.test(op))) return 'sequence, optional and map types';
  if (usesTrainingMode(facts)) return 'training mode';
  if (facts.ops.some((op) => RANDOM_OPS.has(op))) return 'random outputs';
  if (facts.outputs.some((v) => v.elemType !== 'FLOAT')) return 'non-float32 dtypes';
  if (facts.inputs.some((v) => v.elemType !== 'FLOAT' && !INTEGER_PARAMETERS.has(v.elemType ?? ''))) return 'non-float32 dtypes';
  if (facts.ops.some((op) => SPATIAL_OPS.has(op)) && facts.inputs.some((v) => (v.rank ?? 0) >= 5)) return '3-D (volumetric) spatial ops';
  return undefined;
}

/** True when every input and output is float32 (no integer parameters either). */
export function allFloat32(facts: ModelFacts): boolean {
  return [...facts.inputs, ...facts.outputs].every((v) => v.kind === 'tensor' && v.elemType === 'FLOAT');
}
