import { clone, fromBinary, toBinary } from '@bufbuild/protobuf';
import { ModelProtoSchema, TensorProtoSchema, type ModelProto } from 'onnx-buf';

/**
 * The model with some graph inputs turned into initializers holding the test's values.
 *
 * ONNX's node tests feed everything as graph inputs, weights and shapes included; models as users
 * export them keep those as initializers, and MotionDelta requires them to be constants (its
 * kernels pack weights once). So the runner binds an input when MotionDelta needs it constant and
 * feeds the others at run time (see `loadBackendTest`).
 *
 * @param inputNames the graph's non-initializer inputs, in order (what `input_<i>.pb` feeds)
 * @param inputFiles the serialized TensorProtos, in the same order
 * @param bound indices of the inputs to bind
 */
export function bindInputs(
  proto: ModelProto,
  inputNames: readonly string[],
  inputFiles: readonly Uint8Array[],
  bound: ReadonlySet<number>,
): Uint8Array {
  const model = clone(ModelProtoSchema, proto);
  const graph = model.graph;
  if (graph === undefined || bound.size === 0) return toBinary(ModelProtoSchema, model);
  const names = new Set<string>();
  for (const index of bound) {
    const name = inputNames[index]!;
    const tensor = fromBinary(TensorProtoSchema, inputFiles[index]!, { readUnknownFields: false });
    // The .pb's own name may differ from the graph input's (or be empty): the graph's wins.
    tensor.name = name;
    graph.initializer.push(tensor);
    names.add(name);
  }
  graph.input = graph.input.filter((info) => !names.has(info.name));
  return toBinary(ModelProtoSchema, model);
}
