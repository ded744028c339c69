import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';

/** The part of esbuild's API this test uses. */
interface Esbuild {
  build(options: Record<string, unknown>): Promise<{ outputFiles: { text: string }[]; metafile: { inputs: Record<string, unknown> } }>;
}

// esbuild comes with tsup (the packages' bundler); taking it from there adds no dependency.
const esbuild = createRequire(createRequire(import.meta.url).resolve('tsup'))('esbuild') as Esbuild;

const ENTRY = `
export { loadModel, ReferenceBackend } from '@motiondelta/graph-runtime';
export * as homography from '@motiondelta/homography';
`;

/** What an app of `motiondelta` imports in a browser: the package's own entry, as users write it. */
const MOTIONDELTA_ENTRY = `
export { loadModel, createPolicy, registeredBackends, DEFAULT_BACKENDS } from 'motiondelta';
`;

/** Bundles `entry` for browsers, as an app's bundler would; fails on any `node:` import. */
async function bundleForBrowser(entry = ENTRY): Promise<{ code: string; inputs: string[] }> {
  const result = await esbuild.build({
    stdin: { contents: entry, resolveDir: import.meta.dirname, loader: 'ts' },
    bundle: true,
    platform: 'browser',
    format: 'esm',
    write: false,
    metafile: true,
    logLevel: 'silent',
  });
  return { code: result.outputFiles[0]!.text, inputs: Object.keys(result.metafile.inputs) };
}

describe('the runtime bundles for browsers', () => {
  it('bundles graph-runtime (with the reference backend) with no node: import, and loads a model from bytes', async () => {
    const { code, inputs } = await bundleForBrowser();
    for (const part of ['graph-runtime/dist/index.js', 'reference-backend/dist', 'core/dist', 'spherical-buffer/dist', 'homography/dist']) {
      expect(inputs.some((path) => path.includes(part))).toBe(true);
    }
    expect(inputs.filter((path) => path.startsWith('node:') || path.includes('graph-runtime/dist/node.js'))).toEqual([]);

    // Run the browser bundle: without file access a path is refused with a typed error, bytes load.
    const bundle = (await import(`data:text/javascript;base64,${Buffer.from(code).toString('base64')}`)) as {
      loadModel: (source: unknown) => Promise<{ inputs: readonly { name: string }[]; createSession(options: unknown): Promise<unknown> }>;
      ReferenceBackend: new () => unknown;
    };
    await expect(bundle.loadModel('model.onnx')).rejects.toMatchObject({
      name: 'OptionError',
      message: expect.stringContaining('only the Node build') as unknown,
    });
    const layers = {
      format: 'layers-model',
      modelTopology: {
        class_name: 'Sequential',
        config: {
          name: 'tiny',
          layers: [{ class_name: 'ReLU', config: { name: 'relu', batch_input_shape: [null, 4, 4, 3], dtype: 'float32' } }],
        },
      },
      weightsManifest: [],
    };
    const model = await bundle.loadModel(new TextEncoder().encode(JSON.stringify(layers)));
    expect(model.inputs.length).toBe(1);
  });

  it('bundles motiondelta through its browser entry (webgpu backend, policies) with no node: import, and loads from bytes', async () => {
    const { code, inputs } = await bundleForBrowser(MOTIONDELTA_ENTRY);
    for (const part of ['motiondelta/dist/browser.js', 'sparse-kernels-webgpu/dist', 'policy-rl/dist', 'graph-runtime/dist/index.js']) {
      expect(inputs.some((path) => path.includes(part))).toBe(true);
    }
    // Nothing Node-only: no node: module, no Node entry, no native addon, CUDA or ffmpeg package.
    const nodeOnly = /^node:|motiondelta\/dist\/index\.js|graph-runtime\/dist\/node\.js|sparse-kernels-(cpu|cuda)|video-io/;
    expect(inputs.filter((path) => nodeOnly.test(path))).toEqual([]);

    const bundle = (await import(`data:text/javascript;base64,${Buffer.from(code).toString('base64')}`)) as {
      loadModel: (source: unknown) => Promise<{ inputs: readonly { name: string }[] }>;
      createPolicy: (name: string) => { decide: unknown };
      registeredBackends: () => string[];
      DEFAULT_BACKENDS: readonly string[];
    };
    expect(bundle.registeredBackends()).toEqual(expect.arrayContaining(['reference', 'webgpu']));
    expect(bundle.DEFAULT_BACKENDS).toEqual(['reference']);
    expect(typeof bundle.createPolicy('all').decide).toBe('function');
    const relu = {
      format: 'layers-model',
      modelTopology: {
        class_name: 'Sequential',
        config: {
          name: 'tiny',
          layers: [{ class_name: 'ReLU', config: { name: 'relu', batch_input_shape: [null, 4, 4, 3], dtype: 'float32' } }],
        },
      },
      weightsManifest: [],
    };
    const model = await bundle.loadModel(new Blob([JSON.stringify(relu)]));
    expect(model.inputs.length).toBe(1);
  });
});
