import { existsSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { OptionError } from '@motiondelta/core';
import { MODEL_IDS, MODEL_INPUTS, ensureData, modelInputMapping, type ModelId } from '@motiondelta/data';
import { loadModel, type Model } from '@motiondelta/graph-runtime';

/**
 * How RGB bytes become input values: `(byte * scale + offset - mean[c]) / std[c]`, channels in
 * `channelOrder` (`frameToTensor`'s options).
 */
export interface InputMapping {
  readonly scale: number;
  readonly offset: number;
  readonly mean?: readonly [number, number, number];
  readonly std?: readonly [number, number, number];
  readonly channelOrder?: 'bgr';
}

/** A loaded model with everything needed to feed it frames and draw its outputs. */
export interface ResolvedModel {
  /** The catalog id, or the path the user gave. */
  readonly label: string;
  /** The catalog id when the model comes from the catalog; decides how outputs are drawn. */
  readonly catalogId?: ModelId;
  readonly task: string;
  readonly model: Model;
  /** Name of the one image input. */
  readonly inputName: string;
  readonly mapping: InputMapping;
  /** [height, width] when the model takes only one size. */
  readonly fixedSize?: readonly [number, number];
  /** Height and width must be multiples of this. */
  readonly multipleOf: number;
}

/** Input mapping for models given by path (`--scale --offset --mean --std --bgr`); catalog models bring their own. */
export interface CustomInputArgs {
  readonly scale?: number;
  readonly offset?: number;
  readonly mean?: readonly [number, number, number];
  readonly std?: readonly [number, number, number];
  /** Feed channels as B, G, R (models trained on OpenCV frames). */
  readonly bgr?: boolean;
}

/** The input arguments that were given, alone: what each layer passes on to the next. */
export function customInputArgs(options: CustomInputArgs): CustomInputArgs {
  return {
    ...(options.scale !== undefined && { scale: options.scale }),
    ...(options.offset !== undefined && { offset: options.offset }),
    ...(options.mean !== undefined && { mean: options.mean }),
    ...(options.std !== undefined && { std: options.std }),
    ...(options.bgr === true && { bgr: true }),
  };
}

function isModelId(value: string): value is ModelId {
  return (MODEL_IDS as readonly string[]).includes(value);
}

/**
 * Loads `--model`: a catalog id (fetched into the data cache if needed) or a path to an ONNX file
 * or a TF.js model.json. A path wins over an id of the same name, so a local file is never
 * shadowed by the catalog.
 */
export async function resolveModel(arg: string, custom: CustomInputArgs = {}): Promise<ResolvedModel> {
  const path = resolve(arg);
  if (existsSync(path)) {
    if (statSync(path).isDirectory()) {
      const inside = existsSync(join(path, 'model.json')) ? ` (such as '${join(arg, 'model.json')}')` : '';
      throw new OptionError(`--model '${arg}' is a directory: give the .onnx file or the TF.js model.json inside it${inside}.`);
    }
    const model = await loadModel(path);
    const { inputName, fixedSize } = imageInput(model, arg);
    return {
      label: arg,
      task: 'custom model',
      model,
      inputName,
      mapping: {
        scale: custom.scale ?? 1,
        offset: custom.offset ?? 0,
        ...(custom.mean && { mean: custom.mean }),
        ...(custom.std && { std: custom.std }),
        ...(custom.bgr === true && { channelOrder: 'bgr' as const }),
      },
      ...(fixedSize ? { fixedSize } : {}),
      multipleOf: 1,
    };
  }
  if (!isModelId(arg)) {
    throw new OptionError(
      `Unknown model '${arg}': no such file, and not a catalog id. Known ids: ${MODEL_IDS.join(', ')}; or give a path to an .onnx file or a TF.js model.json.`,
    );
  }
  if (Object.keys(customInputArgs(custom)).length > 0) {
    throw new OptionError(
      `--scale, --offset, --mean, --std and --bgr apply only when --model is a file path; the catalog model '${arg}' maps its inputs itself.`,
    );
  }
  const spec = MODEL_INPUTS[arg];
  const { main } = await ensureData(arg);
  const model = await loadModel(main);
  const { inputName } = imageInput(model, arg);
  return {
    label: arg,
    catalogId: arg,
    task: spec.task,
    model,
    inputName,
    mapping: modelInputMapping(arg),
    ...(spec.fixedSize ? { fixedSize: spec.fixedSize } : {}),
    multipleOf: spec.multipleOf,
  };
}

/** The command feeds one RGB frame per run, so the model must take exactly one NHWC 3-channel input. */
function imageInput(model: Model, label: string): { inputName: string; fixedSize?: readonly [number, number] } {
  const [input, ...rest] = model.inputs;
  const shape = input?.shape;
  if (!input || rest.length > 0 || !shape || shape.length !== 4 || (shape[3] !== null && shape[3] !== 3)) {
    const found = model.inputs.map((i) => `${i.name} [${i.shape.map((d) => d ?? '?').join(',')}]`).join(', ');
    throw new OptionError(`Model '${label}' must have one image input of shape [1,H,W,3] (NHWC RGB); it has: ${found || 'no inputs'}.`);
  }
  const h = shape[1];
  const w = shape[2];
  return typeof h === 'number' && typeof w === 'number' ? { inputName: input.name, fixedSize: [h, w] } : { inputName: input.name };
}
