import type { UpdateMask } from '@motiondelta/graph-runtime';
import type { RgbImage } from '@motiondelta/video-io';
import type { SampleFrame } from '../run-summary.js';

/** One node's update masks at each sampled frame. */
export interface MaskRow {
  readonly node: string;
  readonly op: string;
  /** [height, width] of the node's output grid. */
  readonly grid: readonly [number, number];
  /** One per sample, in sample order; undefined where that sample has no mask for the node. */
  readonly cells: readonly (MaskCell | undefined)[];
}

export interface MaskCell {
  readonly image: RgbImage;
  /** Fraction of the node's output pixels updated on that frame. */
  readonly active: number;
}

/** The first image of a mask as grey pixels: white = updated, near-black = kept from before. */
function maskImage(mask: UpdateMask): MaskCell {
  const [, h, w] = mask.shape;
  const data = new Uint8Array(h * w * 3);
  let on = 0;
  for (let p = 0; p < h * w; p++) {
    const updated = mask.mask[p] !== 0;
    if (updated) on++;
    // Not pure black, so a mask with nothing updated still shows its outline on a dark page.
    data.fill(updated ? 255 : 40, p * 3, p * 3 + 3);
  }
  return { image: { width: w, height: h, data }, active: h * w > 0 ? on / (h * w) : 0 };
}

/**
 * Rows of mask pictures, one per node in execution order, one column per sampled frame: how each
 * layer's updates spread or shrink over time.
 */
export function maskRows(samples: readonly SampleFrame[]): MaskRow[] {
  const order: string[] = [];
  const seen = new Set<string>();
  for (const sample of samples) {
    for (const m of sample.masks) {
      if (!seen.has(m.node)) {
        seen.add(m.node);
        order.push(m.node);
      }
    }
  }
  const bySample = samples.map((s) => new Map(s.masks.map((m) => [m.node, m] as const)));
  return order.map((node) => {
    const first = bySample.map((m) => m.get(node)).find((m) => m !== undefined)!;
    return {
      node,
      op: samples.map((s) => s.ops[node]).find((op) => op !== undefined) ?? '',
      grid: [first.shape[1], first.shape[2]],
      cells: bySample.map((m) => {
        const mask = m.get(node);
        return mask ? maskImage(mask) : undefined;
      }),
    };
  });
}
