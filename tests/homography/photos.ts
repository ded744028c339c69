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

/** Decodes and downsizes every photo of the data catalog once (they are cached on disk by @motiondelta/data). */
export async function loadPhotos(): Promise<Array<{ id: string; image: ImageInput }>> {
  return Promise.all(
    PHOTOS.map(async (p) => {
      const img = await readImage((await ensureData(p.id)).main, { resize: { width: p.width, height: p.height } });
      return { id: p.id, image: { data: img.data, width: img.width, height: img.height, channels: 3 } };
    }),
  );
}
