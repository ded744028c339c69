import { describe, expect, it } from 'vitest';

// Runs against dist so that a broken exports map or a missing export cannot hide behind src/.
describe('built package', () => {
  it('exposes the public API from dist', async () => {
    const mod = await import('../dist/index.js');
    for (const name of [
      'SphericalGeometry',
      'SphericalBuffer',
      'SlotTracker',
      'layerOffset',
      'layerOrigin',
      'wrapCoordinate',
      'subtractRect',
      'intersectRects',
      'rectArea',
      'rectContains',
    ]) {
      expect(typeof (mod as Record<string, unknown>)[name]).toBe('function');
    }
  });
});

describe('README example', () => {
  it('runs against dist and prints what the comments say', async () => {
    const { readFile, writeFile, mkdtemp } = await import('node:fs/promises');
    const { join } = await import('node:path');
    const { tmpdir } = await import('node:os');
    const { pathToFileURL } = await import('node:url');
    const readme = await readFile(new URL('../README.md', import.meta.url), 'utf8');
    const code = /```ts\n([\s\S]*?)```/.exec(readme)?.[1];
    expect(code).toBeDefined();
    const dist = pathToFileURL(new URL('../dist/index.js', import.meta.url).pathname).href;
    const file = join(await mkdtemp(join(tmpdir(), 'sb-readme-')), 'example.mjs');
    const logged: unknown[] = [];
    await writeFile(file, code!.replace("'@motiondelta/spherical-buffer'", `'${dist}'`).replaceAll('console.log(', 'globalThis.__sbLog('));
    (globalThis as Record<string, unknown>).__sbLog = (v: unknown) => logged.push(v);
    await import(pathToFileURL(file).href);
    expect(logged).toEqual([[{ y: -1, x: -5, height: 10, width: 4 }], 40, 1.5, 0, [1, 8, 8, 2]]);
  });
});
