/** Below this many values a zero-filled array is as cheap as any other. */
const UNINITIALIZED_FROM = 4096;

/**
 * The array a native kernel writes its output into. Every dense kernel overwrites every element
 * of its output, so large outputs skip the zero fill: on a model whose intermediates are
 * megabytes, zeroing fresh arrays costs as much as the memory-bound kernels themselves. Callers
 * must only use it for outputs the kernel writes in full, and never expose the array when the
 * kernel fails.
 */
export function allocOutput(length: number): Float32Array {
  if (length < UNINITIALIZED_FROM) return new Float32Array(length);
  return new Float32Array(Buffer.allocUnsafeSlow(length * 4).buffer, 0, length);
}
