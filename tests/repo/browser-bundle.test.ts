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

/** Bundles `ENTRY` for browsers, as an app's bundler would; fails on any `node:` import. */
async function bundleForBrowser(): Promise<{ code: string; inputs: string[] }> {
  const result = await esbuild.build({
    stdin: { contents: ENTRY, resolveDir: import.meta.dirname, loader: 'ts' },
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
});
