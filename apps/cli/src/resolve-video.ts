import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { OptionError } from '@motiondelta/core';
import { CATALOG, ensureData } from '@motiondelta/data';

/** Clip ids of the data catalog, usable in place of a video path. */
export const CLIP_IDS: readonly string[] = CATALOG.filter((item) => item.kind === 'clip').map((item) => item.id);

/** `scheme://...`: what a user means as a URL. */
const URL_LIKE = /^[a-z][a-z0-9+.-]*:\/\//i;

/**
 * The video file for `<video>`: a local path, or a catalog clip id (fetched into the data cache
 * if needed). A path wins over an id of the same name. URLs are not read (ffmpeg is only ever
 * given local files, as `file:` URLs); a file whose name merely looks like one is still read.
 */
export async function resolveVideo(arg: string): Promise<string> {
  const path = resolve(arg);
  if (existsSync(path)) return path;
  if (CLIP_IDS.includes(arg)) return (await ensureData(arg)).main;
  if (URL_LIKE.test(arg)) {
    throw new OptionError(
      `Video '${arg}' looks like a URL: only local files are read (download it first), or a catalog clip id (${CLIP_IDS.join(', ')}).`,
    );
  }
  throw new OptionError(`Video '${arg}' not found: no such file, and not a catalog clip id (${CLIP_IDS.join(', ')}).`);
}
