import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/** This package's root. */
export const PACKAGE_ROOT = fileURLToPath(new URL('..', import.meta.url));

/** Whether cmake can be run (the host test build needs it and a C++17 compiler). */
export function hasCmake(): boolean {
  const r = spawnSync('cmake', ['--version'], { stdio: 'ignore' });
  return r.error === undefined && r.status === 0;
}

/**
 * Configures and builds native/host-test into build/host-test (incremental: a rebuild with no
 * change is a no-op) and returns the binary's path; throws with the compiler's output on failure.
 */
export function buildHostConformance(): string {
  const build = `${PACKAGE_ROOT}build/host-test`;
  for (const args of [
    ['-S', `${PACKAGE_ROOT}native/host-test`, '-B', build, '-DCMAKE_BUILD_TYPE=Release'],
    ['--build', build, '--parallel', '2'],
  ]) {
    const r = spawnSync('cmake', args, { encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`cmake ${args.join(' ')} failed:\n${r.stdout}\n${r.stderr}`);
  }
  return `${build}/md_cuda_host_conformance`;
}

/** One line of the host binary's report. */
export interface HostCaseLine {
  readonly verdict: 'pass' | 'fail' | 'declined';
  readonly worst: string;
  readonly name: string;
  readonly message: string;
}

/** Runs the host binary on a folder of case files and parses its report. */
export function runHostConformance(binary: string, folder: string): { status: number | null; lines: HostCaseLine[]; summary: string } {
  const r = spawnSync(binary, [folder], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  const lines: HostCaseLine[] = [];
  let summary = '';
  for (const line of r.stdout.split('\n')) {
    const m = /^(pass|fail|declined) (\S+) (.*?) :: (.*)$/.exec(line);
    if (m) lines.push({ verdict: m[1] as HostCaseLine['verdict'], worst: m[2]!, name: m[3]!, message: m[4]! });
    else if (/^\d+ passed, \d+ failed, \d+ declined$/.test(line)) summary = line;
  }
  return { status: r.status, lines, summary: summary || `${r.stdout.slice(-500)}\n${r.stderr.slice(-500)}` };
}
