import { execFileSync, spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

/**
 * The repository is lint clean and formatted: typescript-eslint (eslint.config.js) and prettier
 * (.prettierrc.json) for TypeScript and JavaScript, clang-format (.clang-format) for the C++ of
 * the native addons. Run `pnpm lint:fix` (prettier and clang-format rewrite; eslint --fix) to fix
 * what these report.
 */
const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

function run(command: string, args: readonly string[]): { status: number | null; output: string } {
  const result = spawnSync(command, args, { cwd: root, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  if (result.error) throw result.error;
  return { status: result.status, output: `${result.stdout}${result.stderr}` };
}

/** C++ sources of the native addons that git tracks (`.inc` fragments are not whole files: clang-format misreads them). */
function nativeSources(): string[] {
  const listed = execFileSync('git', ['ls-files', '--cached', '--others', '--exclude-standard', '*.cc', '*.h', '*.cu', '*.cuh'], {
    cwd: root,
    encoding: 'utf8',
  });
  return listed.split('\n').filter((f) => f.includes('/native/'));
}

describe('lint and format', () => {
  it('eslint reports no problems', () => {
    const { status, output } = run('pnpm', ['exec', 'eslint', '--max-warnings', '0', '.']);
    expect(output.trim(), output).toBe('');
    expect(status).toBe(0);
  }, 600_000);

  it('prettier finds every file formatted', () => {
    const { status, output } = run('pnpm', ['exec', 'prettier', '--check', '--log-level', 'warn', '.']);
    expect(output.trim(), output).toBe('');
    expect(status).toBe(0);
  }, 300_000);

  it('clang-format finds every C++ file formatted', () => {
    const files = nativeSources();
    expect(files.length).toBeGreaterThan(10);
    const { status, output } = run('clang-format', ['--dry-run', '--Werror', ...files]);
    expect(output.trim(), output).toBe('');
    expect(status).toBe(0);
  }, 300_000);
});
