import { UnsupportedOpError } from '@motiondelta/core';
import { makeNode } from '../../../ir/graph.js';
import type { ImportContext, OnnxNode } from '../context.js';

/**
 * Emits (x - mean) / sqrt(var + epsilon) * scale (+ bias) over `axes` of the stored `x`, from IR
 * ops the backends already have (Reduce, Sub, Mul, Add, Div, a sqrt activation). The variance is
 * the mean of the squared centred values, as ONNX defines it, not E[x^2] - E[x]^2, which loses
 * everything to cancellation when the mean is large against the spread. The last node takes the
 * ONNX node's name, so thresholds and statistics keyed by it still find it.
 */
function emitNormalise(
  node: OnnxNode,
  ctx: ImportContext,
  x: string,
  axes: readonly number[],
  scale: string,
  bias: string | undefined,
  output: string,
): { mean: string; deviation: string } {
  const value = (suffix: string): string => ctx.claimValueName(`${output}/${suffix}`);
  const name = (suffix: string): string => ctx.claimNodeName(`${node.name}/${suffix}`);
  const mean = value('mean');
  ctx.emit(makeNode(name('mean'), 'Reduce', { kind: 'mean', axes, keepDims: true }, [x], [mean]));
  const centred = value('centred');
  ctx.emit(makeNode(name('centre'), 'Sub', {}, [x, mean], [centred]));
  const squared = value('squared');
  ctx.emit(makeNode(name('square'), 'Mul', {}, [centred, centred], [squared]));
  const variance = value('variance');
  ctx.emit(makeNode(name('variance'), 'Reduce', { kind: 'mean', axes, keepDims: true }, [squared], [variance]));
  const epsilon = ctx.addConstant(`${node.name}/epsilon`, { data: Float32Array.of(node.attrs.float('epsilon', 1e-5)), shape: [1] });
  const shifted = value('variance_eps');
  ctx.emit(makeNode(name('add_epsilon'), 'Add', {}, [variance, epsilon], [shifted]));
  const deviation = value('std');
  ctx.emit(makeNode(name('sqrt'), 'Activation', { activation: { kind: 'sqrt' } }, [shifted], [deviation]));
  const normalised = value('normalised');
  ctx.emit(makeNode(name('divide'), 'Div', {}, [centred, deviation], [normalised]));
  if (bias === undefined) {
    ctx.emit(makeNode(node.name, 'Mul', {}, [normalised, scale], [output]));
    return { mean, deviation };
  }
  const scaled = value('scaled');
  ctx.emit(makeNode(name('scale'), 'Mul', {}, [normalised, scale], [scaled]));
  ctx.emit(makeNode(node.name, 'Add', {}, [scaled, bias], [output]));
  return { mean, deviation };
}

/** InstanceNormalization over the spatial axes of [N,C,...]: NHWC axes 1 and 2 for 4-D input. */
export function convertInstanceNormalization(node: OnnxNode, ctx: ImportContext): void {
  const [x = '', scaleName = '', biasName = ''] = node.proto.input;
  const [output = ''] = node.proto.output;
  const dims = ctx.dims(x, node);
  if (dims.length < 3) {
    throw new UnsupportedOpError(node.opType, node.name, `input '${x}' has rank ${dims.length}; accepted: [N,C,...] of rank 3 or more`);
  }
  const channels = dims[1] ?? null;
  const nhwc = dims.length === 4;
  // Per-channel parameters broadcast along C: the last stored axis for NHWC, axis 1 ([C,1,...]) otherwise.
  const perChannel = (name: string, role: string): string => {
    const constant = ctx.floatConstant(name, node, role);
    if (constant.data.length !== (channels ?? constant.data.length)) {
      throw new UnsupportedOpError(
        node.opType,
        node.name,
        `${role} '${name}' has ${constant.data.length} values; the input has ${channels} channels`,
      );
    }
    const shape = nhwc ? [constant.data.length] : [constant.data.length, ...new Array<number>(dims.length - 2).fill(1)];
    return ctx.addConstant(`${name}/${role}`, { data: constant.data, shape });
  };
  const scale = perChannel(scaleName, 'scale');
  const bias = perChannel(biasName, 'B');
  const axes = nhwc ? [1, 2] : Array.from({ length: dims.length - 2 }, (_, i) => i + 2);
  emitNormalise(node, ctx, ctx.use(x, nhwc ? 'nhwc' : 'plain', node), axes, scale, bias, output);
  ctx.defineRuntime(output, nhwc ? 'nhwc' : 'plain', dims);
}

/** LayerNormalization (opset 17) over the axes from `axis` on, computed in the input's ONNX order. */
export function convertLayerNormalization(node: OnnxNode, ctx: ImportContext): void {
  const [x = '', scaleName = '', biasName = ''] = node.proto.input;
  const [output = ''] = node.proto.output;
  const dims = ctx.dims(x, node);
  const rawAxis = node.attrs.int('axis', -1);
  const axis = rawAxis < 0 ? rawAxis + dims.length : rawAxis;
  if (axis < 0 || axis >= dims.length) {
    throw new UnsupportedOpError(node.opType, node.name, `axis ${rawAxis} is out of range for rank ${dims.length}`);
  }
  // Scale and B broadcast against X.shape[axis:], aligned on the right as ONNX does: the plain
  // (ONNX-ordered) layout keeps that alignment.
  ctx.floatConstant(scaleName, node, 'Scale');
  const scale = ctx.use(scaleName, 'plain', node);
  let bias: string | undefined;
  if (biasName !== '') {
    ctx.floatConstant(biasName, node, 'B');
    bias = ctx.use(biasName, 'plain', node);
  }
  const axes = Array.from({ length: dims.length - axis }, (_, i) => axis + i);
  const { mean, deviation } = emitNormalise(node, ctx, ctx.use(x, 'plain', node), axes, scale, bias, output);
  ctx.defineRuntime(output, 'plain', dims);
  // The optional Mean and InvStdDev outputs keep the reduced axes as 1s.
  const [, meanOutput = '', invStdOutput = ''] = node.proto.output;
  const reduced = dims.map((d, i) => (i < axis ? d : 1));
  if (meanOutput !== '') {
    ctx.emit(makeNode(ctx.claimNodeName(`${node.name}/Mean`), 'Identity', {}, [mean], [meanOutput]));
    ctx.defineRuntime(meanOutput, 'plain', reduced);
  }
  if (invStdOutput !== '') {
    const activation = { kind: 'reciprocal' } as const;
    ctx.emit(makeNode(ctx.claimNodeName(`${node.name}/InvStdDev`), 'Activation', { activation }, [deviation], [invStdOutput]));
    ctx.defineRuntime(invStdOutput, 'plain', reduced);
  }
}
