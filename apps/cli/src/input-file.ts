import { constants } from 'node:fs';
import type { FileHandle } from 'node:fs/promises';
import { open } from 'node:fs/promises';
import { OptionError, ResourceLimitError } from '@motiondelta/core';
import { failureReason, fileKind } from './file-kind.js';

/** Most bytes a JSON input of the command (a threshold profile, a homography file) may have. */
export const MAX_JSON_INPUT_BYTES = 64 * 2 ** 20;

/** O_NONBLOCK: a FIFO would otherwise block the open until something writes to it. */
const READ_FLAGS = constants.O_RDONLY | constants.O_NONBLOCK;

/** How a file option is named and explained in messages. */
export interface InputFileOptions {
  /** Files larger than this are refused (ResourceLimitError); default {@link MAX_JSON_INPUT_BYTES}. */
  readonly maxBytes?: number;
  /** What the option accepts, appended to every message. */
  readonly hint?: string;
}

async function openRegular(path: string, option: string, options: InputFileOptions): Promise<{ handle: FileHandle; size: number }> {
  const problem = (text: string) => new OptionError(`${option} '${path}' ${text}${options.hint ? `; ${options.hint}` : ''}.`);
  let handle: FileHandle;
  try {
    handle = await open(path, READ_FLAGS);
  } catch (error) {
    throw problem(`cannot be read (${failureReason(error)})`);
  }
  try {
    // fstat on the open handle: what is checked is what will be read.
    const info = await handle.stat();
    if (!info.isFile()) throw problem(`is ${fileKind(info)}, not a regular file`);
    const maxBytes = options.maxBytes ?? MAX_JSON_INPUT_BYTES;
    if (info.size > maxBytes) {
      throw new ResourceLimitError(`${option} '${path}'`, info.size, maxBytes, 'no real file of this kind comes near that size.');
    }
    return { handle, size: info.size };
  } catch (error) {
    await handle.close();
    throw error;
  }
}

/**
 * Checks that `path` is a readable regular file within the size limit, so that reading it later
 * neither blocks (a FIFO) nor runs without end (`/dev/zero`), and so that a bad path fails before
 * the model loads.
 *
 * @throws OptionError naming the option, the path and the problem; ResourceLimitError when too large
 * @example
 * await checkInputFile('selfie.thresholds.json', '--profile');
 */
export async function checkInputFile(path: string, option: string, options: InputFileOptions = {}): Promise<void> {
  const { handle } = await openRegular(path, option, options);
  await handle.close();
}

/**
 * Reads a small UTF-8 input after the checks of {@link checkInputFile}: exactly the bytes the file
 * had when it was opened, never "until the end".
 *
 * @example
 * const text = await readInputText('homographies.json', '--align');
 */
export async function readInputText(path: string, option: string, options: InputFileOptions = {}): Promise<string> {
  const { handle, size } = await openRegular(path, option, options);
  try {
    const bytes = new Uint8Array(size);
    let filled = 0;
    while (filled < size) {
      const { bytesRead } = await handle.read(bytes, filled, size - filled, filled);
      if (bytesRead === 0) break;
      filled += bytesRead;
    }
    return new TextDecoder().decode(bytes.subarray(0, filled));
  } catch (error) {
    throw new OptionError(`${option} '${path}' cannot be read (${failureReason(error)})${options.hint ? `; ${options.hint}` : ''}.`);
  } finally {
    await handle.close();
  }
}
