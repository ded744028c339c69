import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';

/**
 * Native fuzzing in the test suite (issue 14): the libFuzzer harnesses of native/fuzz (argument
 * checks on arbitrary values, dense and delta kernels on fuzz-derived shapes, masks and active
 * lists, block mode's compiled tiles steps on fuzz-derived geometry, spans and block masks) are
 * built with clang, AddressSanitizer and UndefinedBehaviorSanitizer, then each runs for a bounded
 * time from its checked-in seeds (which replay every past finding first). Any crash,
 * out-of-bounds access, undefined behaviour, timeout or runaway allocation fails the test and
 * leaves the input in build/fuzz/artifacts/.
 *
 * MD_FUZZ_SECONDS sets the time per harness (default 20), MD_FUZZ_SEED the libFuzzer seed (default
 * 14). Without clang and libFuzzer (Debian packages clang and libclang-rt-14-dev, which
 * scripts/setup.sh installs) the suite is skipped with the reason; under CI it fails instead.
 */

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const source = join(root, 'native', 'fuzz');
const build = join(root, 'build', 'fuzz');
const seconds = Number(process.env['MD_FUZZ_SECONDS'] ?? 20);
const seed = Number(process.env['MD_FUZZ_SEED'] ?? 14);
const HARNESSES = ['fuzz_checks', 'fuzz_dense', 'fuzz_delta', 'fuzz_tiles'] as const;

/** Why the fuzz harnesses cannot be built here, or undefined when they can. */
function missingToolchain(): string | undefined {
  const version = spawnSync('clang++', ['--version'], { encoding: 'utf8' });
  if (version.error || version.status !== 0) return 'clang++ is not installed (Debian package clang; `bash scripts/setup.sh` installs it)';
  const resources = spawnSync('clang++', ['-print-resource-dir'], { encoding: 'utf8' }).stdout.trim();
  const arch = process.arch === 'arm64' ? 'aarch64' : 'x86_64';
  const libFuzzer = join(resources, 'lib', 'linux', `libclang_rt.fuzzer-${arch}.a`);
  if (!existsSync(libFuzzer)) return `libFuzzer is not installed (${libFuzzer} is missing; Debian package libclang-rt-14-dev)`;
  if (!existsSync(join(resources, 'include', 'fuzzer', 'FuzzedDataProvider.h')))
    return 'FuzzedDataProvider.h is missing (it comes with clang)';
  const cmake = spawnSync('cmake', ['--version'], { encoding: 'utf8' });
  if (cmake.error || cmake.status !== 0) return 'cmake is not installed';
  return undefined;
}

/**
 * Writes the checked-in seeds of a harness (native/fuzz/corpus/<name>.seeds: one input per line
 * in hex, # comments) as files into a fresh directory, and returns it.
 */
function writeSeeds(name: string): string {
  const dir = join(build, 'seeds', name);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const lines = readFileSync(join(source, 'corpus', `${name}.seeds`), 'utf8').split('\n');
  lines.forEach((line, i) => {
    const hex = line.trim();
    if (hex !== '' && !hex.startsWith('#')) writeFileSync(join(dir, `line-${i + 1}`), Buffer.from(hex, 'hex'));
  });
  return dir;
}

function tail(text: string, lines = 60): string {
  return text.trim().split('\n').slice(-lines).join('\n');
}

function run(command: string, args: string[], timeoutSeconds: number) {
  const result = spawnSync(command, args, { encoding: 'utf8', timeout: timeoutSeconds * 1000, maxBuffer: 64 * 1024 * 1024 });
  return {
    ok: result.status === 0 && !result.error,
    output: `${result.stdout}\n${result.stderr}`,
    status: result.status,
    signal: result.signal,
  };
}

const missing = missingToolchain();

function suite(): void {
  let buildError: string | undefined;

  beforeAll(() => {
    // Incremental: a rebuild after a change to one kernel recompiles that file only.
    const configure = run('cmake', ['-S', source, '-B', build, '-DCMAKE_CXX_COMPILER=clang++'], 300);
    const compile = configure.ok ? run('cmake', ['--build', build, '--parallel', '2'], 1200) : configure;
    if (!compile.ok) buildError = `building the fuzz harnesses failed:\n${tail(compile.output)}`;
  }, 1_300_000);

  for (const harness of HARNESSES) {
    it(
      `${harness}: ${seconds} s of fuzzing (seed ${seed}) find no crash, out-of-bounds access, undefined behaviour or timeout`,
      () => {
        if (buildError) expect.fail(buildError);
        const name = harness.replace('fuzz_', '');
        const corpus = join(build, 'corpus', name);
        const artifacts = join(build, 'artifacts');
        mkdirSync(corpus, { recursive: true });
        mkdirSync(artifacts, { recursive: true });
        // New inputs go to the first directory (build/, not checked in); the seeds are only read.
        const result = run(
          join(build, harness),
          [
            `-max_total_time=${seconds}`,
            `-seed=${seed}`,
            '-timeout=10',
            '-rss_limit_mb=2048',
            '-print_final_stats=1',
            `-artifact_prefix=${join(artifacts, `${name}-`)}`,
            corpus,
            writeSeeds(name),
          ],
          seconds + 180,
        );
        expect(
          result.ok,
          `${harness} found a problem (input saved under ${artifacts}; rerun it with \`${join(build, harness)} <file>\`):\n${tail(result.output)}`,
        ).toBe(true);
        const units = Number(/stat::number_of_executed_units:\s*(\d+)/.exec(result.output)?.[1] ?? 0);
        const rate = Number(/stat::average_exec_per_sec:\s*(\d+)/.exec(result.output)?.[1] ?? 0);
        console.log(`${harness}: ${units} inputs in ${seconds} s (${rate}/s)`);
        expect(units).toBeGreaterThan(0);
      },
      (seconds + 240) * 1000,
    );
  }
}

if (missing === undefined) {
  describe('native fuzzing (libFuzzer, ASan + UBSan)', suite);
} else if (process.env['CI']) {
  describe('native fuzzing (libFuzzer, ASan + UBSan)', () => {
    it('needs clang and libFuzzer', () => expect.fail(missing));
  });
} else {
  describe.skip(`native fuzzing (skipped: ${missing})`, () => {
    it('needs clang and libFuzzer', () => undefined);
  });
}
