import { DeltaBuffer, type DeltaKernels, type Program, type Step, type Tensor, type ValueDecl, type ValueId } from '@motiondelta/core';
import { toGpuArray, type GpuArray, type GpuContext } from '../gpu/gpu-context.js';
import { tileCount } from '../kernels/active-tiles.js';
import { planStep, type BufferRef } from '../program/plan-step.js';

/** A host operand of one delta kernel call. */
type HostValue =
  | { readonly kind: 'tensor'; readonly data: Float32Array; readonly shape: readonly number[]; readonly written: boolean }
  | { readonly kind: 'delta'; readonly buffer: DeltaBuffer; readonly written: boolean };

/**
 * The delta kernel set on the device, one call at a time: the call becomes the same step a
 * compiled program would hold, its operands are uploaded (a delta as its values and a mask), the
 * step's kernels run, and what the step writes (the output delta, updated state) is read back
 * into the caller's buffers. Sessions that run whole programs never come here; the modes still
 * driven from the host (motion) and single calls do.
 */
export function createWebGpuDeltaKernels(ctx: GpuContext): DeltaKernels {
  const run = async (values: HostValue[], step: (ids: ValueId[]) => Step): Promise<void> => {
    await runStepOnHostValues(ctx, values, step(values.map((_, k) => k)));
  };
  const tensor = (data: Float32Array, shape: readonly number[], written = false): HostValue => ({ kind: 'tensor', data, shape, written });
  const delta = (buffer: DeltaBuffer, written = false): HostValue => ({ kind: 'delta', buffer, written });
  const operand = (t: DeltaBuffer | Tensor | undefined): HostValue | undefined =>
    t === undefined ? undefined : t instanceof DeltaBuffer ? delta(t) : tensor(t.data, t.shape);
  return {
    sparsify: (x, reference, threshold, out) =>
      run([tensor(x.data, x.shape), tensor(reference, out.shape, true), delta(out, true)], ([input, ref, output]) => ({
        kind: 'sparsify',
        node: 'sparsify',
        input: input!,
        reference: ref!,
        threshold,
        output: output!,
      })),
    accumulate: (d, target) =>
      run([delta(d), tensor(target, d.shape, true)], ([input, t]) => ({
        kind: 'accumulate',
        node: 'accumulate',
        input: input!,
        target: t!,
      })),
    linear: (call, out) => {
      const inputs = call.inputs.map(operand);
      const present = inputs.filter((v): v is HostValue => v !== undefined);
      const ids: (ValueId | null)[] = [];
      let next = 0;
      for (const v of inputs) ids.push(v === undefined ? null : next++);
      return run([...present, delta(out, true)], (all) => ({
        kind: 'linear',
        node: call.op,
        call: { op: call.op, attrs: call.attrs } as Extract<Step, { kind: 'linear' }>['call'],
        inputs: ids,
        output: all[all.length - 1]!,
      }));
    },
    activation: (d, activation, state, threshold, out) =>
      run(
        [delta(d), tensor(state.accumulated, d.shape, true), tensor(state.emitted, out.shape, true), delta(out, true)],
        ([input, acc, emitted, output]) => ({
          kind: 'activation',
          node: 'activation',
          input: input!,
          activation,
          accumulated: acc!,
          emitted: emitted!,
          threshold,
          output: output!,
        }),
      ),
    maxPool: (d, attrs, state, threshold, out) =>
      run(
        [delta(d), tensor(state.accumulated, d.shape, true), tensor(state.emitted, out.shape, true), delta(out, true)],
        ([input, acc, emitted, output]) => ({
          kind: 'maxpool',
          node: 'maxpool',
          attrs,
          input: input!,
          accumulated: acc!,
          emitted: emitted!,
          threshold,
          output: output!,
        }),
      ),
    binary: (op, a, b, state, threshold, out) => {
      const values: HostValue[] = [operand(a)!, operand(b)!];
      const accumulated = [a, b].map((t, k) => {
        if (!(t instanceof DeltaBuffer)) return null;
        values.push(tensor(state.accumulated[k]!, t.shape, true));
        return values.length - 1;
      }) as [ValueId | null, ValueId | null];
      values.push(tensor(state.emitted, out.shape, true), delta(out, true));
      return run(values, (all) => ({
        kind: 'binary',
        node: op,
        op,
        inputs: [0, 1],
        accumulated,
        emitted: all[all.length - 2]!,
        threshold,
        output: all[all.length - 1]!,
      }));
    },
  };
}

