/**
 * Typed errors shared by every MotionDelta package.
 *
 * Each class carries a stable `name` and a `Symbol.for` marker so that `isInstance` keeps working
 * when two copies of this package end up in one program (a bundled app plus a linked workspace,
 * for example), where `instanceof` would silently fail.
 */

const marker = Symbol.for('motiondelta.error');

/** Base class of every error MotionDelta throws on purpose. */
export class MotionDeltaError extends Error {
  private readonly [marker] = true;

  constructor(name: string, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = name;
  }

  /** True for any MotionDelta error, even one made by another copy of this package. */
  static isInstance(error: unknown): error is MotionDeltaError {
    return typeof error === 'object' && error !== null && marker in error;
  }
}

function makeIsInstance<T extends MotionDeltaError>(name: string) {
  return (error: unknown): error is T => MotionDeltaError.isInstance(error) && error.name === name;
}

/** A model file is unreadable: truncated, corrupt, of an unknown format, or missing a weight file. */
export class ModelFormatError extends MotionDeltaError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('ModelFormatError', message, options);
  }
  static override isInstance = makeIsInstance<ModelFormatError>('ModelFormatError');
}

/** A model uses an operator (or an attribute value of one) that MotionDelta does not implement. */
export class UnsupportedOpError extends MotionDeltaError {
  readonly op: string;
  readonly node: string;
  constructor(op: string, node: string, detail?: string) {
    super(
      'UnsupportedOpError',
      `Unsupported op '${op}' at node '${node}'${detail ? `: ${detail}` : ''}. ` +
        'See the table of supported ops in the @motiondelta/graph-runtime README.',
    );
    this.op = op;
    this.node = node;
  }
  static override isInstance = makeIsInstance<UnsupportedOpError>('UnsupportedOpError');
}

/** A tensor has the wrong shape, rank or size for where it is used. */
export class ShapeError extends MotionDeltaError {
  constructor(message: string) {
    super('ShapeError', message);
  }
  static override isInstance = makeIsInstance<ShapeError>('ShapeError');
}

/** Input values are unusable (NaN or infinite values, wrong dtype). */
export class InputError extends MotionDeltaError {
  constructor(message: string) {
    super('InputError', message);
  }
  static override isInstance = makeIsInstance<InputError>('InputError');
}

/** A backend cannot be used here: not built, no device, failed to initialise. */
export class BackendUnavailableError extends MotionDeltaError {
  readonly backend: string;
  /** Why it cannot run, without the backend's name (what a fallback list reports). */
  readonly reason: string;
  constructor(backend: string, reason: string, options?: { cause?: unknown }) {
    super('BackendUnavailableError', `Backend '${backend}' is unavailable: ${reason}`, options);
    this.backend = backend;
    this.reason = reason;
  }
  static override isInstance = makeIsInstance<BackendUnavailableError>('BackendUnavailableError');
}

/** A data file (model, clip, photo) is missing, fails its checksum, or cannot be fetched. */
export class DataError extends MotionDeltaError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('DataError', message, options);
  }
  static override isInstance = makeIsInstance<DataError>('DataError');
}

/** Video could not be read or written (ffmpeg missing, unreadable file, not a video). */
export class VideoError extends MotionDeltaError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('VideoError', message, options);
  }
  static override isInstance = makeIsInstance<VideoError>('VideoError');
}

/** An option passed to a MotionDelta API is out of range or of the wrong kind. */
export class OptionError extends MotionDeltaError {
  constructor(message: string) {
    super('OptionError', message);
  }
  static override isInstance = makeIsInstance<OptionError>('OptionError');
}

/**
 * A threshold profile was made for another model, input size or preprocessing than the one it is
 * applied to: its thresholds would mean something else there. `mismatches` lists each difference
 * (what the profile recorded, what it was applied to).
 *
 * @example
 * ```ts
 * import { ProfileMismatchError } from '@motiondelta/core';
 * try {
 *   await checkProfile(profile, model, { inputShapes: { input: [1, 288, 384, 3] } });
 * } catch (error) {
 *   if (ProfileMismatchError.isInstance(error)) console.log(error.mismatches);
 * }
 * ```
 */
export class ProfileMismatchError extends MotionDeltaError {
  readonly mismatches: readonly string[];
  constructor(where: string, mismatches: readonly string[]) {
    super(
      'ProfileMismatchError',
      `Threshold profile '${where}' does not fit: ${mismatches.join('; ')}. Calibrate a profile for this model, size and preprocessing.`,
    );
    this.mismatches = mismatches;
  }
  static override isInstance = makeIsInstance<ProfileMismatchError>('ProfileMismatchError');
}

/**
 * Something would need more memory or bytes than MotionDelta allows: a model file, a weight, a
 * frame, or the buffers a session would allocate. Thrown before the allocation, so nothing large
 * was ever reserved. `what` names the file, tensor or option; `bytes` is what it would need and
 * `limit` what is allowed (the message says which option raises the limit).
 *
 * @example
 * ```ts
 * import { ResourceLimitError } from '@motiondelta/core';
 * try {
 *   await model.createSession({ mode: 'delta', memoryLimit: 64 * 2 ** 20 });
 * } catch (error) {
 *   if (ResourceLimitError.isInstance(error)) console.log(error.what, error.bytes, error.limit);
 * }
 * ```
 */
export class ResourceLimitError extends MotionDeltaError {
  readonly what: string;
  readonly bytes: number;
  readonly limit: number;
  constructor(what: string, bytes: number, limit: number, detail: string) {
    super('ResourceLimitError', `${what} would need ${formatBytes(bytes)}, over the limit of ${formatBytes(limit)}: ${detail}`);
    this.what = what;
    this.bytes = bytes;
    this.limit = limit;
  }
  static override isInstance = makeIsInstance<ResourceLimitError>('ResourceLimitError');
}

/** `1.5 GiB`, `12.0 MiB`, `512 B`: sizes in messages. */
export function formatBytes(bytes: number): string {
  if (!Number.isFinite(bytes)) return `${bytes} B`;
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB', 'PiB'];
  let value = bytes;
  let unit = 0;
  while (Math.abs(value) >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return unit === 0 ? `${value} B` : `${value.toFixed(1)} ${units[unit]}`;
}
