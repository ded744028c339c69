import { DeltaBuffer, checkProgram } from '@motiondelta/core';
import type {
  ActivationSpec,
  ActivationState,
  BinaryState,
  DeltaKernels,
  Executable,
  LinearDeltaCall,
  MaxPoolState,
  Pool2DAttrs,
  Program,
  Shape,
  Step,
  Tensor,
  ValueDecl,
  ValueId,
} from '@motiondelta/core';
import type { NativeProgramCompiler } from '../src/program/native-program-compiler.js';

/**
 * The delta kernel set as compiled programs: each kernel call runs a small program through
 * cpu-native's program compiler, so that the conformance suite's delta cases check every delta
 * step kind as compiled programs run it.
 *
 * A program can only make a delta from tensors, so each varying input is rebuilt inside the
 * program, exactly: `ones` (1 at the delta's active pixels) and `rest` (its values minus 1 there)
 * are sparsified against zero references and added (a linear Add of two deltas), which gives the
 * same active pixels and, on the suites' value grids, the same values. The step under test then
 * runs on it with the given state (copied into stream values by the keyframe), and its output is
 * accumulated into a zeroed tensor so that the program's outputs carry its values at active
 * pixels; its mask comes from `updateMask`. Programs are cached per output buffer, so the second
 * frame of a case runs on the same compiled program, on the output delta the first frame left.
 */
export function programDeltaKernels(compiler: NativeProgramCompiler): DeltaKernels {
  const cache = new WeakMap<DeltaBuffer, { key: string; executable: Executable; program: Program }>();
  return {
    sparsify: (x, reference, threshold, out) =>
      runStep(compiler, cache, out, (b) => {
        const input = b.input('x', x.shape, x.data);
        const ref = b.state('reference', out.shape, reference);
        return { kind: 'sparsify', node: 'test', input, reference: ref, threshold, output: b.out };
      }),
    accumulate: (delta, target) =>
      runStep(compiler, cache, delta, (b) => {
        const input = b.delta('delta', delta);
        const t = b.state('target', delta.shape, target);
        return { kind: 'accumulate', node: 'test', input, target: t };
      }),
    linear: (call: LinearDeltaCall, out) =>
      runStep(compiler, cache, out, (b) => {
        const inputs = call.inputs.map((t, i) =>
          t === undefined ? null : t instanceof DeltaBuffer ? b.delta(`in${i}`, t) : b.constant(`c${i}`, t),
        );
        return {
          kind: 'linear',
          node: 'test',
          call: { op: call.op, attrs: call.attrs } as Extract<Step, { kind: 'linear' }>['call'],
          inputs,
          output: b.out,
        };
      }),
    activation: (delta: DeltaBuffer, activation: ActivationSpec, state: ActivationState, threshold: number, out: DeltaBuffer) =>
      runStep(compiler, cache, out, (b) => {
        const input = b.delta('delta', delta);
        const accumulated = b.state('accumulated', delta.shape, state.accumulated);
        const emitted = b.state('emitted', out.shape, state.emitted);
        return { kind: 'activation', node: 'test', input, activation, accumulated, emitted, threshold, output: b.out };
      }),
    maxPool: (delta: DeltaBuffer, attrs: Pool2DAttrs, state: MaxPoolState, threshold: number, out: DeltaBuffer) =>
      runStep(compiler, cache, out, (b) => {
        const input = b.delta('delta', delta);
        const accumulated = b.state('accumulated', delta.shape, state.accumulated);
        const emitted = b.state('emitted', out.shape, state.emitted);
        return { kind: 'maxpool', node: 'test', attrs, input, accumulated, emitted, threshold, output: b.out };
      }),
    binary: (op, a, b, state: BinaryState, threshold, out) =>
      runStep(compiler, cache, out, (p) => {
        const operand = (t: DeltaBuffer | Tensor, i: number): ValueId =>
          t instanceof DeltaBuffer ? p.delta(`in${i}`, t) : p.constant(`c${i}`, t);
        const inputs: [ValueId, ValueId] = [operand(a, 0), operand(b, 1)];
        const acc = [a, b].map((t, i) =>
          t instanceof DeltaBuffer ? p.state(`accumulated${i}`, (t as DeltaBuffer).shape, state.accumulated[i]!) : null,
        ) as [ValueId | null, ValueId | null];
        const emitted = p.state('emitted', out.shape, state.emitted);
        return { kind: 'binary', node: 'test', op, inputs, accumulated: acc, emitted, threshold, output: p.out };
      }),
  };
}

/** Declares a program's values and remembers what each frame must feed and read back. */
class Builder {
  readonly values: ValueDecl[] = [];
  readonly constants = new Map<string, Tensor>();
  readonly keyframe: Step[] = [];
  readonly frame: Step[] = [];
  readonly feeds = new Map<string, Float32Array>();
  /** Stream values to copy back into the caller's arrays, by output name. */
  readonly states = new Map<string, { value: ValueId; target: Float32Array }>();
  out: ValueId = -1;

  value(name: string, kind: ValueDecl['kind'], shape: Shape, lifetime: ValueDecl['lifetime']): ValueId {
    return this.values.push({ name, kind, shape, lifetime }) - 1;
  }