/** Uploads the operands, runs the step's kernels, reads back what it wrote. */
async function runStepOnHostValues(ctx: GpuContext, host: readonly HostValue[], step: Step): Promise<void> {
  const decls: ValueDecl[] = host.map((v, k) =>
    v.kind === 'delta'
      ? { name: `v${k}`, kind: 'delta', shape: v.buffer.shape, lifetime: 'frame' }
      : { name: `v${k}`, kind: 'tensor', shape: v.shape, lifetime: v.written ? 'stream' : 'constant' },
  );
  const program: Program = { values: decls, inputs: [], outputs: [], entries: { keyframe: [step] } };
  const commands = planStep(program, step);
  const buffers = new Map<string, GPUBuffer>();
  const key = (ref: BufferRef): string => `${ref.value}/${ref.part}`;
  const buffer = (ref: BufferRef): GPUBuffer => {
    const cached = buffers.get(key(ref));
    if (cached) return cached;
    const v = host[ref.value]!;
    let data: GpuArray;
    if (v.kind === 'tensor') data = toGpuArray(v.data);
    else if (ref.part === 'mask') data = Float32Array.from(v.buffer.mask);
    else if (ref.part === 'values' || ref.part === 'data') data = toGpuArray(v.buffer.values);
    // Tile lists and indirect arguments: written on the device before they are read.
    else data = new Uint32Array(ref.part === 'tiles' ? 1 + tileCount(v.buffer.pixels) : 3);
    const b = ctx.upload(data);
    buffers.set(key(ref), b);
    return b;
  };
  const aux: GPUBuffer[] = [];
  try {
    // What the caller sees: tensors, delta values and masks (not the tile bookkeeping).
    const written = [
      ...new Set(
        commands
          .flatMap((c) => (c.kind === 'dispatch' ? c.writes : c.kind === 'copy' ? [c.to] : []))
          .filter((r) => r.part === 'data' || r.part === 'values' || r.part === 'mask')
          .map(key),
      ),
    ];
    const data = await ctx.checked(`delta ${step.kind}`, () => {
      const encoder = ctx.device.createCommandEncoder();
      let pass: GPUComputePassEncoder | undefined;
      for (const c of commands) {
        if (c.kind === 'copy') throw new RangeError('a delta kernel planned a copy');
        if (c.kind === 'clear') {
          pass?.end();
          pass = undefined;
          encoder.clearBuffer(buffer(c.target));
          continue;
        }
        const table = c.plan.aux ? ctx.upload(c.plan.aux as Int32Array<ArrayBuffer>) : undefined;
        if (table) aux.push(table);
        pass ??= encoder.beginComputePass();
        const group = ctx.bindGroup(c.plan, c.reads.map(buffer), table, c.writes.map(buffer));
        ctx.dispatch(pass, c.plan, group, c.indirect ? buffer(c.indirect) : undefined);
      }
      pass?.end();
      return ctx.submitAndRead(
        encoder,
        written.map((k) => {
          const b = buffers.get(k)!;
          return { buffer: b, bytes: b.size };
        }),
      );
    });
    written.forEach((k, index) => {
      const [value, part] = k.split('/') as [string, BufferRef['part']];
      const v = host[Number(value)]!;
      const got = new Float32Array(data[index]!);
      if (v.kind === 'tensor') v.data.set(got.subarray(0, v.data.length));
      else if (part === 'values') v.buffer.values.set(got.subarray(0, v.buffer.values.length));
      else readMask(v.buffer, got);
    });
  } finally {
    for (const b of buffers.values()) ctx.release(b);
    for (const b of aux) ctx.release(b);
  }
}

/** Rebuilds a delta's mask, active list and count from the device mask (values were read already). */
function readMask(out: DeltaBuffer, mask: Float32Array): void {
  out.mask.fill(0);
  out.count = 0;
  for (let p = 0; p < out.pixels; p++) {
    if (mask[p] === 0) continue;
    out.mask[p] = 1;
    out.active[out.count++] = p;
  }
}
