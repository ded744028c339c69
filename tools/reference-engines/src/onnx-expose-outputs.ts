import { create, fromBinary, toBinary } from '@bufbuild/protobuf';
import { ModelProtoSchema, TensorProto_DataType, TypeProtoSchema, ValueInfoProtoSchema } from 'onnx-buf';

/**
 * Returns a copy of an ONNX model with intermediate values added as graph outputs, so an engine
 * can be compared before a final op whose implementations legitimately differ (onnxruntime's
 * sigmoid is a fast approximation, for example). Throws RangeError for a name no node produces.
 *
 * @example
 * ```ts
 * const bytes = exposeOnnxOutputs(readFileSync('model.onnx'), ['logits']);
 * ```
 */
export function exposeOnnxOutputs(model: Uint8Array, names: readonly string[]): Uint8Array {
  const proto = fromBinary(ModelProtoSchema, model);
  const graph = proto.graph;
  if (!graph) throw new RangeError('The model has no graph.');
  const produced = new Set(graph.node.flatMap((n) => n.output));
  for (const name of names) {
    if (!produced.has(name)) throw new RangeError(`No node of the model produces '${name}'.`);
    if (graph.output.some((o) => o.name === name)) continue;
    graph.output.push(
      create(ValueInfoProtoSchema, {
        name,
        type: create(TypeProtoSchema, {
          value: { case: 'tensorType', value: { elemType: TensorProto_DataType.FLOAT } },
        }),
      }),
    );
  }
  return toBinary(ModelProtoSchema, proto);
}
