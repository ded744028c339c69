import type { NativeDeltaAddon } from './delta/native-delta-addon.js';
import type { NativeDenseAddon } from './dense/native-dense-addon.js';

/** The whole native addon as seen from JavaScript: dense and delta kernels plus the thread pool. */
export type NativeAddon = NativeDenseAddon &
  NativeDeltaAddon & {
    /** Sets the process-wide number of computing threads (>= 1); OpenBLAS follows it. */
    setThreads(n: number): void;
    /** The process-wide number of computing threads. */
    threads(): number;
  };

/** Entry points a loaded addon must export; a missing one means a stale build. */
export const REQUIRED_ENTRY_POINTS = [
  'setThreads',
  'threads',
  'conv2d',
  'conv2dPackWeights',
  'convTranspose2d',
  'pool2d',
  'globalAvgPool',
  'activation',
  'batchNorm',
  'binary',
  'concat',
  'pad',
  'resize',
  'gemm',
  'matmul',
  'setInlineWork',
] as const satisfies readonly (keyof NativeAddon)[];

/** The required entry points `addon` lacks (empty for a complete build). */
export function missingEntryPoints(addon: unknown): string[] {
  const object = (typeof addon === 'object' && addon !== null ? addon : {}) as Record<string, unknown>;
  return REQUIRED_ENTRY_POINTS.filter((name) => typeof object[name] !== 'function');
}
