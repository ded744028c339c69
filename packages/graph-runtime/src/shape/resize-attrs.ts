import type { ResizeAttrs } from '@motiondelta/core';

/**
 * What is wrong with a Resize's `scales` or `sizes`, or undefined when they are usable: scales
 * must be finite and positive, sizes positive whole numbers. Importers turn the answer into a
 * ModelFormatError (the model file is wrong), the planner into a ShapeError (a graph built by
 * hand), both before any buffer of the resized size exists. A huge but valid scale is left to the
 * session's memory limit, which knows the input size.
 *
 * @example
 * ```ts
 * resizeAttrsProblem({ mode: 'nearest', coordinateMode: 'asymmetric', nearestMode: 'floor', scales: [-2, 2] });
 * // "scales [-2,2] must be finite numbers > 0"
 * ```
 */
export function resizeAttrsProblem(attrs: Pick<ResizeAttrs, 'scales' | 'sizes'>): string | undefined {
  if (attrs.sizes !== undefined) {
    const ok = attrs.sizes.length === 2 && attrs.sizes.every((s) => Number.isSafeInteger(s) && s >= 1);
    return ok ? undefined : `sizes [${attrs.sizes.join(',')}] must be two whole numbers >= 1 (output height and width)`;
  }
  if (attrs.scales !== undefined) {
    const ok = attrs.scales.length === 2 && attrs.scales.every((s) => Number.isFinite(s) && s > 0);
    return ok ? undefined : `scales [${attrs.scales.join(',')}] must be finite numbers > 0 (height and width factors)`;
  }
  return 'neither sizes nor scales is set; one of them is required';
}
