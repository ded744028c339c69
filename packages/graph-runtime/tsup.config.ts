import { defineConfig } from 'tsup';

// Two entries: `index` bundles for browsers (no `node:` imports), `node` adds file access; the
// package's `exports` pick one by the `node` condition. Shared code lands in one chunk, so both
// see the same module state (the backend and mode registries, the installed file access).
export default defineConfig({
  entry: ['src/index.ts', 'src/node.ts'],
  format: ['esm'],
  dts: true,
  clean: true,
  sourcemap: true,
  target: 'es2022',
});
