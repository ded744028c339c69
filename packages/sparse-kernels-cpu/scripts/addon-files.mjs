// Where the addon's binaries live, shared by the prebuild and install scripts (plain Node, no
// dependencies: the install script runs before anything of this package is built).
import { execFileSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** This package's root. */
export const packageRoot = join(dirname(fileURLToPath(import.meta.url)), '..');

/** What cmake-js builds (native/CMakeLists.txt). */
export const builtAddon = join(packageRoot, 'build', 'Release', 'motiondelta_cpu.node');

/**
 * The prebuilt binary as node-gyp-build looks for it: `prebuilds/<platform>-<arch>/`, a file whose
 * dot-separated tags say runtime `node`, `napi` (one file for every Node version with N-API 8) and
 * the C library (`glibc`; musl systems such as Alpine get no match and build from source).
 */
export function prebuildPath(platform = process.platform, arch = process.arch) {
  return join(packageRoot, 'prebuilds', `${platform}-${arch}`, 'motiondelta_cpu.node.napi.glibc.node');
}

/** Libraries a prebuilt binary may need at run time: the C and C++ runtimes every glibc Linux has. */
const ALLOWED_NEEDED = /^(libc|libm|libstdc\+\+|libgcc_s|libpthread|libdl|librt|ld-linux-x86-64)\.so(\.\d+)*$/;

/**
 * The shared libraries an ELF file needs (objdump -p), or undefined when objdump is not installed.
 * @param {string} file
 * @returns {string[] | undefined}
 */
export function neededLibraries(file) {
  let dump;
  try {
    dump = execFileSync('objdump', ['-p', file], { encoding: 'utf8', maxBuffer: 1 << 26 });
  } catch {
    return undefined;
  }
  return [...dump.matchAll(/^\s*NEEDED\s+(\S+)$/gm)].map((m) => m[1]);
}

/**
 * The needed libraries of `file` that a machine without a compiler or extra packages may lack.
 * @param {string[]} needed
 * @returns {string[]}
 */
export function unexpectedLibraries(needed) {
  return needed.filter((lib) => !ALLOWED_NEEDED.test(lib));
}

/** Whether a C++17 compiler and cmake are on PATH, and which one is missing. */
export function missingBuildTools() {
  const has = (cmd, args = ['--version']) => {
    try {
      execFileSync(cmd, args, { stdio: 'ignore' });
      return true;
    } catch {
      return false;
    }
  };
  const missing = [];
  if (!has('cmake')) missing.push('cmake (>= 3.18)');
  const cxx = process.env['CXX'];
  if (!(cxx ? has(cxx) : has('c++') || has('g++') || has('clang++'))) missing.push('a C++17 compiler (g++ or clang++)');
  return missing;
}
