import { blockGridOf, createRng, type BlockGrid, type BlockPolicy, type Tensor } from '@motiondelta/core';

/** A synthetic clip: a fixed textured background with squares moving inside one region. */
export interface SyntheticClip {
  readonly frames: Tensor[];
  readonly grid: BlockGrid;
}

/**
 * `count` frames of `height` x `width` RGB in [0, 1]: seeded noise texture that never changes, and
 * `squares` bright squares bouncing inside the left half of the frame (the right half is static),
 * so only some blocks ever change.
 */
export function movingSquares(
  count: number,
  height: number,
  width: number,
  blockSize: number,
  seed: number,
  squares = 2,
  side = 10,
): SyntheticClip {
  const rng = createRng(seed);
  const background = new Float32Array(height * width * 3);
  for (let i = 0; i < background.length; i++) background[i] = 0.2 + 0.2 * rng.next();
  const regionW = Math.floor(width / 2);
  const movers = Array.from({ length: squares }, () => ({
    y: rng.next() * (height - side),
    x: rng.next() * (regionW - side),
    vy: (rng.next() < 0.5 ? -1 : 1) * (1 + 2 * rng.next()),
    vx: (rng.next() < 0.5 ? -1 : 1) * (1 + 2 * rng.next()),
    colour: [0.6 + 0.4 * rng.next(), 0.6 + 0.4 * rng.next(), 0.6 + 0.4 * rng.next()],
  }));
  const frames: Tensor[] = [];
  for (let t = 0; t < count; t++) {
    const data = new Float32Array(background);
    for (const m of movers) {
      const y0 = Math.round(m.y);
      const x0 = Math.round(m.x);
      for (let y = y0; y < y0 + side; y++) {
        for (let x = x0; x < x0 + side; x++) {
          for (let c = 0; c < 3; c++) data[(y * width + x) * 3 + c] = m.colour[c]!;
        }
      }
      m.y += m.vy;
      m.x += m.vx;
      if (m.y < 0 || m.y > height - side) {
        m.vy = -m.vy;
        m.y = Math.min(height - side, Math.max(0, m.y));
      }
      if (m.x < 0 || m.x > regionW - side) {
        m.vx = -m.vx;
        m.x = Math.min(regionW - side, Math.max(0, m.x));
      }
    }
    frames.push({ data, shape: [1, height, width, 3] });
  }
  return { frames, grid: blockGridOf(height, width, blockSize) };
}

/** Per frame, what a simulated block mode ran. */
export interface SimulatedFrame {
  readonly executed: Uint8Array;
  /** Blocks whose input pixels differ from the previous frame's. */
  readonly changed: Uint8Array;
}

/**
 * Runs `policy` over a clip the way block mode would, with the identity as the model: executed
 * blocks take the frame's pixels as output, copied blocks keep the previous output.
 */
export async function simulateBlockMode(policy: BlockPolicy, clip: SyntheticClip): Promise<SimulatedFrame[]> {
  const { grid } = clip;
  const n = grid.rows * grid.cols;
  let previousOutput: Tensor | undefined;
  let previousDecisions: Uint8Array | undefined;
  const result: SimulatedFrame[] = [];
  for (const [index, input] of clip.frames.entries()) {
    const decision = await policy.decide({
      index,
      input,
      grid,
      ...(previousOutput ? { previousOutput } : {}),
      ...(previousDecisions ? { previousDecisions } : {}),
    });
    const output = new Float32Array(previousOutput?.data ?? input.data);
    const changed = new Uint8Array(n);
    const prevFrame = index > 0 ? clip.frames[index - 1]!.data : undefined;
    for (let y = 0; y < grid.height; y++) {
      for (let x = 0; x < grid.width; x++) {
        const b = Math.floor(y / grid.blockSize) * grid.cols + Math.floor(x / grid.blockSize);
        for (let c = 0; c < 3; c++) {
          const p = (y * grid.width + x) * 3 + c;
          if (decision.execute[b]) output[p] = input.data[p]!;
          if (prevFrame && prevFrame[p] !== input.data[p]) changed[b] = 1;
        }
      }
    }
    const out: Tensor = { data: output, shape: input.shape };
    await policy.observe?.({ index, grid, executed: decision.execute, output: out, ...(previousOutput ? { previousOutput } : {}) });
    result.push({ executed: decision.execute, changed });
    previousOutput = out;
    previousDecisions = decision.execute;
  }
  return result;
}

/** Executed fraction over frames [from, to). */
export function executionRate(frames: readonly SimulatedFrame[], from: number, to = frames.length): number {
  let executed = 0;
  let total = 0;
  for (const f of frames.slice(from, to)) {
    for (const v of f.executed) executed += v;
    total += f.executed.length;
  }
  return executed / total;
}

/** Fraction of changed blocks that executed over frames [from, to). */
export function changedExecuted(frames: readonly SimulatedFrame[], from: number, to = frames.length): number {
  let hit = 0;
  let changed = 0;
  for (const f of frames.slice(from, to)) {
    for (let i = 0; i < f.changed.length; i++) {
      if (f.changed[i]) {
        changed++;
        hit += f.executed[i]!;
      }
    }
  }
  return hit / changed;
}
