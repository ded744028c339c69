import { randomInt, uniform, type Rng, type Tensor } from '@motiondelta/core';

/** A changing world: a random image in which random rectangles get new content now and then. */
export class ChangingWorld {
  readonly data: Float32Array;
  constructor(
    readonly height: number,
    readonly width: number,
    private readonly rng: Rng,
  ) {
    this.data = new Float32Array(height * width * 3).map(() => uniform(rng, -1, 1));
  }

  /** New content in one random rectangle of 1 to 6 pixels a side. */
  change(): void {
    const rh = randomInt(this.rng, 1, 6);
    const rw = randomInt(this.rng, 1, 6);
    const y0 = randomInt(this.rng, 0, this.height - rh);
    const x0 = randomInt(this.rng, 0, this.width - rw);
    for (let y = y0; y < y0 + rh; y++)
      for (let x = x0; x < x0 + rw; x++) for (let c = 0; c < 3; c++) this.data[(y * this.width + x) * 3 + c] = uniform(this.rng, -1, 1);
  }

  /** The h x w window at (y0, x0), as an NHWC frame. */
  crop(y0: number, x0: number, h: number, w: number): Tensor {
    const out = new Float32Array(h * w * 3);
    for (let y = 0; y < h; y++)
      out.set(this.data.subarray(((y0 + y) * this.width + x0) * 3, ((y0 + y) * this.width + x0 + w) * 3), y * w * 3);
    return { data: out, shape: [1, h, w, 3] };
  }

  /**
   * The frame of a camera that rotates and zooms about the world origin, then translates: world
   * position = (scale * rotation) * frame position + t, sampled nearest (so frames are exact
   * world values) with a margin of `margin` pixels; outside the world reads 0.
   */
  view(h: number, w: number, homography: readonly number[], margin: number): Tensor {
    const [ca, msa, tx, sa, , ty] = homography as [number, number, number, number, number, number];
    const data = new Float32Array(h * w * 3);
    for (let y = 0; y < h; y++) {
      for (let x = 0; x < w; x++) {
        const wx = Math.round(ca * x + msa * y + tx) + margin;
        const wy = Math.round(sa * x + ca * y + ty) + margin;
        const inside = wx >= 0 && wy >= 0 && wx < this.width && wy < this.height;
        for (let c = 0; c < 3; c++) data[(y * w + x) * 3 + c] = inside ? this.data[(wy * this.width + wx) * 3 + c]! : 0;
      }
    }
    return { data, shape: [1, h, w, 3] };
  }
}
