import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '..', '..');

describe('@motiondelta/homography README', () => {
  it('the alignment example runs as written and writes its overlay', async () => {
    const readme = readFileSync(join(root, 'packages', 'homography', 'README.md'), 'utf8');
    const code = /```ts\n([\s\S]*?)```/.exec(readme)?.[1];
    expect(code).toContain('estimateHomography(frameA, frameB');
    const dir = join(root, 'tests', '.tmp');
    mkdirSync(dir, { recursive: true });
    const overlay = join(dir, 'homography-overlay.png');
    rmSync(overlay, { force: true });
    // Only the output path changes, so the example does not write into the working directory.
    const file = join(dir, 'homography-readme-example.ts');
    writeFileSync(file, code!.replace("'overlay.png'", JSON.stringify(overlay)));
    await import(file);
    expect(existsSync(overlay)).toBe(true);
  });
});
