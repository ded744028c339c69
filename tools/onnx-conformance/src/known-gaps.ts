import type { Outcome } from './run-case.js';

/** An in-scope test that does not pass yet, the outcome it has, and why. */
export interface KnownGap {
  readonly outcome: Outcome['kind'];
  readonly reason: string;
}

/**
 * In-scope tests of supported ops that do not pass yet, each with the reason. The conformance
 * test asserts each one still ends the way it says here, so a fix (or a regression) shows up as
 * a failing test until this list is updated. Unsupported ops are not listed: they must end in
 * `UnsupportedOpError`, and the tables count them.
 */
export const KNOWN_GAPS: Readonly<Record<string, KnownGap>> = {
  test_resize_downsample_scales_linear_align_corners: {
    outcome: 'mismatch',
    reason:
      'with scales (not sizes), the ONNX reference maps align_corners coordinates with the unrounded output length ' +
      '(in * scale = 2.4, giving x * 3 / 1.4), while the IR Resize maps with the integer output size (2); ' +
      'matching needs the scale in the IR Resize op and its kernels',
  },
};
