import { defineConfig } from 'tsup';

// Two entries: `index` for Node (native and CUDA backends, video through ffmpeg, file paths) and
// `browser` with no `node:` import; the package's `exports` pick one by the `node` condition.
export default defineConfig({
  entry: ['src/index.ts', 'src/browser.ts'],
  format: ['esm'],
  dts: true,
  clean: true,
  sourcemap: true,
  target: 'es2022',
});
