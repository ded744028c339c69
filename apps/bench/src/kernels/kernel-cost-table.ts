import type { KernelCostPoint } from './measure-kernel-cost.js';
import type { LayerCase } from './layer-cases.js';

const percent = (x: number): string => `${(x * 100).toFixed(x < 0.01 ? 2 : 1)}%`;

/**
 * One layer's cost curve as a Markdown table for docs/BENCHMARKS.md.
 *
 * @example
 * ```ts
 * process.stdout.write(kernelCostTable(layer, points));
 * ```
 */
export function kernelCostTable(layer: LayerCase, points: readonly KernelCostPoint[]): string {
  const lines = [
    `${layer.description} (${(layer.denseMacs / 1e6).toFixed(0)} MMAC dense)`,
    '',
    '| input active | output active | delta ms | dense ms | speedup (dense/delta) | ideal (1/output active) | efficiency |',
    '| --- | --- | --- | --- | --- | --- | --- |',
    ...points.map(
      (p) =>
        `| ${percent(p.inputFraction)} | ${percent(p.outputFraction)} | ${p.deltaMs.toFixed(3)} | ${p.denseMs.toFixed(2)} | ${p.speedup.toFixed(2)}x | ${p.idealSpeedup.toFixed(1)}x | ${p.efficiency.toFixed(2)} |`,
    ),
  ];
  return `${lines.join('\n')}\n`;
}
