import { ModelFormatError, UnsupportedOpError, formatShape, sizeOf } from '@motiondelta/core';
import type { ActivationSpec, Tensor } from '@motiondelta/core';
import { KERAS_ACTIVATION_NAMES, kerasActivation } from './activations.js';
import type { GraphBuilder } from './graph-builder.js';
import { KerasConfig } from './layers-config.js';
import type { KerasLayer } from './layers-config.js';
import type { DecodedWeight } from './weights.js';

/** What a layer converter gets for one call site of a layer. */
export interface LayerCall {
  readonly layer: KerasLayer;
  readonly config: KerasConfig;
  /** IR values of the call's inputs, in order. */
  readonly inputs: readonly string[];
  /** Base name of the call's IR nodes: the layer name, suffixed for second and later calls. */
  readonly name: string;
}

/**
 * State of one layers-model import: the builder and the weights, found by `<layer>/<param>` (the
 * converter sometimes prefixes the model name, so the last two path parts are what count).
 */
export class LayersImportContext {
  private readonly weights = new Map<string, Tensor>();

  constructor(
    readonly builder: GraphBuilder,
    readonly location: string,
    weights: ReadonlyMap<string, DecodedWeight>,
  ) {
    const suffixed: [string, Tensor][] = [];
    for (const [name, w] of weights) {
      if (w.dtype !== 'float32') continue;
      const parts = name.replace(/:0$/, '').split('/');
      if (parts.length > 2) suffixed.push([parts.slice(-2).join('/'), w.tensor]);
      else this.weights.set(parts.join('/'), w.tensor);
    }
    for (const [key, t] of suffixed) if (!this.weights.has(key)) this.weights.set(key, t);
  }

  weight(call: LayerCall, param: string): Tensor | undefined {
    return this.weights.get(`${call.layer.name}/${param}`);
  }

  requireWeight(call: LayerCall, param: string, rank?: number): Tensor {
    const w = this.weight(call, param);
    if (w === undefined) {
      throw new ModelFormatError(
        `${this.location}: layer '${call.layer.name}' (${call.layer.className}) has no weight '${call.layer.name}/${param}' in the manifest.`,
      );
    }
    if (rank !== undefined && w.shape.length !== rank) {
      throw new ModelFormatError(
        `${this.location}: layer '${call.layer.name}' weight '${param}' has shape ${formatShape(w.shape)}; expected rank ${rank}.`,
      );
    }
    return w;
  }

  /** Registers a weight under a unique value name and returns that name. */
  constant(name: string, tensor: Tensor): string {
    let unique = name;
    // A shared layer's second call reads the same weight: reuse it rather than copy it.
    for (let i = 1; this.builder.hasConstant(unique); i++) {
      if (this.builder.getConstant(unique) === tensor) return unique;
      unique = `${name}_${i}`;
    }
    return this.builder.addConstant(unique, tensor);
  }

  single(call: LayerCall): string {
    if (call.inputs.length !== 1) {
      throw new ModelFormatError(
        `${this.location}: layer '${call.layer.name}' (${call.layer.className}) takes one input, got ${call.inputs.length}.`,
      );
    }
    return call.inputs[0]!;
  }

  /**
   * The layer's `activation` field: fused into the producer when the IR can express it, else a
   * separate node after it. `emit` builds the producer with the fused activation (if any) and
   * the name it should take.
   */
  withActivation(call: LayerCall, emit: (activation: ActivationSpec | undefined, name: string) => string): string {
    const name = call.config.string('activation', 'linear');
    const act = kerasActivation(name);
    if (act === undefined) throw new UnsupportedOpError(`activation '${name}'`, call.layer.name, activationHelp());
    if (act.kind === 'linear') return emit(undefined, call.name);
    if (act.kind === 'fused') return emit(act.spec, call.name);
    return this.activationNode(call.name, name, emit(undefined, `${call.name}/preact`), call.layer.name);
  }

  /** A standalone Keras activation by name (Activation layer, or an unfusable one). */
  activationNode(nodeName: string, activation: string, x: string, layerName: string): string {
    const act = kerasActivation(activation);
    if (act === undefined) throw new UnsupportedOpError(`activation '${activation}'`, layerName, activationHelp());
    switch (act.kind) {
      case 'linear':
        return this.builder.add(nodeName, 'Identity', {}, [x]);
      case 'fused':
        return this.builder.add(nodeName, 'Activation', { activation: act.spec }, [x]);
      case 'softmax':
        return this.builder.add(nodeName, 'Softmax', { axis: -1 }, [x]);
    }
  }

  /** A per-channel vector weight, or a constant filled with `fill` when the layer has none. */
  vectorOr(call: LayerCall, param: string, channels: number, fill: number, present: boolean): string {
    const w = present ? this.requireWeight(call, param) : undefined;
    if (w !== undefined) {
      if (sizeOf(w.shape) !== channels) {
        throw new ModelFormatError(
          `${this.location}: layer '${call.layer.name}' weight '${param}' has shape ${formatShape(w.shape)}; expected [${channels}].`,
        );
      }
      return this.constant(`${call.layer.name}/${param}`, w);
    }
    return this.constant(`${call.layer.name}/${param}`, { data: new Float32Array(channels).fill(fill), shape: [channels] });
  }
}

function activationHelp(): string {
  return `accepted activations: ${KERAS_ACTIVATION_NAMES.join(', ')}`;
}
