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
  ProgramCompiler,
  Shape,
  Step,
  Tensor,
  ValueDecl,
  ValueId,
} from '@motiondelta/core';

/**
 * The delta kernel set as compiled programs: each kernel call runs a small program through the
 * webgpu compiler, so that the conformance suite's delta cases check every delta step kind as
 * programs run it on the device.
 *
 * A program makes deltas only from tensors, so each varying input is rebuilt inside it: `ones` (1
 * at the delta's active pixels) and `rest` (its values minus 1 there) are sparsified against zero
 * references and added (a linear Add of two deltas): the same active pixels and, on the suite's
 * value grids, the same values. The step under test runs on it with the given state (copied into
 * stream values by the keyframe); its output is accumulated into a zeroed tensor that the program
 * outputs, and its mask comes from `updateMask`. Programs are cached per output buffer, so a
 * case's second frame runs on the same executable, over the output delta the first one left.
 *
 */
export function programDeltaKernels(compiler: ProgramCompiler): DeltaKernels {
  const cache = new WeakMap<DeltaBuffer, { key: string; executable: Executable }>();
  const run = (out: DeltaBuffer, build: (b: Builder) => Step): Promise<void> => runStep(compiler, cache, out, build);
  return {
    sparsify: (x, reference, threshold, out) =>
      run(out, (b) => ({
        kind: 'sparsify',
        node: 'test',
        input: b.input('x', x.shape, x.data),
        reference: b.state('reference', out.shape, reference),
        threshold,
        output: b.out,
      })),
    accumulate: (delta, target) =>
      run(delta, (b) => ({
        kind: 'accumulate',
        node: 'test',
        input: b.delta('delta', delta),
        target: b.state('target', delta.shape, target),
      })),
    linear: (call: LinearDeltaCall, out) =>
      run(out, (b) => ({
        kind: 'linear',
        node: 'test',
        call: { op: call.op, attrs: call.attrs } as Extract<Step, { kind: 'linear' }>['call'],
        inputs: call.inputs.map((t, i) =>
          t === undefined ? null : t instanceof DeltaBuffer ? b.delta(`in${i}`, t) : b.constant(`c${i}`, t),
        ),
        output: b.out,
      })),
    activation: (delta: DeltaBuffer, activation: ActivationSpec, state: ActivationState, threshold: number, out: DeltaBuffer) =>
      run(out, (b) => ({
        kind: 'activation',
        node: 'test',
        input: b.delta('delta', delta),
        activation,
        accumulated: b.state('accumulated', delta.shape, state.accumulated),
        emitted: b.state('emitted', out.shape, state.emitted),
        threshold,
        output: b.out,
      })),
    maxPool: (delta: DeltaBuffer, attrs: Pool2DAttrs, state: MaxPoolState, threshold: number, out: DeltaBuffer) =>
      run(out, (b) => ({
        kind: 'maxpool',
        node: 'test',
        attrs,
        input: b.delta('delta', delta),
        accumulated: b.state('accumulated', delta.shape, state.accumulated),
        emitted: b.state('emitted', out.shape, state.emitted),
        threshold,
        output: b.out,
      })),
    binary: (op, a, b, state: BinaryState, threshold, out) =>
      run(out, (p) => {
        const operand = (t: DeltaBuffer | Tensor, i: number): ValueId =>
          t instanceof DeltaBuffer ? p.delta(`in${i}`, t) : p.constant(`c${i}`, t);
        const inputs: [ValueId, ValueId] = [operand(a, 0), operand(b, 1)];
        const accumulated = [a, b].map((t, i) =>
          t instanceof DeltaBuffer ? p.state(`accumulated${i}`, t.shape, state.accumulated[i]!) : null,
        ) as [ValueId | null, ValueId | null];
        return {
          kind: 'binary',
          node: 'test',
          op,
          inputs,
          accumulated,
          emitted: p.state('emitted', out.shape, state.emitted),
          threshold,
          output: p.out,
        };
      }),
  };
}

/** Declares a program's values and remembers what each frame feeds and reads back. */
class Builder {
  readonly values: ValueDecl[] = [];
  readonly constants = new Map<string, Tensor>();
  readonly keyframe: Step[] = [];
  readonly frame: Step[] = [];
  readonly feeds = new Map<string, Float32Array>();
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

  state(name: string, shape: Shape, data: Float32Array): ValueId {
    const init = this.input(`${name}#init`, [data.length], Float32Array.from(data));
    const value = this.value(name, 'tensor', shape, 'stream');
    this.keyframe.push({ kind: 'copy', node: 'init', input: init, output: value });
    this.states.set(name, { value, target: data });
    return value;
  }

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

async function runStep(
  compiler: ProgramCompiler,
  cache: WeakMap<DeltaBuffer, { key: string; executable: Executable }>,
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
  const key = JSON.stringify({ values: b.values, frame: b.frame.map((s) => ({ ...s, call: 'call' in s ? s.call.op : undefined })) });
  let cached = cache.get(out);
  if (!cached || cached.key !== key) {
    cached?.executable.dispose();
    cached = { key, executable: await compiler.compile(program, b.constants) };
    cache.set(out, cached);
  }
  const feeds = Object.fromEntries([...b.feeds].map(([name, data]) => [name, { data, shape: [data.length] }]));
  await cached.executable.run('keyframe', feeds);
  const result = await cached.executable.run('frame', feeds);
  for (const [name, s] of b.states) s.target.set(result.outputs[name]!.data);
  if (!writesDelta) return;
  const mask = cached.executable.updateMask?.('frame', testIndex);
  if (mask === undefined) throw new Error('the executable reported no update mask for the step under test');
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
