import type { NativeDeltaAddon } from './delta/native-delta-addon.js';
import type { NativeDenseAddon } from './dense/native-dense-addon.js';
import type { NativeProgramAddon } from './program/native-program-addon.js';

/**
 * The instruction-set path of the native kernels: `avx2-fma` (AVX2 + FMA: the packed 6x16 GEMM
 * kernel, AVX2 depthwise loops) or `baseline` (any x86-64: the packed GEMM with a 3x16 SSE2 tile,
 * SSE2 loops).
 */
export type CpuIsa = 'avx2-fma' | 'baseline';

/** What `cpuFeatures()` reports. */
export interface CpuFeatures {
  /** The path every kernel runs with, chosen once when the addon loaded. */
  readonly isa: CpuIsa;
  /** The best path this CPU runs (what `isa` is unless MD_CPU_ISA lowered it). */
  readonly best: CpuIsa;
  /** True when MD_CPU_ISA (other than `auto`) chose `isa`. */
  readonly forced: boolean;
  /** What the CPU (and OS) support, from `__builtin_cpu_supports`. */
  readonly features: {
    readonly sse4_2: boolean;
    readonly avx: boolean;
    readonly avx2: boolean;
    readonly fma: boolean;
    readonly avx512f: boolean;
  };
}

/** The whole native addon as seen from JavaScript: dense and delta kernels, compiled programs, the thread pool. */
export type NativeAddon = NativeDenseAddon &
  NativeDeltaAddon &
  NativeProgramAddon & {
    /** Sets the process-wide number of computing threads (>= 1). */
    setThreads(n: number): void;
    /** The process-wide number of computing threads. */
    threads(): number;
    /** The CPU path the kernels run with (see {@link CpuFeatures}). */
    cpuFeatures(): CpuFeatures;
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
  'stridedCopy',
  'reduce',
  'setInlineWork',
  'cpuFeatures',
  'programCompile',
  'programRun',
  'programUpdateMask',
  'programInfo',
  'programDispose',
] as const satisfies readonly (keyof NativeAddon)[];

/** The required entry points `addon` lacks (empty for a complete build). */
export function missingEntryPoints(addon: unknown): string[] {
  const object = (typeof addon === 'object' && addon !== null ? addon : {}) as Record<string, unknown>;
  return REQUIRED_ENTRY_POINTS.filter((name) => typeof object[name] !== 'function');
}
