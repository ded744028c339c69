import type { BlockGrid } from '@motiondelta/core';
import { inputChannels, type PolicyArchitecture } from './architecture.js';

/** What the network looks at for one frame, besides the architecture and grid. */
export interface PolicyInputParts {
  /** The frame, NHWC batch 1 (grid.height x grid.width x frameChannels). */
  readonly frame: Float32Array;
  /** The last executed frame per block, same layout. */
  readonly executedFrame: Float32Array;
  /** Multiplies frame values so that they fall in about [-1, 1]. */
  readonly frameScale: number;
  /** The previous output reduced by `outputFeatures` to the map below (ph x pw x outputChannels). */
  readonly outputFeatures: Float32Array;
  /** Previous decisions, row-major over the grid (1 = executed). */
  readonly previousDecisions: Uint8Array;
}

/**
 * The network input [1, rows*ppb, cols*ppb, C]: frame, last executed frame, reduced previous
 * output, previous decisions (-0.5 copied, +0.5 executed), each sampled nearest at `ppb` pixels
 * per block (BlockCopy's quarter resolution for 128-pixel blocks and ppb 32).
 */
export function buildPolicyInput(a: PolicyArchitecture, grid: BlockGrid, parts: PolicyInputParts): { data: Float32Array; shape: number[] } {
  const ppb = a.pixelsPerBlock;
  const ph = grid.rows * ppb;
  const pw = grid.cols * ppb;
  const cin = inputChannels(a);
  const fc = a.frameChannels;
  const k = a.outputChannels;
  const unit = grid.blockSize / ppb;
  const data = new Float32Array(ph * pw * cin);
  const { frame, executedFrame, frameScale: s, outputFeatures: of, previousDecisions: d } = parts;
  for (let py = 0; py < ph; py++) {
    const y = Math.min(grid.height - 1, Math.floor((py + 0.5) * unit));
    const r = Math.floor(py / ppb);
    for (let px = 0; px < pw; px++) {
      const x = Math.min(grid.width - 1, Math.floor((px + 0.5) * unit));
      const src = (y * grid.width + x) * fc;
      let o = (py * pw + px) * cin;
      for (let c = 0; c < fc; c++) data[o++] = frame[src + c]! * s;
      for (let c = 0; c < fc; c++) data[o++] = executedFrame[src + c]! * s;
      const f = (py * pw + px) * k;
      for (let c = 0; c < k; c++) data[o++] = of[f + c]!;
      data[o] = d[r * grid.cols + Math.floor(px / ppb)]! - 0.5;
    }
  }
  return { data, shape: [1, ph, pw, cin] };
}
