import { OptionError } from '@motiondelta/core';

/** The size rules of a model's input. */
export interface SizeRules {
  readonly label: string;
  readonly fixedSize?: readonly [number, number];
  readonly multipleOf: number;
}

/** The chosen input size, and a note for the user when their wish was not followed. */
export interface InputSizeChoice {
  readonly size: readonly [number, number];
  readonly note?: string;
}

/**
 * The model input [height, width]. Fixed-size models ignore `--size`; otherwise `--size` must
 * respect the model's multiple, and without it the frame size is rounded down to that multiple
 * (frames are then centre-cropped to the input's aspect ratio and resized, never stretched).
 */
export function chooseInputSize(rules: SizeRules, frame: readonly [number, number], wish?: readonly [number, number]): InputSizeChoice {
  if (rules.fixedSize) {
    const size = [rules.fixedSize[0], rules.fixedSize[1]] as const;
    return wish ? { size, note: `--size ignored: model '${rules.label}' only takes ${size[0]}x${size[1]}.` } : { size };
  }
  const m = rules.multipleOf;
  if (wish) {
    if (wish[0] % m !== 0 || wish[1] % m !== 0) {
      const near = [Math.max(m, Math.round(wish[0] / m) * m), Math.max(m, Math.round(wish[1] / m) * m)];
      throw new OptionError(
        `--size ${wish[0]}x${wish[1]} does not fit model '${rules.label}': height and width must be multiples of ${m} (e.g. ${near[0]}x${near[1]}).`,
      );
    }
    return { size: [wish[0], wish[1]] };
  }
  return { size: [Math.max(m, Math.floor(frame[0] / m) * m), Math.max(m, Math.floor(frame[1] / m) * m)] };
}