  input(name: string, shape: Shape, data: Float32Array): ValueId {
    this.feeds.set(name, data);
    return this.value(name, 'tensor', shape, 'input');
  }

  constant(name: string, t: Tensor): ValueId {
    this.constants.set(name, t);
    return this.value(name, 'tensor', t.shape, 'constant');
  }

  /** A stream value the keyframe fills from `data`, read back into it after the frame. */
  state(name: string, shape: Shape, data: Float32Array): ValueId {
    const init = this.input(`${name}#init`, [data.length], Float32Array.from(data));
    const value = this.value(
      name,
      'tensor',
      shape.length === 0 || data.length !== shape.reduce((a, b) => a * b, 1) ? [data.length] : shape,
      'stream',
    );
    this.keyframe.push({ kind: 'copy', node: 'init', input: init, output: value });
    this.states.set(name, { value, target: data });
    return value;
  }

  /** The delta `d`, rebuilt inside the program (see programDeltaKernels). */
  delta(name: string, d: DeltaBuffer): ValueId {
    const ones = new Float32Array(d.values.length);
    const rest = new Float32Array(d.values.length);
    const c = d.channels;
    for (let i = 0; i < d.count; i++) {
      const p = d.active[i]!;
      for (let ch = 0; ch < c; ch++) {
        ones[p * c + ch] = 1;
        rest[p * c + ch] = d.values[p * c + ch]! - 1;
      }
    }
    const zeros = this.input(`${name}#zeros`, d.shape, new Float32Array(d.values.length));
    const parts = (['ones', 'rest'] as const).map((part) => {
      const x = this.input(`${name}#${part}`, d.shape, part === 'ones' ? ones : rest);
      const reference = this.value(`${name}#${part}#reference`, 'tensor', d.shape, 'stream');
      this.keyframe.push({ kind: 'copy', node: 'init', input: zeros, output: reference });
      const out = this.value(`${name}#${part}#delta`, 'delta', d.shape, 'frame');
      this.frame.push({ kind: 'sparsify', node: `${name}-${part}`, input: x, reference, threshold: 0, output: out });
      return out;
    });
    const sum = this.value(`${name}#delta`, 'delta', d.shape, 'frame');
    this.frame.push({ kind: 'linear', node: `${name}-sum`, call: { op: 'Add', attrs: {} }, inputs: parts, output: sum });
    return sum;
  }
}

/**
 * Runs one kernel call as a program: the keyframe (state in), then the frame (the rebuilt deltas,
 * the step, the accumulation of its output); writes the output delta into `out` and the state
 * back into the caller's arrays.
 */
async function runStep(
  compiler: NativeProgramCompiler,
  cache: WeakMap<DeltaBuffer, { key: string; executable: Executable; program: Program }>,
  out: DeltaBuffer,
  build: (b: Builder) => Step,
): Promise<void> {
  const b = new Builder();
  b.out = b.value('out', 'delta', out.shape, 'frame');
  const step = build(b);
  b.frame.push(step);
  const testIndex = b.frame.length - 1;
  const writesDelta = step.kind !== 'accumulate';
  let acc = -1;
  if (writesDelta) {
    const zeros = b.input('out#zeros', out.shape, new Float32Array(out.values.length));
    acc = b.value('out#values', 'tensor', out.shape, 'stream');
    b.keyframe.push({ kind: 'copy', node: 'init', input: zeros, output: acc });
    b.frame.push({ kind: 'accumulate', node: 'read', input: b.out, target: acc });
  }
  const outputs = [...b.states].map(([name, s]) => ({ name, value: s.value }));
  if (writesDelta) outputs.push({ name: 'out#values', value: acc });
  const inputs = b.values.flatMap((v, value) => (v.lifetime === 'input' ? [{ name: v.name, value }] : []));
  const program: Program = { values: b.values, inputs, outputs, entries: { keyframe: b.keyframe, frame: b.frame } };
  checkProgram(program);
  // Same step, same shapes: the compiled program of the previous frame (its output delta as that frame left it).
  const key = JSON.stringify({
    values: b.values,
    keyframe: b.keyframe,
    frame: b.frame.map((s) => ({ ...s, call: 'call' in s ? s.call.op : undefined })),
  });
  let cached = cache.get(out);
  if (!cached || cached.key !== key) {
    cached?.executable.dispose();
    cached = { key, executable: compiler.compile(program, b.constants), program };
    cache.set(out, cached);
  }
  const feeds = Object.fromEntries(
    [...b.feeds].map(([name, data]) => [name, { data, shape: b.values[inputs.find((i) => i.name === name)!.value]!.shape }]),
  );
  await cached.executable.run('keyframe', feeds);
  const result = await cached.executable.run('frame', feeds);
  for (const [name, s] of b.states) s.target.set(result.outputs[name]!.data);
  if (!writesDelta) return;
  const mask = cached.executable.updateMask?.('frame', testIndex) ?? new Uint8Array(out.pixels);
  const values = result.outputs['out#values']!.data;
  out.clear();
  const c = out.channels;
  for (let p = 0; p < out.pixels; p++) {
    if (mask[p] !== 1) continue;
    out.mask[p] = 1;
    out.active[out.count++] = p;
    out.values.set(values.subarray(p * c, p * c + c), p * c);
  }
}
