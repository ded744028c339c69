import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '..', '..');

interface Manifest {
  name: string;
  version: string;
  private?: boolean;
  license?: string;
  files?: string[];
  publishConfig?: { access?: string };
  dependencies?: Record<string, string>;
}

const workspaces = ['packages', 'tools', 'apps'].flatMap((dir) =>
  readdirSync(join(root, dir)).map((name) => {
    const path = join(dir, name);
    return { path, manifest: JSON.parse(readFileSync(join(root, path, 'package.json'), 'utf8')) as Manifest };
  }),
);
const privateNames = new Set(workspaces.filter((w) => w.manifest.private === true).map((w) => w.manifest.name));
const publicPackages = workspaces.filter((w) => w.manifest.private !== true);

/** What npm users install must be installable: no private dependency, a version, a licence file. */
describe('public package manifests', () => {
  it('lists the public packages', () => {
    expect(publicPackages.map((w) => w.manifest.name).sort()).toEqual([
      '@motiondelta/cli',
      '@motiondelta/core',
      '@motiondelta/data',
      '@motiondelta/graph-runtime',
      '@motiondelta/homography',
      '@motiondelta/policy-rl',
      '@motiondelta/reference-backend',
      '@motiondelta/sparse-kernels-cpu',
      '@motiondelta/sparse-kernels-cuda',
      '@motiondelta/sparse-kernels-webgpu',
      '@motiondelta/spherical-buffer',
      '@motiondelta/video-io',
      'motiondelta',
    ]);
  });

  for (const { path, manifest } of publicPackages) {
    it(`${manifest.name}: no private dependency, a released version, MIT with its LICENSE file, dist published`, () => {
      expect(Object.keys(manifest.dependencies ?? {}).filter((d) => privateNames.has(d))).toEqual([]);
      expect(manifest.version).toMatch(/^\d+\.\d+\.\d+$/);
      expect(manifest.version).not.toBe('0.0.0');
      expect(manifest.license).toBe('MIT');
      expect(existsSync(join(root, path, 'LICENSE'))).toBe(true);
      expect(manifest.files).toContain('dist');
      expect(manifest.publishConfig?.access).toBe('public');
    });
  }
});
