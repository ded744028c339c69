import { fromBinary } from '@bufbuild/protobuf';
import { ModelFormatError } from '@motiondelta/core';
import { ModelProtoSchema, type GraphProto, type ModelProto } from 'onnx-buf';
import { checkOnnxWire } from './wire-check.js';

export interface DecodedModel {
  readonly model: ModelProto;
  readonly graph: GraphProto;
  /** Version of the default (ai.onnx) operator set. */
  readonly opset: number;
}

/**
 * Parses ONNX bytes. Protobuf happily decodes many garbage inputs into near-empty messages, so a
 * model only counts as readable when it names an IR version, imports the default opset and has a
 * graph with nodes and outputs. The bytes are checked against the schema first (see
 * {@link checkOnnxWire}), and unknown fields are skipped rather than kept.
 *
 * @param maxDecodedBytes most memory the decoded protobuf may be estimated to take
 */
export function decodeModel(bytes: Uint8Array, location: string, maxDecodedBytes: number): DecodedModel {
  if (bytes.byteLength === 0) {
    throw new ModelFormatError(`${location}: the file is empty; expected an ONNX model (protobuf ModelProto).`);
  }
  checkOnnxWire(bytes, location, maxDecodedBytes);
  let model: ModelProto;
  try {
    model = fromBinary(ModelProtoSchema, bytes, { readUnknownFields: false });
  } catch (cause) {
    throw new ModelFormatError(
      `${location}: not a readable ONNX model (protobuf decoding failed: ${(cause as Error).message}); the file may be truncated or corrupt.`,
      { cause },
    );
  }
  const graph = model.graph;
  if (model.irVersion <= 0n || graph === undefined || graph.node.length === 0 || graph.output.length === 0) {
    throw new ModelFormatError(
      `${location}: not a usable ONNX model: expected an IR version and a graph with nodes and outputs ` +
        `(found ir_version ${model.irVersion}, ${graph?.node.length ?? 0} nodes, ${graph?.output.length ?? 0} outputs); ` +
        'the file may be truncated or not an ONNX file.',
    );
  }
  const defaultOpset = model.opsetImport.find((o) => o.domain === '' || o.domain === 'ai.onnx');
  if (defaultOpset === undefined) {
    throw new ModelFormatError(`${location}: the model imports no version of the default ONNX operator set (opset_import).`);
  }
  const opset = Number(defaultOpset.version);
  if (!Number.isInteger(opset) || opset < 1 || opset > 1000) {
    throw new ModelFormatError(`${location}: opset version ${defaultOpset.version} is not a valid ONNX opset.`);
  }
  return { model, graph, opset };
}
