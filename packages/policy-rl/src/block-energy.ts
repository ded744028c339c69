import type { BlockGrid } from '@motiondelta/core';

/**
 * Mean squared difference per block between two NHWC frames of the grid's size (`channels` per
 * pixel), row-major over the grid. Partial edge blocks average over the pixels they hold.
 */
export function blockEnergy(current: Float32Array, reference: Float32Array, grid: BlockGrid, channels: number): Float64Array {
  const { height, width, blockSize: b, rows, cols } = grid;
  const energy = new Float64Array(rows * cols);
  const counts = new Float64Array(rows * cols);
  for (let y = 0; y < height; y++) {
    const rowBase = Math.floor(y / b) * cols;
    let p = y * width * channels;
    for (let x = 0; x < width; x++) {
      const i = rowBase + Math.floor(x / b);
      let sum = 0;
      for (let ch = 0; ch < channels; ch++, p++) {
        const d = current[p]! - reference[p]!;
        sum += d * d;
      }
      energy[i]! += sum;
      counts[i]! += channels;
    }
  }
  for (let i = 0; i < energy.length; i++) energy[i] = energy[i]! / counts[i]!;
  return energy;
}
