import type { BlockGrid, Tensor } from '@motiondelta/core';

/**
 * The last executed frame per block: for each block, the input pixels of the last frame that
 * executed it, and how many frames ago that was. It is what copied features were computed from,
 * so differences against it (not against the previous frame) measure how stale a block is.
 */
export class ExecutedFrameMemory {
  /** NHWC pixels, each block holding its last executed frame's values; empty before the first frame. */
  pixels = new Float32Array(0);
  /** Frames since each block last executed (0 = executed at the last observed frame). */
  staleness = new Uint32Array(0);
  private grid: BlockGrid | undefined;
  private channels = 0;

  /** True once a frame has been recorded for this grid and channel count. */
  holds(grid: BlockGrid, channels: number): boolean {
    const g = this.grid;
    return (
      g !== undefined && g.height === grid.height && g.width === grid.width && g.blockSize === grid.blockSize && this.channels === channels
    );
  }

  /** Copies the pixels of the executed blocks of `input` in; a new grid or channel count starts over with everything. */
  record(input: Tensor, grid: BlockGrid, executed: Uint8Array): void {
    const channels = input.shape[3]!;
    if (!this.holds(grid, channels)) {
      this.grid = grid;
      this.channels = channels;
      this.pixels = new Float32Array(input.data);
      this.staleness = new Uint32Array(grid.rows * grid.cols);
      return;
    }
    const { width, blockSize: b, rows, cols, height } = grid;
    for (let r = 0; r < rows; r++) {
      for (let c = 0; c < cols; c++) {
        const i = r * cols + c;
        if (executed[i] === 0) {
          this.staleness[i]!++;
          continue;
        }
        this.staleness[i] = 0;
        const x0 = c * b * channels;
        const x1 = Math.min(width, (c + 1) * b) * channels;
        for (let y = r * b; y < Math.min(height, (r + 1) * b); y++) {
          const row = y * width * channels;
          this.pixels.set(input.data.subarray(row + x0, row + x1), row + x0);
        }
      }
    }
  }

  clear(): void {
    this.grid = undefined;
    this.channels = 0;
    this.pixels = new Float32Array(0);
    this.staleness = new Uint32Array(0);
  }
}
