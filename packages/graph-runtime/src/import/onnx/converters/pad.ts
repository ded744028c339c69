import { UnsupportedOpError } from '@motiondelta/core';
import { makeNode } from '../../../ir/graph.js';
import type { ImportContext, OnnxNode } from '../context.js';
import { NCHW_TO_NHWC } from '../permute.js';
import { layoutOf } from './activation.js';

const MODES = ['constant', 'reflect', 'edge'] as const;
type PadMode = (typeof MODES)[number];

export function convertPad(node: OnnxNode, ctx: ImportContext): void {
  const [x = '', padsName = '', valueName = '', axesName = ''] = node.proto.input;
  const mode = node.attrs.string('mode', 'constant');
  if (!(MODES as readonly string[]).includes(mode)) {
    throw new UnsupportedOpError(node.opType, node.name, `mode '${mode}' is not supported; accepted: ${MODES.join(', ')}`);
  }
  const inDims = ctx.dims(x, node);
  const rank = inDims.length;
  let pads: number[];
  let value = 0;
  if (ctx.opset < 11) {
    pads = node.attrs.ints('pads') ?? [];
    value = node.attrs.float('value', 0);
  } else {
    pads = [...ctx.intConstant(padsName, node, 'pads')];
    if (valueName !== '') {
      const constant = ctx.floatConstant(valueName, node, 'constant_value');
      value = constant.data[0] ?? 0;
    }
    if (axesName !== '') {
      // Opset 18: pads list only the given axes; spread them over all axes.
      const axes = ctx.intConstant(axesName, node, 'axes').map((a) => (a < 0 ? a + rank : a));
      const full = new Array<number>(2 * rank).fill(0);
      axes.forEach((a, i) => {
        full[a] = pads[i] ?? 0;
        full[a + rank] = pads[i + axes.length] ?? 0;
      });
      pads = full;
    }
  }
  if (pads.length !== 2 * rank) {
    throw new UnsupportedOpError(node.opType, node.name, `pads [${pads.join(',')}] must have ${2 * rank} values for a rank-${rank} input`);
  }
  if (mode !== 'constant' && pads.some((p) => p < 0)) {
    throw new UnsupportedOpError(
      node.opType,
      node.name,
      `negative pads [${pads.join(',')}] (cropping) are only supported in constant mode`,
    );
  }
  const layout = layoutOf(ctx, x, node);
  const stored = layout === 'nhwc' && rank === 4 ? [...NCHW_TO_NHWC, ...NCHW_TO_NHWC.map((a) => a + 4)].map((a) => pads[a]!) : pads;
  const [output = ''] = node.proto.output;
  ctx.emit(makeNode(node.name, 'Pad', { pads: stored, mode: mode as PadMode, value }, [ctx.use(x, layout, node)], [output]));
  ctx.defineRuntime(
    output,
    layout,
    inDims.map((d, i) => (d === null ? null : d + pads[i]! + pads[i + rank]!)),
  );
}
