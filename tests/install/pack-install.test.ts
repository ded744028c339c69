import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectReadmeOutput, readmeExample } from '../repo/readme-example-code.js';

const run = promisify(execFile);
const root = join(import.meta.dirname, '..', '..');
/** The prebuilt binary the sparse-kernels-cpu tarball ships for linux-x64 (see build:prebuild). */
const PREBUILD = 'packages/sparse-kernels-cpu/prebuilds/linux-x64/motiondelta_cpu.node.napi.glibc.node';

/** Every workspace package that is published (not `private`). */
function publicPackageDirs(): string[] {
  return ['packages', 'tools', 'apps']
    .flatMap((dir) => readdirSync(join(root, dir)).map((name) => join(root, dir, name)))
    .filter((dir) => (JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { private?: boolean }).private !== true);
}

/**
 * What an npm user gets: every public package packed as it would be published (`pnpm pack`
 * turns `workspace:*` into versions), installed with npm into a fresh project outside the
 * monorepo, then the README's library example and the `motiondelta` command run there.
 * Third-party dependencies come from the npm registry (or npm's cache).
 */
describe('installs from packed tarballs outside the monorepo', () => {
  let work: string;
  let consumer: string;

  beforeAll(async () => {
    // The tarball carries the prebuilt binary only if the build left it in place (setup does).
    if (process.platform === 'linux' && process.arch === 'x64' && !existsSync(join(root, PREBUILD))) {
      throw new Error(
        `${PREBUILD} is missing: run \`pnpm --filter @motiondelta/sparse-kernels-cpu build:native\` (or scripts/setup.sh) first`,
      );
    }
    work = mkdtempSync(join(tmpdir(), 'motiondelta-install-'));
    const tarballs = join(work, 'tarballs');
    for (const dir of publicPackageDirs()) await run('pnpm', ['pack', '--pack-destination', tarballs], { cwd: dir });
    consumer = join(work, 'consumer');
    await run('mkdir', ['-p', consumer]);
    writeFileSync(join(consumer, 'package.json'), JSON.stringify({ name: 'consumer', private: true, type: 'module' }));
    const files = readdirSync(tarballs).map((f) => join(tarballs, f));
    await run('npm', ['install', '--no-audit', '--no-fund', '--prefer-offline', ...files], { cwd: consumer, maxBuffer: 1 << 24 });
  }, 600_000);

  afterAll(() => {
    if (work) rmSync(work, { recursive: true, force: true });
  });

  it("runs the README's library example as written", async () => {
    const file = join(consumer, 'readme-example.mjs');
    writeFileSync(file, readmeExample());
    const { stdout } = await run(process.execPath, [file], { cwd: consumer });
    expectReadmeOutput(stdout);
  });

  // The only prebuilt binary shipped is for linux-x64 (glibc); elsewhere the install builds from
  // source or falls back to the reference backend, which the README example above already covers.
  it.skipIf(process.platform !== 'linux' || process.arch !== 'x64')(
    'loads cpu-native from the prebuilt binary, which needs no BLAS or other library beyond the C and C++ runtimes',
    async () => {
      const pkg = join(consumer, 'node_modules', '@motiondelta', 'sparse-kernels-cpu');
      // No source build happened at install (the install script found the prebuild loading).
      expect(existsSync(join(pkg, 'build'))).toBe(false);
      const file = join(consumer, 'which-addon.mjs');
      writeFileSync(
        file,
        [
          "import { createCpuNativeBackend, loadAddon } from '@motiondelta/sparse-kernels-cpu';",
          'const load = loadAddon();',
          'const backend = await createCpuNativeBackend({ threads: 1 });',
          'console.log(JSON.stringify({ ok: load.ok, path: load.ok ? load.path : load.reason, id: backend.id, isa: backend.cpuFeatures.isa }));',
        ].join('\n'),
      );
      const { stdout } = await run(process.execPath, [file], { cwd: consumer });
      const loaded = JSON.parse(stdout) as { ok: boolean; path: string; id: string; isa: string };
      expect(loaded).toMatchObject({ ok: true, id: 'cpu-native' });
      expect(loaded.path).toBe(join(pkg, 'prebuilds', 'linux-x64', 'motiondelta_cpu.node.napi.glibc.node'));
      const { stdout: dump } = await run('objdump', ['-p', loaded.path]);
      const needed = [...dump.matchAll(/^\s*NEEDED\s+(\S+)$/gm)].map((m) => m[1]!);
      expect(needed).toContain('libc.so.6');
      expect(
        needed.filter((lib) => !/^(libc|libm|libstdc\+\+|libgcc_s|libpthread|libdl|librt|ld-linux-x86-64)\.so(\.\d+)*$/.test(lib)),
      ).toEqual([]);
      expect(needed.some((lib) => lib.includes('openblas'))).toBe(false);
    },
  );

  it('has the motiondelta command, which prints its version and runs a model over a clip', async () => {
    const bin = join(consumer, 'node_modules', '.bin', 'motiondelta');
    const { version } = JSON.parse(readFileSync(join(root, 'apps', 'cli', 'package.json'), 'utf8')) as { version: string };
    expect((await run(bin, ['--version'])).stdout.trim()).toBe(version);
    const { stdout } = await run(
      bin,
      [
        'run',
        'vtest',
        '--model',
        'esrgan-x2',
        '--size',
        '48x64',
        '--frames',
        '2',
        '--mode',
        'delta',
        '--json',
        '--out',
        join(work, 'report'),
      ],
      { cwd: consumer, maxBuffer: 1 << 24 },
    );
    const summary = JSON.parse(stdout) as { frames: number; backend: string; psnr: number | null };
    expect(summary.frames).toBe(2);
    expect(summary.backend).toBe('cpu-native');
  });
});
