import { OptionError } from '@motiondelta/core';
import type { ShardSource } from '../import/tfjs/weights.js';

/** A file opened for bounded reading (see the Node implementation, `RegularFile`). */
export interface ModelFile {
  /** Size in bytes at open time. */
  readonly size: number;
  /** Reads exactly `length` bytes from `offset` into `out` and returns `out`. */
  read(offset: number, length: number, out: Uint8Array<ArrayBuffer>): Promise<Uint8Array>;
  close(): Promise<void>;
}

/**
 * How `loadModel` reaches files. The runtime itself has none, so that it bundles for browsers;
 * the package's Node entry (`src/node.ts`, what `import '@motiondelta/graph-runtime'` resolves to
 * under Node) installs one over `node:fs`. Elsewhere models are loaded from bytes.
 */
export interface ModelFileAccess {
  /**
   * Opens a model file: a regular file of at most `maxBytes`, checked before anything is read.
   *
   * @throws ModelFormatError when it cannot be opened or is not a regular file
   * @throws ResourceLimitError when it is larger than `maxBytes`
   */
  open(path: string, what: string, maxBytes: number): Promise<ModelFile>;
  /** The weight shards of the TF.js model at `modelPath`, confined to its folder. */
  shards(modelPath: string, location: string): ShardSource;
  /** The local path of a `file:` URL. */
  fileUrlToPath(url: URL): string;
}

let installed: ModelFileAccess | undefined;

/** Installs the file access of the platform (done once by the Node entry). */
export function installModelFileAccess(access: ModelFileAccess): void {
  installed = access;
}

/** Whether file access is installed (the Node entry), so that strings are paths rather than URLs. */
export function hasModelFileAccess(): boolean {
  return installed !== undefined;
}

/**
 * The installed file access.
 *
 * @throws OptionError where there is none (a browser bundle): models must then come as bytes
 */
export function modelFileAccess(what: string): ModelFileAccess {
  if (installed === undefined) {
    throw new OptionError(
      `loadModel: ${what} needs file access, which only the Node build of @motiondelta/graph-runtime has; ` +
        'in a browser, pass an http(s) URL, a File or Blob, or the model bytes (with options.readWeightFile for the shards of a TF.js model).',
    );
  }
  return installed;
}
