import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { OptionError } from '@motiondelta/core';
import { CATALOG, ensureData } from '@motiondelta/data';

/** Clip ids of the data catalog, usable in place of a video path. */
export const CLIP_IDS: readonly string[] = CATALOG.filter((item) => item.kind === 'clip').map((item) => item.id);

/** `scheme://...`: what a user means as a URL; video-io checks the scheme. */
const URL_LIKE = /^[a-z][a-z0-9+.-]*:\/\//i;

/** A V4L2 camera, opened by video-io (which names the cameras present when it is missing). */
const CAMERA = /^\/dev\/video\d+$/;

/**
 * The video source for `<video>`: a local path (made absolute, so that ffmpeg reads it as a file
 * whatever its name), a catalog clip id (fetched into the data cache if needed), `-` (the video
 * piped to stdin), a URL (`http(s)://`, `rtsp(s)://`, `rtmp(s)://`, `srt://`, `udp://`; other
 * schemes are refused by video-io with OptionError) or a `/dev/videoN` camera. An existing file
 * wins over an id or a URL of the same name.
 *
 * @example
 * await resolveVideo('vtest'); // '/root/.cache/motiondelta/vtest/vtest.avi'
 * await resolveVideo('rtsp://cam.local/stream'); // 'rtsp://cam.local/stream'
 */
export async function resolveVideo(arg: string): Promise<string> {
  if (arg === '-') return arg;
  const path = resolve(arg);
  if (existsSync(path)) return path;
  if (CLIP_IDS.includes(arg)) return (await ensureData(arg)).main;
  if (URL_LIKE.test(arg) || CAMERA.test(arg)) return arg;
  throw new OptionError(
    `Video '${arg}' not found: no such file, not a catalog clip id (${CLIP_IDS.join(', ')}), not a URL (http(s)://, rtsp(s)://, ...), '-' or /dev/videoN.`,
  );
}
