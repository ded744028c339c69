import { UnsupportedOpError } from '@motiondelta/core';
import type { ImportContext, OnnxNode } from '../context.js';
import { decodeTensor } from '../tensor-data.js';

/** Constant nodes become constants of the importer, never IR nodes. */
export function convertConstant(node: OnnxNode, ctx: ImportContext): void {
  const [output = ''] = node.proto.output;
  const a = node.attrs;
  const tensor = a.tensor('value');
  if (tensor !== undefined) {
    ctx.define(output, decodeTensor(tensor, `${node.where}: attribute 'value'`, ctx.budget));
    return;
  }
  if (a.has('value_float')) {
    ctx.define(output, { kind: 'float', dims: [], data: Float32Array.of(a.float('value_float', 0)) });
    return;
  }
  const floats = a.floats('value_floats');
  if (floats !== undefined) {
    ctx.define(output, { kind: 'float', dims: [floats.length], data: Float32Array.from(floats) });
    return;
  }
  if (a.has('value_int')) {
    ctx.define(output, { kind: 'int', dims: [], data: [a.int('value_int', 0)] });
    return;
  }
  const ints = a.ints('value_ints');
  if (ints !== undefined) {
    ctx.define(output, { kind: 'int', dims: [ints.length], data: ints });
    return;
  }
  throw new UnsupportedOpError(
    node.opType,
    node.name,
    `attributes [${a.names().join(', ')}] are not supported; accepted: value, value_float(s), value_int(s)`,
  );
}
