// `build:native` (run by turbo from scripts/setup.sh, and by hand): builds the addon with CUDA
// where nvcc is found (build/cuda), CPU-only elsewhere (build/cpu), and never fails setup on a
// machine that cannot build CUDA code:
// - nvcc found: cmake-js builds build/cuda/Release/motiondelta_cuda.node with the static CUDA
//   runtime, then checks that the binary needs no CUDA library (so it loads without a driver).
//   A failure here is an error (exit 1): the machine has nvcc, the build must work.
// - no nvcc (or --cpu-only): the CPU-only addon in build/cpu, which reports "built without CUDA:
//   nvcc not found at build time"; if even that cannot be built (no cmake or C++ compiler) the
//   step says so and exits 0: the `cuda` backend then reports "not built" and sessions fall back.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);
const say = (line) => process.stdout.write(`@motiondelta/sparse-kernels-cuda build:native: ${line}\n`);

/** Whether a command runs (`--version` exits 0). */
function runs(command) {
  const result = spawnSync(command, ['--version'], { stdio: 'ignore' });
  return result.error === undefined && result.status === 0;
}

const cpuOnly = process.argv.includes('--cpu-only');
const nvcc = process.env.CUDACXX || 'nvcc';
const withCuda = !cpuOnly && runs(nvcc);
const out = join('build', withCuda ? 'cuda' : 'cpu');

if (!runs('cmake')) {
  say('skipped: cmake is not installed, so no addon was built; the `cuda` backend will report "not built" and sessions fall back.');
  process.exit(0);
}

const cmakeJs = join(dirname(require.resolve('cmake-js/package.json')), 'bin', 'cmake-js');
const args = [
  cmakeJs,
  'compile',
  '--directory',
  'native',
  '--out',
  out,
  '--CDCMAKE_BUILD_TYPE=Release',
  `--CDMD_CUDA=${withCuda ? 'ON' : 'OFF'}`,
];
if (!process.argv.includes('--verbose')) args.push('--log-level', 'error');
say(
  withCuda
    ? `building with CUDA (${nvcc}) into ${out}`
    : `nvcc not found${cpuOnly ? ' (--cpu-only)' : ''}: building the CPU-only addon into ${out}`,
);
const built = spawnSync(process.execPath, args, { cwd: root, stdio: 'inherit' });
const addon = join(root, out, 'Release', 'motiondelta_cuda.node');
if (built.status !== 0 || !existsSync(addon)) {
  if (withCuda) {
    say(`the CUDA build failed (exit ${built.status}); nvcc is present, so this is an error to fix.`);
    process.exit(1);
  }
  say('the CPU-only addon did not build (is a C++17 compiler installed?); the `cuda` backend will report "not built".');
  process.exit(0);
}

if (withCuda) {
  // The point of the static runtime: a CUDA library among the binary's dynamic dependencies would
  // make it fail to load on machines without a GPU instead of saying "no NVIDIA driver".
  const dump = spawnSync('objdump', ['-p', addon], { encoding: 'utf8' });
  if (dump.status === 0) {
    const needed = [...dump.stdout.matchAll(/NEEDED\s+(\S+)/g)].map((m) => m[1]);
    const cudaLibs = needed.filter((lib) => /^lib(cuda|cudart|cublas|cudnn)/.test(lib));
    if (cudaLibs.length > 0) {
      say(`${addon} links ${cudaLibs.join(', ')} dynamically; it must link the CUDA runtime statically (CUDA::cudart_static).`);
      process.exit(1);
    }
    say(`built ${out}/Release/motiondelta_cuda.node (needs ${needed.join(', ')})`);
  } else {
    say(`built ${out}/Release/motiondelta_cuda.node (objdump not found: its dependencies were not checked)`);
  }
} else {
  say(`built ${out}/Release/motiondelta_cuda.node (CPU-only)`);
}
