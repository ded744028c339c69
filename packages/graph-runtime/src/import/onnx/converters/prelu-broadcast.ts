import { makeNode } from '../../../ir/graph.js';
import type { ImportContext, OnnxNode } from '../context.js';

/**
 * PRelu whose slope is not one value per channel (a full [C,H,W] slope, or a per-channel slope on
 * an axis the IR's prelu does not run along): relu(x) + slope * min(x, 0), with the slope
 * broadcast as ONNX does, in ONNX order.
 *
 * @param slopeDims the slope's dims padded with leading ones to the input's rank
 */
export function emitBroadcastPRelu(node: OnnxNode, ctx: ImportContext, slope: Float32Array, slopeDims: readonly number[]): void {
  const [x = ''] = node.proto.input;
  const [output = ''] = node.proto.output;
  const xIr = ctx.use(x, 'plain', node);
  const value = (suffix: string): string => ctx.claimValueName(`${output}/${suffix}`);
  const name = (suffix: string): string => ctx.claimNodeName(`${node.name}/${suffix}`);
  const positive = value('relu');
  ctx.emit(makeNode(name('relu'), 'Activation', { activation: { kind: 'relu' } }, [xIr], [positive]));
  const zero = ctx.addConstant(`${node.name}/zero`, { data: new Float32Array(1), shape: [1] });
  const negative = value('negative');
  ctx.emit(makeNode(name('negative'), 'Min', {}, [xIr, zero], [negative]));
  const slopeIr = ctx.addConstant(`${node.name}/slope`, { data: slope, shape: [...slopeDims] });
  const sloped = value('sloped');
  ctx.emit(makeNode(name('slope'), 'Mul', {}, [negative, slopeIr], [sloped]));
  ctx.emit(makeNode(node.name, 'Add', {}, [positive, sloped], [output]));
  ctx.defineRuntime(output, 'plain', ctx.dims(x, node));
}
