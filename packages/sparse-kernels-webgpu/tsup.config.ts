import { defineConfig } from 'tsup';

export default defineConfig({
  entry: ['src/index.ts'],
  format: ['esm'],
  // The declarations name WebGPU's global types (GPUDevice, ...): consumers get them from
  // @webgpu/types, a dependency, through this reference (the bundler drops the source's own).
  dts: { banner: '/// <reference types="@webgpu/types" />' },
  clean: true,
  sourcemap: true,
  target: 'es2022',
});
