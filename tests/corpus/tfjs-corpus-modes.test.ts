import { basename } from 'node:path';
import { ensureData } from '@motiondelta/data';
import {
  BackendUnavailableError,
  MotionDeltaError,
  loadModel,
  tensorError,
  type DeltaSession,
  type Session,
  type TensorMap,
} from 'motiondelta';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { concreteShape, photoInput } from './corpus-inputs.js';
import { CORPUS } from './corpus-table.js';

/**
 * Every corpus model that imports runs in every mode (issue 13, part 2): on two frames (the
 * photo, then the photo with a patch changed), delta mode at threshold 0 equals dense inference
 * (relative L2 <= 1e-4, or max abs <= 1e-5 on outputs near zero), with dense islands where an op
 * has no delta form; motion mode on a static camera equals dense too, or refuses the model with a
 * typed error that names the node and the reason (motion runs no dense islands). The sparse part
 * of each model (share of its MACs outside islands) is printed for docs/MODEL-COVERAGE.md.
 */

type Feeds = Record<string, { data: Float32Array | Int32Array | Uint8Array; shape: number[] }>;

let photo = '';
let corpusDir = '';
let backend = 'cpu-native';
const rows: string[] = [];

beforeAll(async () => {
  corpusDir = (await ensureData('human-models')).dir;
  photo = (await ensureData('astronaut')).main;
  const probe = await loadModel(`${corpusDir}/selfie.json`);
  try {
    (await probe.createSession({ mode: 'dense', backend: ['cpu-native'] })).dispose();
  } catch (error) {
    if (!BackendUnavailableError.isInstance(error)) throw error;
    expect(process.env['CI'], `cpu-native must be built under CI: ${error.message}`).toBeFalsy();
    backend = 'reference';
  }
});

afterAll(() => {
  if (rows.length > 0)
    console.log(`| model | sparse part of the MACs (delta) | dense islands | motion mode |\n| --- | --- | --- | --- |\n${rows.join('\n')}`);
});

/** The frame after `feeds`: a patch of a quarter of the image (each side) brightened. */
function changed(feeds: Feeds): Feeds {
  const next: Feeds = {};
  for (const [name, t] of Object.entries(feeds)) {
    const data = t.data.slice();
    const [, h, w, c] = t.shape as [number, number, number, number];
    if (data instanceof Float32Array && t.shape.length === 4) {
      for (let y = h >> 2; y < h >> 1; y++)
        for (let x = w >> 2; x < w >> 1; x++) for (let k = 0; k < c; k++) data[(y * w + x) * c + k]! += 0.1;
    }
    next[name] = { data, shape: t.shape };
  }
  return next;
}

function expectClose(got: TensorMap, want: TensorMap, where: string): void {
  for (const [name, w] of Object.entries(want)) {
    const e = tensorError(got[name]!.data, w.data);
    expect(
      e.relL2 <= 1e-4 || e.maxAbs <= 1e-5,
      `${where} '${name}': relL2 ${e.relL2.toExponential(2)}, maxAbs ${e.maxAbs.toExponential(2)}`,
    ).toBe(true);
  }
}

describe('TF.js corpus in delta and motion mode, against dense', () => {
  for (const [name, expectation] of Object.entries(CORPUS)) {
    if (expectation.status !== 'pass') continue;
    it(
      `${name}: delta at threshold 0 equals dense; motion equals dense on a static camera or refuses with a typed error`,
      { timeout: 300_000 },
      async () => {
        const model = await loadModel(`${corpusDir}/${name}.json`);
        const first: Feeds = {};
        for (const info of model.inputs) first[info.name] = await photoInput(photo, concreteShape(info), info.dtype, expectation.range);
        const frames = [first, changed(first)];
        const open: Session[] = [];
        try {
          const dense = await model.createSession({ mode: 'dense', backend: [backend] });
          const delta = (await model.createSession({ mode: 'delta', threshold: 0, backend: [backend] })) as DeltaSession;
          open.push(dense, delta);
          const wanted: TensorMap[] = [];
          for (const [i, feeds] of frames.entries()) {
            wanted.push(await dense.run(feeds));
            expectClose(await delta.run(feeds), wanted[i]!, `${name} delta frame ${i}`);
          }
          expect(delta.stats().frames.map((f) => f.keyframe)).toEqual([true, false]);
          const fraction = delta.sparseMacFraction!;
          expect(fraction).toBeGreaterThan(0);
          expect(fraction).toBeLessThanOrEqual(1);

          let motionNote: string;
          try {
            const motion = await model.createSession({ mode: 'motion', threshold: 0, backend: [backend] });
            open.push(motion);
            for (const [i, feeds] of frames.entries()) expectClose(await motion.run(feeds), wanted[i]!, `${name} motion frame ${i}`);
            motionNote = 'runs, equals dense';
          } catch (error) {
            // Refusing is allowed, with a typed error that says where and why; a wrong output is not.
            if (!MotionDeltaError.isInstance(error)) throw error;
            expect(['UnsupportedOpError', 'OptionError', 'ShapeError']).toContain(error.name);
            motionNote = `refused: ${error.name}: ${error.message.split('. ')[0]!.slice(0, 120)}`;
          }
          const islands = delta.islands.map((i) => `${i.node} (${i.reason})`);
          rows.push(
            `| ${basename(name)} | ${(fraction * 100).toFixed(1)}% | ${islands.length === 0 ? 'none' : islands.slice(0, 3).join('; ') + (islands.length > 3 ? `; +${islands.length - 3} more` : '')} | ${motionNote} |`,
          );
        } finally {
          for (const s of open) s.dispose();
        }
      },
    );
  }
});
