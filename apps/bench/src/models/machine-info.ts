import { readFileSync } from 'node:fs';
import { arch, availableParallelism, cpus, loadavg, platform, totalmem } from 'node:os';
import type { MachineInfo } from './bench-report.js';

/** The `model name` line of /proc/cpuinfo text, or undefined when there is none. */
export function cpuModelFromProcCpuinfo(text: string): string | undefined {
  const line = text.split('\n').find((l) => /^model name\s*:/.test(l));
  const model = line?.slice(line.indexOf(':') + 1).trim();
  return model ? model : undefined;
}

/**
 * Describes this machine for a benchmark report. The CPU model comes from /proc/cpuinfo where
 * it exists (what `lscpu` shows), else from Node.
 */
export function machineInfo(): MachineInfo {
  let cpuModel: string | undefined;
  try {
    cpuModel = cpuModelFromProcCpuinfo(readFileSync('/proc/cpuinfo', 'utf8'));
  } catch {
    // Not Linux: Node's own description below.
  }
  return {
    cpus: availableParallelism(),
    cpuModel: cpuModel ?? cpus()[0]?.model ?? 'unknown',
    node: process.version,
    platform: platform(),
    arch: arch(),
    totalMemoryGiB: Math.round((totalmem() / 2 ** 30) * 10) / 10,
    loadAverage1m: Math.round((loadavg()[0] ?? 0) * 100) / 100,
  };
}
