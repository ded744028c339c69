import { clone } from '@bufbuild/protobuf';
import { NodeProtoSchema } from 'onnx-buf';
import { makeNode } from '../../../ir/graph.js';
import { NodeAttributes } from '../attributes.js';
import type { ImportContext, OnnxNode } from '../context.js';
import type { Converter } from './registry.js';

/** Per-axis attributes of window ops and the value the added unit axis takes in each. */
const UNIT_AXIS_VALUE: Readonly<Record<string, bigint>> = {
  kernel_shape: 1n,
  strides: 1n,
  dilations: 1n,
  output_padding: 0n,
  output_shape: 1n,
};

/**
 * Runs a 1-D window op (Conv1d, ConvTranspose1d, MaxPool1d, AveragePool1d, BatchNorm1d over
 * [N,C,L]) as its 2-D form over [N,C,L,1]: the input gains a unit width, rank-3 constant inputs
 * (weights [O,I,k]) gain one too, per-axis attributes gain the unit axis's value (pads [b,e]
 * become [b,0,e,0]), and the output loses the unit width again. A 1-D window over L is exactly
 * the 2-D window over (L, 1) with a 1-wide kernel, so the kernels need nothing new.
 *
 * @param convert the op's 2-D converter; inputs of any rank other than 3 go to it untouched
 */
export function withOneDWindow(convert: Converter): Converter {
  return (node: OnnxNode, ctx: ImportContext): void => {
    const [x = '', ...rest] = node.proto.input;
    const [output = ''] = node.proto.output;
    if (x === '' || output === '' || ctx.rank(x, node) !== 3) {
      convert(node, ctx);
      return;
    }
    const proto = clone(NodeProtoSchema, node.proto);
    const lifted = ctx.claimValueName(`${x}/2d`);
    ctx.emit(makeNode(ctx.claimNodeName(`${node.name}/to_2d`), 'Unsqueeze', { axes: [3] }, [ctx.use(x, 'plain', node)], [lifted]));
    ctx.defineRuntime(lifted, 'plain', [...ctx.dims(x, node), 1]);
    proto.input[0] = lifted;
    rest.forEach((name, i) => {
      const constant = name === '' ? undefined : ctx.constant(name, node);
      if (constant?.kind !== 'float' || constant.dims.length !== 3) return;
      const widened = ctx.claimValueName(`${name}/2d`);
      ctx.define(widened, { kind: 'float', dims: [...constant.dims, 1], data: constant.data });
      proto.input[i + 1] = widened;
    });
    for (const attribute of proto.attribute) {
      const unit = UNIT_AXIS_VALUE[attribute.name];
      if (unit !== undefined && attribute.ints.length === 1) attribute.ints = [...attribute.ints, unit];
      if (attribute.name === 'pads' && attribute.ints.length === 2) {
        attribute.ints = [attribute.ints[0]!, 0n, attribute.ints[1]!, 0n];
      }
    }
    const wide = ctx.claimValueName(`${output}/2d`);
    proto.output[0] = wide;
    convert({ ...node, proto, attrs: new NodeAttributes(proto, node.where) }, ctx);
    const [n = null, c = null, length = null] = ctx.dims(wide, node);
    ctx.emit(makeNode(ctx.claimNodeName(`${node.name}/to_1d`), 'Squeeze', { axes: [3] }, [ctx.use(wide, 'plain', node)], [output]));
    ctx.defineRuntime(output, 'plain', [n, c, length]);
  };
}
