import { DeltaBuffer } from '@motiondelta/core';
import type { Backend, LinearDeltaCall } from '@motiondelta/core';
import { ReferenceBackend } from '@motiondelta/reference-backend';
import { describe, expect, it } from 'vitest';
import { caseRng, conformanceCases, conformanceSeed } from '../src/index.js';
import type { CaseResult, ConformanceCase } from '../src/index.js';
import { dropPixel, everyPixelActive, pixelX, sabotaged } from './sabotage.js';

const seed = conformanceSeed();
const reference = new ReferenceBackend();
const all = conformanceCases();

async function runAll(backend: Backend, select: (c: ConformanceCase) => boolean): Promise<Map<string, CaseResult>> {
  const results = new Map<string, CaseResult>();
  for (const c of all.filter(select)) results.set(c.name, await c.run(backend, reference, caseRng(seed, c.name)));
  return results;
}

/** Names of the cases whose `ok` is not what was expected, for a readable assertion failure. */
function unexpected(results: Map<string, CaseResult>, expectOk: boolean): string[] {
  return [...results].filter(([, r]) => r.ok !== expectOk).map(([name, r]) => `${name}: ${r.message}`);
}

// Each sabotaged backend is the reference with one deliberate bug. The cases that exercise the
// bug must fail on every seed (this file runs on a fresh one each time: CONFORMANCE_SEED=${seed}),
// and, where it matters, the cases that do not exercise it must still pass.
describe(`the suite catches broken backends (seed ${seed})`, () => {
  it('a Conv2D that drops its bias', async () => {
    const backend = sabotaged('no-bias', {
      runDense: (call, ref) =>
        call.op === 'Conv2D' ? ref.runDense({ ...call, inputs: [call.inputs[0], call.inputs[1]] }) : ref.runDense(call),
    });
    const withBias = await runAll(backend, (c) => c.name.startsWith('dense/Conv2D/') && !c.name.includes('nobias'));
    const withoutBias = await runAll(backend, (c) => c.name.startsWith('dense/Conv2D/') && c.name.includes('nobias'));
    expect(withBias.size).toBeGreaterThan(10);
    expect(unexpected(withBias, false)).toEqual([]);
    expect(withoutBias.size).toBeGreaterThan(0);
    expect(unexpected(withoutBias, true)).toEqual([]);
  });

  it('a delta Conv2D that misses one output pixel on a tile border (x = 8)', async () => {
    const backend = sabotaged('missing-border-pixel', {
      delta: (d) => ({
        linear: async (call: LinearDeltaCall, out: DeltaBuffer) => {
          await d.linear(call, out);
          if (call.op !== 'Conv2D') return;
          for (let i = 0; i < out.count; i++) {
            if (pixelX(out, out.active[i]!) === 8) {
              dropPixel(out, out.active[i]!);
              return;
            }
          }
        },
      }),
    });
    const results = await runAll(backend, (c) => c.name.startsWith('delta/linear.Conv2D/') && /tile-borders|everything/.test(c.name));
    expect(results.size).toBeGreaterThan(10);
    expect(unexpected(results, false)).toEqual([]);
    // The message names the pixel that went missing.
    expect([...results.values()][0]!.message).toMatch(/missing \(n=\d+,y=\d+,x=8\)/);
  });

  it('a delta activation that ignores its threshold', async () => {
    const backend = sabotaged('no-threshold', {
      delta: (d) => ({ activation: (delta, spec, state, _threshold, out) => d.activation(delta, spec, state, 0, out) }),
    });
    const above = await runAll(
      backend,
      (c) => c.name.startsWith('delta/activation/') && c.name.includes(' t0.25 ') && !c.name.endsWith(' none'),
    );
    const atZero = await runAll(backend, (c) => c.name.startsWith('delta/activation/') && c.name.includes(' t0 '));
    expect(above.size).toBeGreaterThan(20);
    expect(unexpected(above, false)).toEqual([]);
    expect(unexpected(atZero, true)).toEqual([]);
  });

  it('a delta activation that emits changes equal to the threshold (>= instead of >)', async () => {
    const backend = sabotaged('ties-emitted', {
      delta: (d) => ({
        activation: (delta, spec, state, threshold, out) =>
          d.activation(delta, spec, state, threshold > 0 ? threshold * (1 - 1e-9) : -1e-30, out),
      }),
    });
    // Ties are planted only where every backend computes the same bits (exact activations).
    const exact = /\/(relu|clip|leakyRelu0\.125|prelu|hardSigmoid0\.25)/;
    const results = await runAll(
      backend,
      (c) => c.name.startsWith('delta/activation/') && exact.test(c.name) && /(scattered|everything)$/.test(c.name),
    );
    expect(results.size).toBeGreaterThan(20);
    expect(unexpected(results, false)).toEqual([]);
  });

  it('a sparsify that does not clear the output first (stale mask entries leak into the next frame)', async () => {
    const backend = sabotaged('stale-mask', {
      delta: (d) => ({
        sparsify: async (x, ref, threshold, out) => {
          const stale = Array.from(out.active.subarray(0, out.count));
          await d.sparsify(x, ref, threshold, out);
          for (const p of stale) out.mask[p] = 1;
        },
      }),
    });
    const results = await runAll(backend, (c) => c.name.startsWith('delta/sparsify/') && !c.name.includes(' everything '));
    expect(results.size).toBeGreaterThan(10);
    expect(unexpected(results, false)).toEqual([]);
    expect([...results.values()][0]!.message).toMatch(/stale/);
  });

  it('a delta Conv2D whose dense fallback reads the values of inactive pixels', async () => {
    const backend = sabotaged('reads-inactive', {
      delta: (d) => ({
        linear: async (call: LinearDeltaCall, out: DeltaBuffer) => {
          await d.linear(call, out);
          if (call.op !== 'Conv2D' || !(call.inputs[0] instanceof DeltaBuffer)) return;
          const dense = new DeltaBuffer(out.shape);
          await d.linear({ ...call, inputs: [everyPixelActive(call.inputs[0]), ...call.inputs.slice(1)] }, dense);
          const c = out.channels;
          for (let i = 0; i < out.count; i++) {
            const p = out.active[i]!;
            out.values.set(dense.values.subarray(p * c, p * c + c), p * c);
          }
        },
      }),
    });
    // A 1x1 convolution reads no neighbour, so it cannot see a neighbour's stale value.
    const reads = (c: ConformanceCase): boolean => c.name.startsWith('delta/linear.Conv2D/') && !c.name.includes('/1x1 ');
    const results = await runAll(backend, (c) => reads(c) && / (scattered|tile-borders|corners)$/.test(c.name));
    expect(results.size).toBeGreaterThan(10);
    expect(unexpected(results, false)).toEqual([]);
  });

  it('a delta Conv2D that marks extra pixels active (zero-valued whole tiles): masks must be identical', async () => {
    // Pixels the sabotage added. A case where it added none (a single input pixel whose dilated,
    // strided window reaches no output, or outputs that already fill their tiles) cannot fail.
    let added = 0;
    const backend = sabotaged('tile-masks', {
      delta: (d) => ({
        linear: async (call: LinearDeltaCall, out: DeltaBuffer) => {
          await d.linear(call, out);
          if (call.op !== 'Conv2D') return;
          const [, h, w] = out.shape;
          for (const p of Array.from(out.active.subarray(0, out.count))) {
            const n = Math.floor(p / (h * w));
            const y0 = Math.floor((p % (h * w)) / w) & ~7;
            const x0 = (p % w) & ~7;
            for (let y = y0; y < Math.min(y0 + 8, h); y++)
              for (let x = x0; x < Math.min(x0 + 8, w); x++) if (out.activate((n * h + y) * w + x)) added++;
          }
        },
      }),
    });
    const sabotagedCases = new Map<string, CaseResult>();
    for (const c of all.filter((c) => c.name.startsWith('delta/linear.Conv2D/') && / (single|corners)$/.test(c.name))) {
      const before = added;
      const result = await c.run(backend, reference, caseRng(seed, c.name));
      if (added > before) sabotagedCases.set(c.name, result);
    }
    expect(sabotagedCases.size).toBeGreaterThan(10);
    expect(unexpected(sabotagedCases, false)).toEqual([]);
  });

  it('a kernel that returns before its work is done (no promise to await)', async () => {
    const backend = sabotaged('fire-and-forget', {
      delta: (d) => ({
        activation: (delta, spec, state, threshold, out) => {
          setImmediate(() => {
            // Whatever the late work does, it must not become an unhandled error of this file.
            try {
              void d.activation(delta, spec, state, threshold, out);
            } catch {
              // ignored on purpose
            }
          });
        },
      }),
    });
    const results = await runAll(backend, (c) => c.name.startsWith('delta/activation/relu ') && c.name.endsWith('scattered'));
    expect(results.size).toBeGreaterThan(1);
    expect(unexpected(results, false)).toEqual([]);
  });

  it('a kernel that throws fails its case with the error, not the run', async () => {
    const backend = sabotaged('throws', {
      delta: () => ({
        maxPool: () => {
          throw new RangeError('boom');
        },
      }),
    });
    const results = await runAll(backend, (c) => c.name.startsWith('delta/maxPool/'));
    expect(results.size).toBeGreaterThan(10);
    for (const r of results.values()) {
      expect(r.ok).toBe(false);
      expect(r.message).toBe('threw RangeError: boom');
    }
  });

  it('a backend without delta kernels fails every delta case', async () => {
    const inner = new ReferenceBackend();
    const denseOnly: Backend = { id: 'dense-only', supports: (c) => inner.supports(c), runDense: (c) => inner.runDense(c) };
    const results = await runAll(denseOnly, (c) => c.kind === 'delta' && c.name.includes('Identity'));
    expect(results.size).toBeGreaterThan(0);
    expect(unexpected(results, false)).toEqual([]);
  });
});
