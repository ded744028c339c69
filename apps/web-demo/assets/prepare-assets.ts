import { spawn } from 'node:child_process';
import { copyFile, mkdir, rename, stat } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { ensureData } from '@motiondelta/data';
import type { Plugin } from 'vite';
import { DEMO_CLIP, DEMO_MODELS } from '../src/demo-models.js';

/** Whether `path` exists with a non-zero size (an interrupted copy leaves nothing, see below). */
async function present(path: string): Promise<boolean> {
  try {
    return (await stat(path)).size > 0;
  } catch {
    return false;
  }
}

/** Runs ffmpeg to completion, failing with its last error lines. */
function ffmpeg(args: readonly string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn('ffmpeg', ['-hide_banner', '-loglevel', 'error', '-y', ...args], { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', (error) =>
      reject(new Error(`ffmpeg could not be started (${error.message}); the demo clip is made with Debian's ffmpeg.`)),
    );
    child.on('close', (code) => (code === 0 ? resolve() : reject(new Error(`ffmpeg failed (exit ${code}): ${stderr.slice(-400)}`))));
  });
}

/**
 * Puts the demo's models and clip under `publicDir` (what Vite serves and copies into the build):
 * each model's files from the data cache (fetched and checksum-verified there on first use), and
 * a few seconds of the vtest clip converted to a small VP8 WebM, which every Chromium decodes.
 * Files are written under a temporary name and renamed, so an interrupted run is redone.
 */
export async function prepareAssets(publicDir: string): Promise<void> {
  for (const model of DEMO_MODELS) {
    const data = await ensureData(model.id);
    const folder = join(publicDir, 'models', model.id);
    await mkdir(folder, { recursive: true });
    for (const path of Object.values(data.files)) {
      const target = join(folder, basename(path));
      if (await present(target)) continue;
      await copyFile(path, `${target}.part`);
      await rename(`${target}.part`, target);
    }
  }
  const clip = join(publicDir, DEMO_CLIP.path);
  if (!(await present(clip))) {
    const { main } = await ensureData(DEMO_CLIP.dataId);
    await mkdir(join(clip, '..'), { recursive: true });
    const [width, height] = DEMO_CLIP.size;
    await ffmpeg([
      ...['-ss', String(DEMO_CLIP.startSeconds), '-t', String(DEMO_CLIP.seconds), '-i', main],
      ...['-vf', `scale=${width}:${height}`, '-an', '-c:v', 'libvpx', '-b:v', '400k', '-f', 'webm', `${clip}.part`],
    ]);
    await rename(`${clip}.part`, clip);
  }
}

/** A Vite plugin that prepares the assets before the dev server starts and before each build. */
export function demoAssets(publicDir: string): Plugin {
  return {
    name: 'motiondelta-demo-assets',
    async buildStart() {
      await prepareAssets(publicDir);
    },
  };
}
