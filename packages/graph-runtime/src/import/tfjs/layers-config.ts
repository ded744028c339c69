import { ModelFormatError } from '@motiondelta/core';
import { isRecord } from './model-json.js';

/** A reference to one output of one call of a layer: Keras's [layer, node index, tensor index]. */
export interface KerasTensorRef {
  readonly layer: string;
  readonly call: number;
  readonly tensor: number;
}

/** One layer of a Keras model config; `calls[k]` lists the inputs of the layer's k-th call. */
export interface KerasLayer {
  readonly className: string;
  readonly name: string;
  readonly config: Readonly<Record<string, unknown>>;
  readonly calls: readonly (readonly KerasTensorRef[])[];
}

export interface KerasModel {
  readonly layers: readonly KerasLayer[];
  readonly inputs: readonly KerasTensorRef[];
  readonly outputs: readonly KerasTensorRef[];
}

/**
 * Reads `modelTopology` of a layers model: `{ model_config: {...} }` as Keras saves it, or the
 * model config itself. Sequential models are rewritten as a functional chain, with the implicit
 * input layer named `<first layer>_input` as tfjs-layers names it.
 */
export function parseKerasModel(topology: Record<string, unknown>, location: string): KerasModel {
  const modelConfig = isRecord(topology['model_config']) ? topology['model_config'] : topology;
  const className = modelConfig['class_name'];
  const config = modelConfig['config'];
  if (className === 'Sequential') return parseSequential(config, location);
  if (className === 'Model' || className === 'Functional') return parseFunctional(config, location);
  throw new ModelFormatError(`${location}: model class '${String(className)}' is not supported; accepted: Sequential, Functional, Model.`);
}

function parseLayerBase(raw: unknown, where: string): { className: string; name: string; config: Record<string, unknown> } {
  if (!isRecord(raw)) throw new ModelFormatError(`${where} is not an object.`);
  const className = raw['class_name'];
  const config = raw['config'];
  if (typeof className !== 'string' || !isRecord(config)) throw new ModelFormatError(`${where} needs 'class_name' and a 'config' object.`);
  const name = typeof raw['name'] === 'string' ? raw['name'] : config['name'];
  if (typeof name !== 'string') throw new ModelFormatError(`${where} (${className}) has no name.`);
  return { className, name, config };
}

function parseRef(raw: unknown, where: string): KerasTensorRef {
  if (!Array.isArray(raw) || typeof raw[0] !== 'string' || !Number.isInteger(raw[1]) || !Number.isInteger(raw[2])) {
    throw new ModelFormatError(`${where} must be [layer name, node index, tensor index].`);
  }
  return { layer: raw[0], call: raw[1] as number, tensor: raw[2] as number };
}

function parseFunctional(config: unknown, location: string): KerasModel {
  if (!isRecord(config) || !Array.isArray(config['layers'])) {
    throw new ModelFormatError(`${location}: functional model config needs a 'layers' array.`);
  }
  const layers = config['layers'].map((raw, i): KerasLayer => {
    const where = `${location}: layers[${i}]`;
    const base = parseLayerBase(raw, where);
    const inbound = (raw as Record<string, unknown>)['inbound_nodes'] ?? [];
    if (!Array.isArray(inbound)) throw new ModelFormatError(`${where} ('${base.name}') has a malformed 'inbound_nodes'.`);
    const calls = inbound.map((call, k) => {
      if (!Array.isArray(call)) {
        throw new ModelFormatError(
          `${where} ('${base.name}') inbound_nodes[${k}] is not a list of [layer, node, tensor] (Keras 3 files are not supported).`,
        );
      }
      return call.map((ref, j) => parseRef(ref, `${where} ('${base.name}') inbound_nodes[${k}][${j}]`));
    });
    return { ...base, calls };
  });
  const refs = (key: string) => {
    const list = config[key];
    if (!Array.isArray(list)) throw new ModelFormatError(`${location}: functional model config needs '${key}'.`);
    return list.map((r, i) => parseRef(r, `${location}: ${key}[${i}]`));
  };
  return { layers, inputs: refs('input_layers'), outputs: refs('output_layers') };
}

function parseSequential(config: unknown, location: string): KerasModel {
  const rawLayers = Array.isArray(config) ? config : isRecord(config) ? config['layers'] : undefined;
  if (!Array.isArray(rawLayers) || rawLayers.length === 0) {
    throw new ModelFormatError(`${location}: Sequential model config needs a non-empty 'layers' array.`);
  }
  const bases = rawLayers.map((raw, i) => parseLayerBase(raw, `${location}: layers[${i}]`));
  const layers: KerasLayer[] = [];
  let previous: string;
  const first = bases[0]!;
  if (first.className === 'InputLayer') {
    layers.push({ ...first, calls: [] });
    previous = first.name;
  } else {
    const shape = first.config['batch_input_shape'] ?? first.config['batch_shape'];
    if (shape === undefined)
      throw new ModelFormatError(`${location}: the first layer '${first.name}' of the Sequential model has no batch_input_shape.`);
    previous = `${first.name}_input`;
    layers.push({ className: 'InputLayer', name: previous, config: { batch_input_shape: shape }, calls: [] });
  }
  for (const base of bases) {
    if (base.className === 'InputLayer') continue;
    layers.push({ ...base, calls: [[{ layer: previous, call: 0, tensor: 0 }]] });
    previous = base.name;
  }
  return { layers, inputs: [{ layer: layers[0]!.name, call: 0, tensor: 0 }], outputs: [{ layer: previous, call: 0, tensor: 0 }] };
}

/** Typed reads of a layer's config, naming the layer and field when a value is malformed. */
export class KerasConfig {
  constructor(
    readonly layer: KerasLayer,
    private readonly location: string,
  ) {}

  private fail(field: string, expected: string): never {
    const got = JSON.stringify(this.layer.config[field]);
    throw new ModelFormatError(
      `${this.location}: layer '${this.layer.name}' (${this.layer.className}) '${field}' is ${got}; expected ${expected}.`,
    );
  }

  raw(field: string): unknown {
    return this.layer.config[field];
  }

  number(field: string, fallback?: number): number {
    const v = this.layer.config[field];
    if (typeof v === 'number') return v;
    if ((v === undefined || v === null) && fallback !== undefined) return fallback;
    return this.fail(field, 'a number');
  }

  /** Null when absent or null (Keras writes `max_value: null`). */
  optionalNumber(field: string): number | null {
    const v = this.layer.config[field];
    if (v === undefined || v === null) return null;
    return typeof v === 'number' ? v : this.fail(field, 'a number or null');
  }

  string(field: string, fallback?: string): string {
    const v = this.layer.config[field];
    if (typeof v === 'string') return v;
    if (v === undefined && fallback !== undefined) return fallback;
    return this.fail(field, 'a string');
  }

  bool(field: string, fallback: boolean): boolean {
    const v = this.layer.config[field];
    if (typeof v === 'boolean') return v;
    if (v === undefined) return fallback;
    return this.fail(field, 'true or false');
  }

  /** A spatial pair: Keras accepts a single integer for both dimensions. */
  pair(field: string, fallback?: readonly [number, number]): [number, number] {
    const v = this.layer.config[field];
    if (typeof v === 'number') return [v, v];
    if (Array.isArray(v) && v.length === 2 && v.every((d) => typeof d === 'number')) return [v[0] as number, v[1] as number];
    if ((v === undefined || v === null) && fallback !== undefined) return [fallback[0], fallback[1]];
    return this.fail(field, 'an integer or a pair of integers');
  }
}
