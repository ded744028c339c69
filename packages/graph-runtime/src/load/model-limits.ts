import { OptionError } from '@motiondelta/core';

/**
 * Default cap on a model file (and on a TF.js model's weight shards together): 2 GiB, the most a
 * protobuf message (so an ONNX file with embedded weights) can hold.
 */
export const DEFAULT_MAX_MODEL_BYTES = 2 * 2 ** 30;

/**
 * A TF.js model.json holds the topology only (weights live in shards), so it is capped far below
 * the model cap: a JSON text this size already takes gigabytes to parse.
 */
export const MAX_MODEL_JSON_BYTES = 128 * 2 ** 20;

/** Byte limits of one model import, all derived from `maxModelBytes`. */
export interface ModelLimits {
  /** The model file or bytes; for TF.js also the weight shards together (their encoded bytes). */
  readonly fileBytes: number;
  /**
   * Decoded weights and constants together (float32 bytes), and the estimated memory of the
   * decoded ONNX protobuf. Twice the file cap: float16 and 8-bit weights grow when decoded.
   */
  readonly decodedBytes: number;
}

/** The limits for a `maxModelBytes` option, checked to be a positive integer. */
export function modelLimits(maxModelBytes: unknown = DEFAULT_MAX_MODEL_BYTES): ModelLimits {
  if (typeof maxModelBytes !== 'number' || !Number.isSafeInteger(maxModelBytes) || maxModelBytes <= 0) {
    throw new OptionError(
      `options.maxModelBytes must be a positive integer number of bytes (default ${DEFAULT_MAX_MODEL_BYTES}), got ${String(maxModelBytes)}.`,
    );
  }
  return { fileBytes: maxModelBytes, decodedBytes: 2 * maxModelBytes };
}

/** The limits used when an importer is called directly, without loadModel's options. */
export const DEFAULT_MODEL_LIMITS: ModelLimits = modelLimits();
