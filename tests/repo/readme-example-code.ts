import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'vitest';

const root = join(import.meta.dirname, '..', '..');

/** The code between the README's example markers, without its code fence. */
export function readmeExample(): string {
  const readme = readFileSync(join(root, 'README.md'), 'utf8');
  const match = /<!-- example:start -->\s*```js\n([\s\S]*?)```\s*<!-- example:end -->/.exec(readme);
  if (!match?.[1]) throw new Error('README.md has no ```js block between <!-- example:start --> and <!-- example:end -->');
  return match[1];
}

/** What the example prints, as its comments say. */
export function expectReadmeOutput(stdout: string): void {
  expect(stdout).toContain("name: 'input_1'");
  // Setup builds the native backend, so the default preference lands on it.
  expect(stdout).toContain('cpu-native []');
  expect(stdout).toContain('[ 1, 256, 256, 1 ]');
  expect(stdout.trim().split('\n').at(-1)).toBe('true');
}
