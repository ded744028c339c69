import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { OptionError } from '@motiondelta/core';
import { CATALOG, ensureData } from '@motiondelta/data';

/** Clip ids of the data catalog, usable in place of a video path. */
export const CLIP_IDS: readonly string[] = CATALOG.filter((item) => item.kind === 'clip').map((item) => item.id);

/**
 * The video file for `<video>`: a path, or a catalog clip id (fetched into the data cache if
 * needed). A path wins over an id of the same name.
 */
export async function resolveVideo(arg: string): Promise<string> {
  const path = resolve(arg);
  if (existsSync(path)) return path;
  if (CLIP_IDS.includes(arg)) return (await ensureData(arg)).main;
  throw new OptionError(`Video '${arg}' not found: no such file, and not a catalog clip id (${CLIP_IDS.join(', ')}).`);
}
