import { ModelFormatError, UnsupportedOpError } from '@motiondelta/core';
import type { Graph, ValueInfo } from '../../ir/graph.js';
import { GraphBuilder } from './graph-builder.js';
import { KerasConfig, parseKerasModel } from './layers-config.js';
import type { KerasLayer, KerasTensorRef } from './layers-config.js';
import { LayersImportContext } from './layers-context.js';
import type { LayerCall } from './layers-context.js';
import {
  convertBatchNormalization,
  convertConv2D,
  convertConv2DTranspose,
  convertDense,
  convertDepthwiseConv2D,
  convertSeparableConv2D,
} from './layers-ops-conv.js';
import {
  convertActivationLayer,
  convertConcatenate,
  convertELU,
  convertFlatten,
  convertGlobalAveragePooling2D,
  convertInferenceIdentity,
  convertLeakyReLU,
  convertMerge,
  convertPReLU,
  convertPooling2D,
  convertReLU,
  convertReshapeLayer,
  convertUpSampling2D,
  convertZeroPadding2D,
} from './layers-ops-other.js';
import type { TfjsModelJson } from './model-json.js';
import type { DecodedWeight } from './weights.js';

type LayerConverter = (call: LayerCall, ctx: LayersImportContext) => string;

const CONVERTERS: Readonly<Record<string, LayerConverter>> = {
  Conv2D: convertConv2D,
  DepthwiseConv2D: convertDepthwiseConv2D,
  SeparableConv2D: convertSeparableConv2D,
  Conv2DTranspose: convertConv2DTranspose,
  Dense: convertDense,
  BatchNormalization: convertBatchNormalization,
  Activation: convertActivationLayer,
  ReLU: convertReLU,
  LeakyReLU: convertLeakyReLU,
  PReLU: convertPReLU,
  ELU: convertELU,
  Add: (c, x) => convertMerge(c, x, 'Add'),
  Subtract: (c, x) => convertMerge(c, x, 'Sub'),
  Multiply: (c, x) => convertMerge(c, x, 'Mul'),
  Concatenate: convertConcatenate,
  UpSampling2D: convertUpSampling2D,
  MaxPooling2D: (c, x) => convertPooling2D(c, x, 'MaxPool2D'),
  AveragePooling2D: (c, x) => convertPooling2D(c, x, 'AvgPool2D'),
  GlobalAveragePooling2D: convertGlobalAveragePooling2D,
  ZeroPadding2D: convertZeroPadding2D,
  Flatten: convertFlatten,
  Reshape: convertReshapeLayer,
  Dropout: convertInferenceIdentity,
  SpatialDropout2D: convertInferenceIdentity,
  GaussianNoise: convertInferenceIdentity,
  GaussianDropout: convertInferenceIdentity,
};

/** Converts a TF.js layers model (Keras functional or Sequential) into the IR. */
export function importLayersModel(model: TfjsModelJson, weights: ReadonlyMap<string, DecodedWeight>, location: string): Graph {
  const keras = parseKerasModel(model.modelTopology, location);
  const layers = new Map<string, KerasLayer>();
  for (const layer of keras.layers) {
    // Inbound nodes refer to layers by name: a second layer of one name would be unreachable.
    if (layers.has(layer.name))
      throw new ModelFormatError(`${location}: two layers are named '${layer.name}'; layer names must be unique.`);
    layers.set(layer.name, layer);
  }
  const builder = new GraphBuilder();
  const ctx = new LayersImportContext(builder, location, weights);
  // IR value of each call site, keyed `<layer>#<call>`: one node per call of a shared layer.
  const values = new Map<string, string>();
  const key = (layer: string, call: number) => `${layer}#${call}`;

  const inputs: ValueInfo[] = keras.inputs.map((ref) => {
    const layer = layerOf(layers, ref, location);
    if (layer.className !== 'InputLayer') {
      throw new ModelFormatError(`${location}: model input '${ref.layer}' is a ${layer.className}, not an InputLayer.`);
    }
    values.set(key(layer.name, 0), builder.uniqueName(layer.name));
    return { name: layer.name, shape: inputShape(layer, location), dtype: 'float32' };
  });

  const convertCall = (layer: KerasLayer, call: number): void => {
    const refs = layer.calls[call];
    if (refs === undefined)
      throw new ModelFormatError(
        `${location}: layer '${layer.name}' is read at call ${call}, but it is called ${layer.calls.length} times.`,
      );
    const convert = CONVERTERS[layer.className];
    if (convert === undefined) throw new UnsupportedOpError(layer.className, layer.name, `layer class in ${location}`);
    const callInputs = refs.map((r) => values.get(key(r.layer, r.call))!);
    const name = call === 0 ? layer.name : `${layer.name}/call_${call}`;
    values.set(key(layer.name, call), convert({ layer, config: new KerasConfig(layer, location), inputs: callInputs, name }, ctx));
  };

  // Depth-first from the outputs, so layers are converted after everything they read, whatever
  // order the config lists them in, and layers no output depends on are left out.
  const pending: { ref: KerasTensorRef; expanded: boolean }[] = keras.outputs.map((ref) => ({ ref, expanded: false }));
  const visiting = new Set<string>();
  while (pending.length > 0) {
    const top = pending[pending.length - 1]!;
    const { ref } = top;
    const k = key(ref.layer, ref.call);
    if (values.has(k)) {
      pending.pop();
      continue;
    }
    const layer = layerOf(layers, ref, location);
    if (top.expanded) {
      pending.pop();
      convertCall(layer, ref.call);
      continue;
    }
    if (layer.className === 'InputLayer')
      throw new ModelFormatError(`${location}: input layer '${layer.name}' is not among the model's input_layers.`);
    if (visiting.has(k)) throw new ModelFormatError(`${location}: layer '${layer.name}' depends on itself.`);
    visiting.add(k);
    top.expanded = true;
    for (const dep of layer.calls[ref.call] ?? []) {
      if (dep.tensor !== 0)
        throw new UnsupportedOpError(layerOf(layers, dep, location).className, dep.layer, 'layers with more than one output');
      if (!values.has(key(dep.layer, dep.call))) pending.push({ ref: dep, expanded: false });
    }
  }

  const outputs: ValueInfo[] = keras.outputs.map((ref) => ({ name: values.get(key(ref.layer, ref.call))!, shape: [], dtype: 'float32' }));
  return builder.build({ format: 'tfjs-layers', location }, inputs, outputs);
}

function layerOf(layers: ReadonlyMap<string, KerasLayer>, ref: KerasTensorRef, location: string): KerasLayer {
  const layer = layers.get(ref.layer);
  if (layer === undefined)
    throw new ModelFormatError(`${location}: layer '${ref.layer}' is referenced but not defined in the model config.`);
  return layer;
}

function inputShape(layer: KerasLayer, location: string): (number | null)[] {
  const shape = layer.config['batch_input_shape'] ?? layer.config['batch_shape'];
  if (!Array.isArray(shape) || !shape.every((d) => d === null || Number.isInteger(d))) {
    throw new ModelFormatError(`${location}: input layer '${layer.name}' has no valid batch_input_shape (a list of integers or nulls).`);
  }
  return shape as (number | null)[];
}
