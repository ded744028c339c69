import { realpath } from 'node:fs/promises';
import { dirname, isAbsolute, join, relative } from 'node:path';
import { ModelFormatError } from '@motiondelta/core';
import { SHARD_PATH_RULE } from '../import/tfjs/shard-path.js';
import type { ShardSource } from '../import/tfjs/weights.js';
import { RegularFile, readRegularFile } from './regular-file.js';

/** Whether `file` lies strictly inside `folder` (both already free of symlinks and `..`). */
export function isInside(folder: string, file: string): boolean {
  const rel = relative(folder, file);
  return rel !== '' && rel !== '..' && !rel.startsWith(`..${'/'}`) && !rel.startsWith('..\\') && !isAbsolute(rel);
}

/**
 * The weight shards of the TF.js model at `modelPath`, read from its folder. Each manifest path
 * (already checked by `checkShardPath`) is joined to the folder and its symlinks resolved; the
 * result must still lie inside the folder's own resolved path, so a link inside the folder that
 * points elsewhere (`weights.bin -> /etc/shadow`) is refused like a `..` path. Then the file must
 * be a regular file (not `/dev/zero`, a FIFO or a directory); its size is reported before anything
 * is read and the read takes exactly that many bytes.
 */
export function folderShardSource(modelPath: string, location: string): ShardSource {
  const folder = dirname(modelPath);
  let realFolder: Promise<string> | undefined;

  const resolve = async (path: string): Promise<string> => {
    realFolder ??= realpath(folder);
    const root = await realFolder;
    let real: string;
    try {
      real = await realpath(join(folder, path));
    } catch (cause) {
      throw new ModelFormatError(
        `${location}: weight shard '${path}' cannot be read (${(cause as Error).message}); it must lie beside the model file.`,
        {
          cause,
        },
      );
    }
    if (!isInside(root, real)) {
      throw new ModelFormatError(
        `${location}: weight shard '${path}' resolves to '${real}', outside the model's folder '${root}' (through a symbolic link); ` +
          `${SHARD_PATH_RULE}, and links must stay inside the folder. To read shards from elsewhere, pass options.readWeightFile.`,
      );
    }
    return real;
  };

  return {
    async sizes(paths) {
      const sizes: number[] = [];
      for (const path of paths) {
        const file = await RegularFile.open(await resolve(path), `weight shard '${path}' of ${location}`, Number.MAX_SAFE_INTEGER, true);
        sizes.push(file.size);
        await file.close();
      }
      return sizes;
    },
    async read(path, bytes) {
      return readRegularFile(await resolve(path), `weight shard '${path}' of ${location}`, bytes, true);
    },
  };
}
