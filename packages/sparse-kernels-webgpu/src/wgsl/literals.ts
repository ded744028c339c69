/**
 * WGSL spellings of host numbers. Floats are written as their exact float32 bit pattern, so a
 * baked attribute (a clip bound, a PReLU slope, an epsilon) means in the shader exactly what it
 * means on the host, with no decimal round trip.
 */
const f32 = new Float32Array(1);
const u32 = new Uint32Array(f32.buffer);

/** A float32 constant as a WGSL expression (`bitcast<f32>(0x...u)`); non-finite values are refused. */
export function f32Literal(value: number): string {
  if (!Number.isFinite(value)) throw new RangeError(`f32Literal: ${value} is not finite; WGSL constants must be finite.`);
  f32[0] = value;
  if (Number.isInteger(f32[0]) && Math.abs(f32[0]) < 1 << 24) return `${f32[0].toFixed(1)}`;
  return `bitcast<f32>(0x${u32[0]!.toString(16)}u)`;
}

/** An unsigned constant (`12u`), for sizes and strides. */
export function u32Literal(value: number): string {
  if (!Number.isSafeInteger(value) || value < 0 || value > 0xffffffff) {
    throw new RangeError(`u32Literal: ${value} is not an unsigned 32-bit integer.`);
  }
  return `${value}u`;
}

/** A signed constant (`-3i`), for offsets that may be negative (pads). */
export function i32Literal(value: number): string {
  if (!Number.isSafeInteger(value) || value < -0x80000000 || value > 0x7fffffff) {
    throw new RangeError(`i32Literal: ${value} is not a signed 32-bit integer.`);
  }
  return `${value}i`;
}
