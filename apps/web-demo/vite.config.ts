import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';
import { demoAssets } from './assets/prepare-assets.js';

const publicDir = fileURLToPath(new URL('public', import.meta.url));

// `base: './'` keeps every URL relative, so the built demo works from any folder of any server.
export default defineConfig({
  base: './',
  publicDir,
  plugins: [demoAssets(publicDir)],
  build: { target: 'es2022', outDir: 'dist', emptyOutDir: true },
  server: { host: '127.0.0.1' },
  preview: { host: '127.0.0.1' },
});
