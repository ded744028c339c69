// The package's `install` script. It never fails the install (exit code 0 on every path): without a
// native binary MotionDelta still runs, on its pure-TypeScript reference backend, and
// `session.backendInfo.skipped` says why and what to install.
//
// 1. A binary that loads (the prebuilt one for linux-x64 glibc, or an earlier source build): done.
// 2. Otherwise a source build with cmake-js (needs cmake and a C++17 compiler, nothing else: the
//    addon links no BLAS), then the check again.
// 3. Otherwise one message saying what is missing.
//
// Inside the MotionDelta repository it does nothing: `pnpm install` runs this script for workspace
// packages, and scripts/setup.sh builds the addon explicitly afterwards (turbo run build:native),
// so building here would only do the same slow build twice.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { missingBuildTools, packageRoot } from './addon-files.mjs';

const require = createRequire(import.meta.url);
const NAME = '@motiondelta/sparse-kernels-cpu';
const FALLBACK = 'MotionDelta will run on its reference backend (pure TypeScript, much slower) until then.';

function say(line) {
  process.stdout.write(`${NAME}: ${line}\n`);
}

/** The binary node-gyp-build resolves, if it loads and has this version's entry points. */
function loadable() {
  try {
    const path = require('node-gyp-build').path(packageRoot);
    const addon = require(path);
    // A build left from an older version loads but lacks entry points: rebuild it.
    if (typeof addon.cpuFeatures !== 'function') return { ok: false, reason: `${path} is a stale build` };
    return { ok: true, path };
  } catch (error) {
    return { ok: false, reason: error instanceof Error ? error.message.split('\n')[0] : String(error) };
  }
}

function inMonorepo() {
  return existsSync(join(packageRoot, '..', '..', 'pnpm-workspace.yaml')) && existsSync(join(packageRoot, 'native', 'CMakeLists.txt'));
}

function main() {
  if (process.env['MOTIONDELTA_SKIP_NATIVE_INSTALL'] === '1') return;
  if (inMonorepo()) return;
  const first = loadable();
  if (first.ok) return;
  const platform = `${process.platform}-${process.arch}`;
  const missing = missingBuildTools();
  if (missing.length > 0) {
    say(
      `no prebuilt native binary fits this machine (${platform}; ${first.reason}) and it cannot be built from source: ` +
        `${missing.join(' and ')} ${missing.length > 1 ? 'are' : 'is'} not installed. Install cmake (>= 3.18) and a C++17 compiler ` +
        `(Debian/Ubuntu: apt-get install cmake g++ make), then run \`npm rebuild ${NAME}\`. ${FALLBACK}`,
    );
    return;
  }
  say(`no prebuilt native binary fits this machine (${platform}); building it from source with cmake-js (a few minutes) ...`);
  const build = spawnSync(
    process.execPath,
    [
      require.resolve('cmake-js/bin/cmake-js'),
      'compile',
      '--directory',
      'native',
      '--out',
      'build',
      '--CDCMAKE_BUILD_TYPE=Release',
      '--log-level',
      'error',
    ],
    { cwd: packageRoot, encoding: 'utf8', timeout: 30 * 60_000, maxBuffer: 1 << 26 },
  );
  const second = build.status === 0 ? loadable() : undefined;
  if (second?.ok) {
    say(`built ${second.path}`);
    return;
  }
  const output = `${build.stdout ?? ''}${build.stderr ?? ''}`.trim().split('\n').slice(-20).join('\n');
  const why = build.error
    ? build.error.message
    : build.status !== 0
      ? `cmake-js exited with ${build.status ?? build.signal}`
      : second?.reason;
  say(
    `the source build failed (${why}). It needs cmake (>= 3.18) and a C++17 compiler; fix what the output below names, then run ` +
      `\`npm rebuild ${NAME}\`. ${FALLBACK}\n${output}`,
  );
}

try {
  main();
} catch (error) {
  say(`the native install step failed unexpectedly (${error instanceof Error ? error.message : String(error)}). ${FALLBACK}`);
}
process.exitCode = 0;
