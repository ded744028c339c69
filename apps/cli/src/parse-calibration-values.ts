import { InvalidArgumentError } from 'commander';

/**
 * Parsers for the target options of `motiondelta calibrate`. They throw commander's
 * InvalidArgumentError so that commander names the option in the message.
 */

/** A PSNR target in dB: a finite number > 0. */
export function parsePsnrTarget(value: string): number {
  const n = Number(value);
  if (value.trim() === '' || !Number.isFinite(n) || n <= 0) throw new InvalidArgumentError('Expected a PSNR in dB > 0, e.g. 40.');
  return n;
}

/** A fraction in [0, 1] (argmax agreement). */
export function parseFraction(value: string): number {
  const n = Number(value);
  if (value.trim() === '' || !(n >= 0 && n <= 1)) throw new InvalidArgumentError('Expected a fraction from 0 to 1, e.g. 0.99.');
  return n;
}

/** `r[,r...]`: ratios > 0 (input threshold over node threshold). */
export function parseRatioList(value: string): number[] {
  const ratios = value.split(',').map((r) => Number(r.trim()));
  if (value.trim() === '' || ratios.some((r) => !Number.isFinite(r) || r <= 0)) {
    throw new InvalidArgumentError('Expected numbers > 0 separated by commas, e.g. 0.25,0.5,1,2.');
  }
  return ratios;
}
