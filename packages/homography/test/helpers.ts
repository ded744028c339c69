/** A textured gray test image from a seeded value-noise field plus a few rectangles (corners). */
export function texturedGray(width: number, height: number, seed = 1): Uint8Array {
  const out = new Uint8Array(width * height);
  let s = seed >>> 0;
  const rand = () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 4294967296;
  };
  const cell = 8;
  const gw = Math.ceil(width / cell) + 2;
  const gh = Math.ceil(height / cell) + 2;
  const grid = new Float64Array(gw * gh);
  for (let i = 0; i < grid.length; i++) grid[i] = rand() * 255;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const gx = x / cell;
      const gy = y / cell;
      const x0 = Math.floor(gx);
      const y0 = Math.floor(gy);
      const fx = gx - x0;
      const fy = gy - y0;
      const v00 = grid[y0 * gw + x0]!;
      const v10 = grid[y0 * gw + x0 + 1]!;
      const v01 = grid[(y0 + 1) * gw + x0]!;
      const v11 = grid[(y0 + 1) * gw + x0 + 1]!;
      out[y * width + x] = Math.round(v00 * (1 - fx) * (1 - fy) + v10 * fx * (1 - fy) + v01 * (1 - fx) * fy + v11 * fx * fy);
    }
  }
  return out;
}
