import { readModelFrames } from '@motiondelta/dense-demo';
import { ensureData } from '@motiondelta/data';
import { Model, ReferenceBackend, loadModel } from '@motiondelta/graph-runtime';
import { createCpuNativeBackend } from '@motiondelta/sparse-kernels-cpu';
import { describe, expect, it } from 'vitest';
import { BlockSimulator } from '../../packages/graph-runtime/test/block/block-simulator.js';
import { SeededRandomPolicy, executeAll } from '../../packages/graph-runtime/test/block/test-policies.js';
import { relativeL2 } from '../../packages/graph-runtime/test/helpers/relative-l2.js';

/**
 * Block mode on a real model and real frames: posenet (MobileNet, depthwise and strided
 * convolutions down to stride 16, four output maps) on a 65x65 centre crop of the cube clip,
 * blocks of 16 pixels (a 5x5 grid, the last row and column one pixel wide). The file fixes
 * posenet's input at 385x385, but the network is fully convolutional: the test opens the input
 * size as the delta e2e tests do.
 */
async function posenet(): Promise<Model> {
  const model = await loadModel((await ensureData('posenet')).main);
  return new Model({ ...model.graph, inputs: model.graph.inputs.map((i) => ({ ...i, shape: [1, null, null, 3] })) });
}

const BACKENDS = {
  reference: () => new ReferenceBackend(),
  'cpu-native': () => createCpuNativeBackend({ threads: 2, fallback: new ReferenceBackend() }),
};

describe('block mode on posenet and the cube clip', () => {
  for (const [name, make] of Object.entries(BACKENDS)) {
    // The reference backend is the oracle: it must agree bit for bit; cpu-native within float rounding.
    const tolerance = name === 'reference' ? 0 : 1e-5;
    it(`${name}: every block executed equals dense, random blocks equal the simulator`, async () => {
      const model = await posenet();
      const input = model.inputs[0]!.name;
      const frames = await readModelFrames('posenet', { clip: 'cube', start: 0, count: 4, size: [65, 65] });
      const dense = await model.createSession({ mode: 'dense', backend: [new ReferenceBackend()], layout: 'nhwc' });
      const all = await model.createSession({
        mode: 'block',
        backend: [await make()],
        policy: executeAll(),
        blockSize: 16,
        layout: 'nhwc',
      });
      const policy = new SeededRandomPolicy(7, 0.4);
      const block = await model.createSession({
        mode: 'block',
        backend: [await make()],
        policy,
        blockSize: 16,
        sceneCut: Infinity,
        layout: 'nhwc',
      });
      const sim = new BlockSimulator(model.graph, 16);
      const problems: string[] = [];
      for (const [f, frame] of frames.entries()) {
        const want = await dense.run({ [input]: frame });
        const everything = await all.run({ [input]: frame });
        const got = await block.run({ [input]: frame });
        const simulated = await sim.step({ [input]: frame }, f === 0 ? undefined : policy.decided[f]);
        for (const out of model.outputs) {
          const e = relativeL2(everything[out.name]!.data, want[out.name]!.data);
          if (!(e <= tolerance)) problems.push(`all blocks, frame ${f}, ${out.name}: relL2 ${e}`);
          const s = relativeL2(got[out.name]!.data, simulated[out.name]!.data);
          if (!(s <= tolerance)) problems.push(`random blocks, frame ${f}, ${out.name}: relL2 ${s}`);
        }
      }
      expect(problems).toEqual([]);
      // cpu-native compiles the block programs (tiles steps included): one native call per frame.
      if (name === 'cpu-native') expect([all.backendInfo.programs, block.backendInfo.programs]).toEqual(['native', 'native']);
      const stats = block.stats().frames;
      expect(stats.map((s) => s.totalBlocks)).toEqual([25, 25, 25, 25]);
      // Fewer blocks, fewer MACs: the tiles computed only what the executed blocks reach.
      for (const s of stats.slice(1)) expect(s.macs).toBeLessThan(s.denseMacs);
    });
  }
});
