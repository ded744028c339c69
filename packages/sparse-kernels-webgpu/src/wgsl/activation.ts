import type { ActivationSpec } from '@motiondelta/core';
import { f32Literal, u32Literal } from './literals.js';

/**
 * Helpers activations call. NaN and infinities come from runtime bit patterns (a `var`), because
 * WGSL refuses a constant expression that evaluates to a non-finite value, and because `log`,
 * `sqrt` and `pow` are undefined outside their domains in WGSL while the host's math gives
 * NaN/-inf there, which the kernels must reproduce.
 */
const HELPERS = `
fn md_nan() -> f32 { var bits = 0x7fc00000u; return bitcast<f32>(bits); }
fn md_inf(negative: bool) -> f32 { var bits = select(0x7f800000u, 0xff800000u, negative); return bitcast<f32>(bits); }
fn md_tanh(v: f32) -> f32 {
  // tanh(v) for |v| > 10 is +-1 in float32; some drivers compute it as inf / inf there.
  return select(tanh(v), sign(v), abs(v) > 10.0);
}
fn md_expm1(v: f32) -> f32 {
  // exp(v) - 1 loses every digit near 0: use the series there (|v| < 1e-3 keeps the error < 1e-10).
  return select(exp(v) - 1.0, v + 0.5 * v * v + v * v * v / 6.0, abs(v) < 1e-3);
}
fn md_erf(v: f32) -> f32 {
  // Abramowitz & Stegun 7.1.26 (absolute error < 1.5e-7), odd extension.
  let a = abs(v);
  let t = 1.0 / (1.0 + 0.3275911 * a);
  let poly = t * (0.254829592 + t * (-0.284496736 + t * (1.421413741 + t * (-1.453152027 + t * 1.061405429))));
  return sign(v) * (1.0 - poly * exp(-a * a));
}
`;

/**
 * WGSL for an activation: helper functions and `fn md_act(v: f32, c: u32) -> f32` (c is the
 * channel, which only PReLU reads). Every attribute is baked into the source: sources differ only
 * where attributes do, so a pipeline cached by source never holds a runtime value.
 */
export function activationWgsl(spec: ActivationSpec | undefined): string {
  return `${HELPERS}
${spec?.kind === 'prelu' ? preluSlope(spec.slope) : ''}
fn md_act(v: f32, c: u32) -> f32 {
  ${spec === undefined ? 'return v;' : activationBody(spec)}
}
`;
}

function preluSlope(slope: Float32Array): string {
  return `const MD_SLOPE = array<f32, ${u32Literal(slope.length)}>(${[...slope].map(f32Literal).join(', ')});`;
}

function activationBody(spec: ActivationSpec): string {
  const f = f32Literal;
  switch (spec.kind) {
    case 'relu':
      return 'return select(v, 0.0, v < 0.0);';
    case 'clip':
      return `return select(select(v, ${f(spec.max)}, v > ${f(spec.max)}), ${f(spec.min)}, v < ${f(spec.min)});`;
    case 'leakyRelu':
      return `return select(v, ${f(spec.alpha)} * v, v < 0.0);`;
    case 'prelu':
      return spec.slope.length === 1 ? 'return select(v, MD_SLOPE[0] * v, v < 0.0);' : 'return select(v, MD_SLOPE[c] * v, v < 0.0);';
    case 'sigmoid':
      return 'return 1.0 / (1.0 + exp(-v));';
    case 'hardSigmoid':
      return `return clamp(${f(spec.alpha)} * v + ${f(spec.beta)}, 0.0, 1.0);`;
    case 'hardSwish':
      return 'return v * clamp(v / 6.0 + 0.5, 0.0, 1.0);';
    case 'tanh':
      return 'return md_tanh(v);';
    case 'elu':
      return `return select(v, ${f(spec.alpha)} * md_expm1(v), v < 0.0);`;
    case 'selu':
      return `return select(${f(spec.gamma)} * (${f(spec.alpha)} * md_expm1(v)), ${f(spec.gamma)} * v, v > 0.0);`;
    case 'celu':
      return `return select(${f(spec.alpha)} * md_expm1(v / ${f(spec.alpha)}), v, v > 0.0);`;
    case 'softplus':
      return 'return select(log(1.0 + exp(v)), v + log(1.0 + exp(-v)), v > 0.0);';
    case 'softsign':
      return 'return v / (1.0 + abs(v));';
    case 'gelu':
      return spec.approximate === 'tanh'
        ? 'return 0.5 * v * (1.0 + md_tanh(0.7978845608028654 * (v + 0.044715 * v * v * v)));'
        : 'return 0.5 * v * (1.0 + md_erf(v * 0.7071067811865476));';
    case 'swish':
      return `return v / (1.0 + exp(-${f(spec.alpha)} * v));`;
    case 'abs':
      return 'return abs(v);';
    case 'neg':
      return 'return -v;';
    case 'exp':
      return 'return exp(v);';
    case 'log':
      return 'if (v < 0.0 || v != v) { return md_nan(); }\n  if (v == 0.0) { return md_inf(true); }\n  return log(v);';
    case 'sqrt':
      return 'if (v < 0.0 || v != v) { return md_nan(); }\n  return sqrt(v);';
    case 'reciprocal':
      return 'if (v == 0.0) { return md_inf(bitcast<u32>(v) != 0u); }\n  return 1.0 / v;';
    case 'erf':
      return 'return md_erf(v);';
    case 'floor':
      return 'return floor(v);';
    case 'ceil':
      return 'return ceil(v);';
    case 'round':
      // WGSL's round() rounds halves to even, as the op does.
      return 'return round(v);';
    case 'pow':
      return powBody(spec.exponent);
  }
}

/** `v ^ e` with the host's semantics (NaN for a negative base to a fractional power, inf at 0 to a negative one). */
function powBody(e: number): string {
  if (e === 0) return 'return 1.0;';
  if (e === 1) return 'return v;';
  if (e === 2) return 'return v * v;';
  const f = f32Literal;
  const integer = Number.isInteger(e);
  const odd = integer && Math.abs(e) % 2 === 1;
  const zero = e > 0 ? (odd ? 'return v;' : 'return 0.0;') : `return md_inf(${odd ? 'bitcast<u32>(v) != 0u' : 'false'});`;
  const negative = integer ? `return ${odd ? '-' : ''}pow(-v, ${f(e)});` : 'return md_nan();';
  return `if (v != v) { return v; }\n  if (v == 0.0) { ${zero} }\n  if (v < 0.0) { ${negative} }\n  return pow(v, ${f(e)});`;
}
