// `build:prebuild`: turns the cmake-js build (build/Release/motiondelta_cpu.node) into the prebuilt
// binary the package ships (prebuilds/linux-x64/…, named as node-gyp-build matches it), after
// checking that it needs no library beyond the C and C++ runtimes, so it loads on any glibc
// Linux without extra packages. `build:native` runs it after every build, so setup (turbo run
// build:native) leaves the prebuild in place and packed tarballs carry it.
import { copyFileSync, existsSync, mkdirSync } from 'node:fs';
import { dirname, relative } from 'node:path';
import { builtAddon, neededLibraries, packageRoot, prebuildPath, unexpectedLibraries } from './addon-files.mjs';

function fail(message) {
  process.stderr.write(`build:prebuild: ${message}\n`);
  process.exit(1);
}

if (!existsSync(builtAddon)) fail(`${relative(packageRoot, builtAddon)} is missing; run build:native first.`);
if (process.platform !== 'linux' || process.arch !== 'x64') {
  // node-gyp-build would load it only on this platform anyway; say so instead of naming it wrongly.
  process.stdout.write(`build:prebuild: no prebuild for ${process.platform}-${process.arch} (only linux-x64 is shipped); skipped.\n`);
  process.exit(0);
}
const needed = neededLibraries(builtAddon);
if (needed === undefined) fail('objdump is not installed (Debian package binutils); it checks what the binary links.');
const unexpected = unexpectedLibraries(needed);
if (unexpected.length > 0) {
  fail(`${relative(packageRoot, builtAddon)} needs ${unexpected.join(', ')} at run time; a prebuild may need only the C and C++ runtimes.`);
}
const target = prebuildPath();
mkdirSync(dirname(target), { recursive: true });
copyFileSync(builtAddon, target);
process.stdout.write(`build:prebuild: ${relative(packageRoot, target)} (needs ${needed.join(', ')})\n`);
