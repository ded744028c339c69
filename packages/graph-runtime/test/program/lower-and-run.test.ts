import { createRng, randomFloat32, stepWrites, type Backend, type Executable, type Program, type Tensor } from '@motiondelta/core';
import { describe, expect, it } from 'vitest';
import { deltaMemory } from '../../src/delta/delta-memory.js';
import { planDelta } from '../../src/delta/delta-plan.js';
import { compileProgram, missingStepKind, programRoute, stepKindsOf } from '../../src/program/compile-program.js';
import { HostExecutable } from '../../src/program/host-executable.js';
import { lowerDelta } from '../../src/program/lower-delta.js';
import { lowerDense } from '../../src/program/lower-dense.js';
import { Model } from '../../src/model.js';
import { ReferenceBackend } from '@motiondelta/reference-backend';
import { planGraph } from '../../src/shape/plan-graph.js';
import { oddShapesNet } from '../helpers/odd-shapes-net.js';

const SHAPE = [1, 8, 12, 3];
const graph = oddShapesNet(7, { head: true });
const thresholds = { node: 0, input: 0, perNode: {} };

function lowered() {
  const plan = planDelta(graph, planGraph(graph, { x: SHAPE }), thresholds);
  return { plan, lowered: lowerDelta(graph, plan, new Map([['x', SHAPE]])) };
}

function frame(seed: number): Record<string, Tensor> {
  return {
    x: {
      data: randomFloat32(
        createRng(seed),
        SHAPE.reduce((a, b) => a * b, 1),
      ),
      shape: SHAPE,
    },
  };
}

describe('lowering a delta plan to a program', () => {
  it('gives a keyframe that writes every piece of state, and one frame step per plan step', () => {
    const { plan, lowered: l } = lowered();
    const program = l.program;
    const state = program.values.flatMap((v, id) => (v.lifetime === 'stream' ? [id] : []));
    const written = new Set(program.entries.keyframe.flatMap(stepWrites));
    expect(state.length).toBeGreaterThan(0);
    expect(state.filter((id) => !written.has(id))).toEqual([]);
    expect(program.entries.frame).toHaveLength(plan.steps.length);
    expect(l.info.frame).toHaveLength(plan.steps.length);
    // The head runs as dense islands on accumulated values, inside the frame entry.
    expect(plan.islands.length).toBeGreaterThan(0);
    expect(program.entries.frame!.some((s) => s.kind === 'dense')).toBe(true);
    expect(stepKindsOf(program)).toEqual(
      expect.arrayContaining(['dense', 'copy', 'sparsify', 'accumulate', 'linear', 'activation', 'binary', 'maxpool']),
    );
  });

  it('allocates on the host exactly the state the plan-time estimate counts', async () => {
    const { plan, lowered: l } = lowered();
    const executable = new HostExecutable(l.program, graph.constants, new ReferenceBackend());
    expect(executable.stateBytes).toBe(deltaMemory(plan).stateBytes);
  });
});

describe('the host executable', () => {
  it('skips every step of a frame identical to the keyframe, and returns the keyframe outputs', async () => {
    const executable = new HostExecutable(lowered().lowered.program, graph.constants, new ReferenceBackend());
    const input = frame(1);
    const key = await executable.run('keyframe', input);
    const again = await executable.run('frame', input);
    // Sparsifying the input runs (an input always changed); it finds nothing, so everything after it is skipped.
    expect(again.active[0]).toBe(0);
    expect([...again.active.subarray(1)].every((a) => a === -1)).toBe(true);
    for (const [name, t] of Object.entries(key.outputs)) expect(again.outputs[name]!.data).toEqual(t.data);
  });

  it('returns outputs the caller owns: changing them does not reach the state', async () => {
    const executable = new HostExecutable(lowered().lowered.program, graph.constants, new ReferenceBackend());
    const first = await executable.run('keyframe', frame(1));
    const name = Object.keys(first.outputs)[0]!;
    const kept = new Float32Array(first.outputs[name]!.data);
    first.outputs[name]!.data.fill(1e9);
    const second = await executable.run('frame', frame(1));
    expect(second.outputs[name]!.data).toEqual(kept);
  });
});

describe('compiling programs', () => {
  const dense = (): Program => {
    const plan = planGraph(graph, { x: SHAPE });
    return lowerDense(
      graph,
      plan,
      plan.steps.map(() => 0),
    ).program;
  };

  it("uses the backend's own compiler when it implements every step kind, the host otherwise", async () => {
    const compiled: Program[] = [];
    const fake: Executable = { run: () => Promise.reject(new Error('not run')), stateBytes: 0, dispose: () => undefined };
    const reference = new ReferenceBackend();
    const backend: Backend = {
      id: 'fake',
      supports: (call) => reference.supports(call),
      runDense: (call) => reference.runDense(call),
      delta: reference.delta,
      programs: { stepKinds: new Set(['dense']), compile: (p) => (compiled.push(p), fake) },
    };
    expect(await compileProgram(dense(), graph.constants, backend)).toBe(fake);
    const host = await compileProgram(lowered().lowered.program, graph.constants, backend);
    expect(host).toBeInstanceOf(HostExecutable);
    expect(compiled).toHaveLength(1);
  });

  it('runs a program its compiler declines on the host, and says why; sessions report the route', async () => {
    const reference = new ReferenceBackend();
    const fake: Executable = { run: () => Promise.reject(new Error('not run')), stateBytes: 0, dispose: () => undefined };
    const declining: Backend = {
      id: 'picky',
      supports: (call) => reference.supports(call),
      runDense: (call) => reference.runDense(call),
      programs: {
        stepKinds: new Set(['dense']),
        declines: (p) => (p.entries.keyframe.some((s) => s.kind === 'dense' && s.call.op === 'Conv2D') ? 'no Conv2D here' : undefined),
        compile: () => fake,
      },
    };
    expect(programRoute(dense(), declining)).toEqual({ host: 'no Conv2D here' });
    expect(await compileProgram(dense(), graph.constants, declining)).toBeInstanceOf(HostExecutable);
    expect(programRoute(dense(), reference)).toEqual({ host: "backend 'reference' has no program compiler" });
    const accepting: Backend = { ...declining, programs: { stepKinds: new Set(['dense']), compile: () => fake } };
    expect(programRoute(dense(), accepting)).toBe('native');
    expect(programRoute(lowered().lowered.program, accepting)).toEqual({
      host: "the program compiler of 'picky' does not implement 'copy' steps",
    });

    const model = new Model(graph);
    const session = await model.createSession({ backend: [declining] });
    expect(session.backendInfo.programs).toBeUndefined();
    const x = { data: new Float32Array(SHAPE.reduce((a, b) => a * b, 1)), shape: [...SHAPE] };
    await session.run({ x });
    expect(session.backendInfo).toEqual({ id: 'picky', skipped: [], programs: { host: 'no Conv2D here' } });
  });

  it('names the step kind a backend without delta kernels cannot run', () => {
    const reference = new ReferenceBackend();
    const denseOnly: Backend = { id: 'dense-only', supports: (c) => reference.supports(c), runDense: (c) => reference.runDense(c) };
    expect(missingStepKind(denseOnly, stepKindsOf(dense()))).toBeUndefined();
    expect(missingStepKind(denseOnly, stepKindsOf(lowered().lowered.program))).toBe('sparsify');
  });
});
