import { UnsupportedOpError } from '@motiondelta/core';
import { makeNode } from '../../../ir/graph.js';
import type { ImportContext, OnnxNode } from '../context.js';
import { nhwcAxisOf } from '../permute.js';

export function convertConcat(node: OnnxNode, ctx: ImportContext): void {
  const names = node.proto.input.filter((n) => n !== '');
  if (names.length === 0) throw new UnsupportedOpError(node.opType, node.name, 'it has no inputs');
  const values = names.map((n) => ctx.get(n, node));
  const rank = values[0]!.dims.length;
  const rawAxis = node.attrs.int('axis', 1);
  const axis = rawAxis < 0 ? rawAxis + rank : rawAxis;
  if (axis < 0 || axis >= rank || values.some((v) => v.dims.length !== rank)) {
    throw new UnsupportedOpError(
      node.opType,
      node.name,
      `axis ${rawAxis} or input ranks [${values.map((v) => v.dims.length).join(',')}] are inconsistent`,
    );
  }
  // Stay NHWC when any 4-D input already is: converting the others is cheaper than the reverse.
  const nhwc = rank === 4 && values.some((v) => v.kind === 'runtime' && v.layout === 'nhwc');
  const inputs = names.map((n) => ctx.use(n, nhwc ? 'nhwc' : 'plain', node));
  const outDims = values[0]!.dims.map((d, i) =>
    i === axis ? values.reduce<number | null>((sum, v) => (sum === null || v.dims[i] == null ? null : sum + v.dims[i]!), 0) : d,
  );
  const [output = ''] = node.proto.output;
  ctx.emit(makeNode(node.name, 'Concat', { axis: nhwc ? nhwcAxisOf(axis) : axis }, inputs, [output]));
  ctx.defineRuntime(output, nhwc ? 'nhwc' : 'plain', outDims);
}
