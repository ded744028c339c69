import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import madge from 'madge';
import { describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '..', '..');
const workspaces = ['packages', 'tools', 'apps'].flatMap((dir) => {
  try {
    return readdirSync(join(root, dir)).map((name) => join(dir, name));
  } catch {
    return [];
  }
});

describe('repository structure', () => {
  it('has no circular imports inside any package', async () => {
    const sources = workspaces.map((w) => join(root, w, 'src'));
    const result = await madge(sources, {
      fileExtensions: ['ts'],
      tsConfig: join(root, 'tsconfig.base.json'),
      detectiveOptions: { ts: { skipTypeImports: true } },
    });
    expect(Object.keys(result.obj()).length).toBeGreaterThan(20);
    expect(result.circular()).toEqual([]);
  });

  it('has no cycle between workspace packages, devDependencies included (turbo orders builds by both)', () => {
    const manifest = (w: string) =>
      JSON.parse(readFileSync(join(root, w, 'package.json'), 'utf8')) as {
        name: string;
        dependencies?: Record<string, string>;
        devDependencies?: Record<string, string>;
      };
    const edges = new Map(
      workspaces.map((w) => {
        const m = manifest(w);
        const deps = [...Object.keys(m.dependencies ?? {}), ...Object.keys(m.devDependencies ?? {})];
        return [m.name, deps.filter((d) => d.startsWith('@motiondelta/'))] as const;
      }),
    );
    const state = new Map<string, 'open' | 'done'>();
    const cycles: string[] = [];
    const visit = (name: string, path: string[]): void => {
      if (state.get(name) === 'done') return;
      if (state.get(name) === 'open') {
        cycles.push([...path.slice(path.indexOf(name)), name].join(' -> '));
        return;
      }
      state.set(name, 'open');
      for (const next of edges.get(name) ?? []) visit(next, [...path, name]);
      state.set(name, 'done');
    };
    for (const name of edges.keys()) visit(name, []);
    expect(cycles).toEqual([]);
  });

  it('keeps the dependency direction of docs/architecture/README.md: core depends on nothing, the reference backend on core, graph-runtime on no kernel package, kernel packages and the conformance tool on no runtime', () => {
    const manifest = (w: string) =>
      JSON.parse(readFileSync(join(root, w, 'package.json'), 'utf8')) as {
        name: string;
        dependencies?: Record<string, string>;
      };
    const deps = new Map(workspaces.map((w) => [manifest(w).name, Object.keys(manifest(w).dependencies ?? {})]));
    expect(deps.get('@motiondelta/core')).toEqual([]);
    expect(deps.get('@motiondelta/reference-backend')).toEqual(['@motiondelta/core']);
    // The conformance suite compares a backend with the reference one; it needs no importer or session.
    expect((deps.get('@motiondelta/backend-conformance') ?? []).filter((d) => d === '@motiondelta/graph-runtime')).toEqual([]);
    const runtimeDeps = deps.get('@motiondelta/graph-runtime') ?? [];
    expect(runtimeDeps.filter((d) => d.startsWith('@motiondelta/sparse-kernels'))).toEqual([]);
    expect(
      runtimeDeps.filter(
        (d) =>
          d.startsWith('@motiondelta/') &&
          !['@motiondelta/core', '@motiondelta/spherical-buffer', '@motiondelta/reference-backend'].includes(d),
      ),
    ).toEqual([]);
    for (const [name, packageDeps] of deps) {
      if (!name.startsWith('@motiondelta/sparse-kernels')) continue;
      // Kernel packages may use graph-runtime in their tests (the reference oracle), never at run time.
      expect(
        packageDeps.filter((d) => d === '@motiondelta/graph-runtime' || d.startsWith('@motiondelta/sparse-kernels')),
        name,
      ).toEqual([]);
    }
  });
});
