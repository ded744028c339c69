import { constants } from 'node:fs';
import { open, type FileHandle } from 'node:fs/promises';
import type { Stats } from 'node:fs';
import { ModelFormatError, ResourceLimitError } from '@motiondelta/core';

/**
 * O_NONBLOCK: opening a FIFO for reading would otherwise wait for a writer forever; on regular
 * files it changes nothing. (Windows has no such flag; there it is 0.)
 */
const OPEN_FLAGS = constants.O_RDONLY | (constants.O_NONBLOCK ?? 0);

/** What a path that is not a regular file is, for messages. */
function kindOf(stats: Stats): string {
  if (stats.isDirectory()) return 'a directory';
  if (stats.isCharacterDevice()) return 'a character device';
  if (stats.isBlockDevice()) return 'a block device';
  if (stats.isFIFO()) return 'a FIFO (named pipe)';
  if (stats.isSocket()) return 'a socket';
  return 'not a regular file';
}

/**
 * A regular file opened for bounded reading. Model files and weight shards are opened through
 * this only: it refuses devices (`/dev/zero` never ends), FIFOs and directories, and files over a
 * byte limit, all from `fstat` on the open handle (so nothing can be swapped in between the check
 * and the read), and it reads exactly the bytes asked for, never "the whole file".
 */
export class RegularFile {
  private constructor(
    private readonly handle: FileHandle,
    /** The path as given, for messages. */
    readonly path: string,
    /** Size in bytes at open time. */
    readonly size: number,
  ) {}

  /**
   * Opens `path` and checks it.
   *
   * @param what names the file in messages ("model file", "weight shard")
   * @param maxBytes files larger than this are refused with ResourceLimitError
   * @param noFollow refuse a symbolic link as the last path component (O_NOFOLLOW): for paths
   *   whose links were already resolved and checked, so that a link swapped in after the check is
   *   refused instead of followed
   * @throws ModelFormatError when the file cannot be opened or is not a regular file
   * @throws ResourceLimitError when it is larger than `maxBytes`
   */
  static async open(path: string, what: string, maxBytes: number, noFollow = false): Promise<RegularFile> {
    let handle: FileHandle;
    try {
      handle = await open(path, OPEN_FLAGS | (noFollow ? (constants.O_NOFOLLOW ?? 0) : 0));
    } catch (cause) {
      throw new ModelFormatError(`Cannot read ${what} '${path}': ${(cause as Error).message}`, { cause });
    }
    try {
      const stats = await handle.stat();
      if (!stats.isFile()) {
        throw new ModelFormatError(`${what} '${path}' is ${kindOf(stats)}; only regular files are read.`);
      }
      if (stats.size > maxBytes) {
        throw new ResourceLimitError(`${what} '${path}'`, stats.size, maxBytes, 'raise options.maxModelBytes to load it.');
      }
      return new RegularFile(handle, path, stats.size);
    } catch (error) {
      await handle.close();
      throw error;
    }
  }

  /**
   * Reads `length` bytes from `offset` into `out` (a fresh buffer by default) and returns `out`.
   *
   * @throws ModelFormatError when the file ends early (it shrank since it was opened)
   */
  async read(offset: number, length: number, out = new Uint8Array(length)): Promise<Uint8Array> {
    let filled = 0;
    while (filled < length) {
      const { bytesRead } = await this.handle.read(out, filled, length - filled, offset + filled);
      if (bytesRead === 0) {
        throw new ModelFormatError(
          `'${this.path}' ended after ${offset + filled} bytes while ${offset + length} were expected; it changed while being read.`,
        );
      }
      filled += bytesRead;
    }
    return out;
  }

  close(): Promise<void> {
    return this.handle.close();
  }
}

/** Opens, reads exactly `size` bytes (what the caller already knows the file holds) and closes. */
export async function readRegularFile(path: string, what: string, size: number, noFollow = false): Promise<Uint8Array> {
  const file = await RegularFile.open(path, what, Number.MAX_SAFE_INTEGER, noFollow);
  try {
    if (file.size !== size) {
      throw new ModelFormatError(`${what} '${path}' is ${file.size} bytes long, ${size} were expected; it changed while being read.`);
    }
    return await file.read(0, size);
  } finally {
    await file.close();
  }
}
