import { execFile } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '..', '..');

/** The code between the README's example markers, without its code fence. */
function readmeExample(): string {
  const readme = readFileSync(join(root, 'README.md'), 'utf8');
  const match = /<!-- example:start -->\s*```js\n([\s\S]*?)```\s*<!-- example:end -->/.exec(readme);
  if (!match?.[1]) throw new Error('README.md has no ```js block between <!-- example:start --> and <!-- example:end -->');
  return match[1];
}

describe('README', () => {
  it('library example runs as written and prints what its comments say', async () => {
    // Written inside the repository so that Node resolves the workspace packages from it.
    const dir = join(root, 'tests', '.tmp');
    mkdirSync(dir, { recursive: true });
    const file = join(dir, 'readme-example.mjs');
    writeFileSync(file, readmeExample());
    const { stdout } = await promisify(execFile)(process.execPath, [file], { cwd: root });
    expect(stdout).toContain("name: 'input_1'");
    // Setup builds the native backend, so the default preference lands on it.
    expect(stdout).toContain('cpu-native []');
    expect(stdout).toContain('[ 1, 256, 256, 1 ]');
    expect(stdout.trim().split('\n').at(-1)).toBe('true');
  });
});
