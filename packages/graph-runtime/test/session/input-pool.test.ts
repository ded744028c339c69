import { describe, expect, it } from 'vitest';
import { InputPool } from '../../src/session/input-pool.js';

/** The session-owned input copies behind run(): validated, measured, and reused across frames. */
describe('InputPool', () => {
  const inputs = [{ name: 'x', shape: [1, null, null, 3], dtype: 'float32' as const }];
  const frame = (h: number) => ({ x: { data: new Float32Array(h * 4 * 3).fill(h), shape: [1, h, 4, 3] } });

  it('reuses a settled frame’s copies, so a stream of frames allocates no new ones', () => {
    const pool = new InputPool(inputs);
    const a = pool.admit(frame(2));
    pool.release(a);
    const b = pool.admit(frame(2));
    expect(b.tensors.x!.data).toBe(a.tensors.x!.data);
    expect(Array.from(b.tensors.x!.data)).toEqual(Array.from(frame(2).x.data));
  });

  it('gives frames in flight at once copies of their own, and keeps at most two spares', () => {
    const pool = new InputPool(inputs);
    const admitted = [1, 2, 3].map(() => pool.admit(frame(2)));
    expect(new Set(admitted.map((f) => f.tensors.x!.data)).size).toBe(3);
    for (const f of admitted) pool.release(f);
    expect(pool.spareBytes).toBe(2 * 2 * 4 * 3 * 4);
  });

  it('drops spares of another size when the frame size changes', () => {
    const pool = new InputPool(inputs);
    pool.release(pool.admit(frame(2)));
    const bigger = pool.admit(frame(3));
    expect(bigger.tensors.x!.data.length).toBe(3 * 4 * 3);
    expect(pool.spareBytes).toBe(0);
    pool.release(bigger);
    expect(pool.spareBytes).toBe(3 * 4 * 3 * 4);
  });

  it('measures each input’s largest magnitude while copying, and keeps nothing of a frame it refuses', () => {
    const pool = new InputPool(inputs);
    const data = new Float32Array(2 * 4 * 3);
    data[5] = -7.5;
    data[9] = 3;
    expect(pool.admit({ x: { data, shape: [1, 2, 4, 3] } }).peaks).toEqual([7.5]);
    data[9] = Number.NaN;
    expect(() => pool.admit({ x: { data, shape: [1, 2, 4, 3] } })).toThrow(/holds NaN at flat index 9/);
    expect(pool.spareBytes).toBe(2 * 4 * 3 * 4);
  });
});
