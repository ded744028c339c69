import { ensureData } from '@motiondelta/data';
import type { ImageInput } from '@motiondelta/homography';
import { readImage } from '@motiondelta/video-io';

/** Photo ids of the data catalog and the size they are scaled to: large enough for 640x480 crops with margin. */
export const PHOTOS = [
  { id: 'flower', width: 1134, height: 756 },
  { id: 'evening-glow', width: 1024, height: 640 },
  { id: 'path', width: 1024, height: 640 },
  { id: 'astronaut', width: 820, height: 820 },
] as const;

/**
 * The same photos at the sizes the moderate-warp range (±120 px, ±4°, ±5%, mild perspective)
 * needs: a 640x480 crop plus b's footprint must fit inside the photo, up to about 190 px beyond
 * the crop on a side.
 */
export const WIDE_PHOTOS = [
  { id: 'flower', width: 1260, height: 840 },
  { id: 'evening-glow', width: 1280, height: 800 },
  { id: 'path', width: 1280, height: 800 },
  { id: 'astronaut', width: 960, height: 960 },
] as const;

/** Decodes and resizes every photo of the data catalog once (they are cached on disk by @motiondelta/data). */
export async function loadPhotos(
  sizes: ReadonlyArray<{ id: string; width: number; height: number }> = PHOTOS,
): Promise<Array<{ id: string; image: ImageInput }>> {
  return Promise.all(
    sizes.map(async (p) => {
      const img = await readImage((await ensureData(p.id)).main, { resize: { width: p.width, height: p.height } });
      return { id: p.id, image: { data: img.data, width: img.width, height: img.height, channels: 3 } };
    }),
  );
}
