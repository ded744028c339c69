/**
 * The Node side of WebGPU: Dawn from the npm `webgpu` package, loaded on first use.
 *
 * The object `create()` returns is kept here for the life of the process: dawn.node crashes the
 * process (a segfault, not an exception) if that object is garbage-collected while devices made
 * from it are alive, and callers hold only the device.
 */
let retained: GPU | undefined;
let loadFailure: string | undefined;

/** Dawn's GPU object, or why it cannot be loaded (package missing, no binary for this platform). */
export async function nodeGpu(): Promise<GPU | string> {
  if (retained !== undefined) return retained;
  if (loadFailure !== undefined) return loadFailure;
  try {
    // A variable specifier keeps bundlers from pulling the Node-only package into browser builds.
    const specifier = 'webgpu';
    const dawn = (await import(/* @vite-ignore */ specifier)) as { create(options: string[]): GPU; globals: object };
    // Dawn's classes (GPUBufferUsage, ...) as globals, as browsers have them.
    for (const [name, value] of Object.entries(dawn.globals)) {
      if (!(name in globalThis)) Object.defineProperty(globalThis, name, { value, configurable: true, writable: true });
    }
    retained = dawn.create([]);
    return retained;
  } catch (error) {
    loadFailure = `the npm package 'webgpu' (Dawn) did not load: ${error instanceof Error ? error.message : String(error)}`;
    return loadFailure;
  }
}
