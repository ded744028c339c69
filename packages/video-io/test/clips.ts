import { ensureData } from '@motiondelta/data';

/** Paths of the real test clips, fetched into the data cache on first use (`pnpm data fetch`). */
export async function clipPaths(): Promise<{ vtest: string; cube: string }> {
  const [vtest, cube] = await Promise.all([ensureData('vtest'), ensureData('cube')]);
  return { vtest: vtest.main, cube: cube.main };
}
