import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ensureData } from '@motiondelta/data';
import { chromium, type Browser } from 'playwright-core';
import { build, preview, type PreviewServer } from 'vite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DemoState } from '../src/demo-state.js';

/** Debian's chromium (never a downloaded browser); its SwiftShader adapter gives WebGPU without a GPU. */
const CHROMIUM = '/usr/bin/chromium';
const APP = new URL('..', import.meta.url).pathname;

// Without chromium there is no browser to drive: skipped on a developer machine that lacks it,
// never under CI (scripts/setup.sh installs it there), where a missing browser must fail the run.
const noBrowser = !existsSync(CHROMIUM) && process.env['CI'] === undefined;

/** Flags that run WebGPU headless and keep chromium off the network; the fake camera plays `y4m`. */
function chromiumArgs(y4m: string): string[] {
  return [
    ...['--no-sandbox', '--enable-unsafe-webgpu', '--disable-quic', '--no-first-run'],
    ...['--disable-background-networking', '--disable-component-update', '--disable-sync'],
    ...['--use-fake-device-for-media-stream', '--use-fake-ui-for-media-stream', `--use-file-for-fake-video-capture=${y4m}`],
  ];
}

/** Two seconds of the vtest clip (a static camera, people walking) as the fake camera's Y4M file. */
function makeFakeCamera(clip: string, y4m: string): void {
  const args = ['-hide_banner', '-loglevel', 'error', '-y', '-ss', '8', '-t', '2', '-i', clip];
  const run = spawnSync('ffmpeg', [...args, '-vf', 'scale=160:120', '-pix_fmt', 'yuv420p', '-f', 'yuv4mpegpipe', y4m]);
  if (run.status !== 0) throw new Error(`ffmpeg could not make the fake camera clip: ${run.stderr.toString()}`);
}

/** Opens the demo with its controls preset, lets it start itself, and waits for `frames` frames (or an error). */
async function runDemo(
  browser: Browser,
  url: string,
  query: Record<string, string>,
  frames: number,
): Promise<{ state: DemoState; adapter: string }> {
  const page = await browser.newPage();
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
  try {
    await page.goto(`${url}?${new URLSearchParams({ ...query, autostart: '1' }).toString()}`);
    await page.waitForFunction((n) => window.demo.status === 'error' || window.demo.frames >= n, frames, { timeout: 90_000 });
    const state = await page.evaluate(() => structuredClone(window.demo));
    const adapter = await page.evaluate(async () => {
      const found = await navigator.gpu?.requestAdapter();
      return found ? `${found.info.vendor} ${found.info.architecture} ${found.info.description}` : 'none';
    });
    expect(errors).toEqual([]);
    return { state, adapter };
  } finally {
    await page.close();
  }
}

describe.skipIf(noBrowser)('the web demo in headless chromium', () => {
  let folder: string;
  let server: PreviewServer;
  let url: string;
  let browser: Browser;

  beforeAll(async () => {
    folder = await mkdtemp(join(tmpdir(), 'web-demo-'));
    const y4m = join(folder, 'camera.y4m');
    makeFakeCamera((await ensureData('vtest')).main, y4m);
    await build({
      root: APP,
      configFile: join(APP, 'vite.config.ts'),
      logLevel: 'warn',
      build: { outDir: join(folder, 'dist'), emptyOutDir: true },
    });
    server = await preview({
      root: APP,
      configFile: join(APP, 'vite.config.ts'),
      logLevel: 'warn',
      build: { outDir: join(folder, 'dist') },
      preview: { host: '127.0.0.1', port: 0, open: false },
    });
    url = server.resolvedUrls!.local[0]!;
    browser = await chromium.launch({ executablePath: CHROMIUM, args: chromiumArgs(y4m) });
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
    if (folder !== undefined) await rm(folder, { recursive: true, force: true });
  });

  it('runs ESRGAN on the webcam densely and in delta mode on webgpu, matching the reference backend', async () => {
    const { state, adapter } = await runDemo(
      browser,
      url,
      { source: 'webcam', model: 'esrgan-x2', size: '12x16', mode: 'delta', verify: '1' },
      3,
    );
    expect(state.error).toBeUndefined();
    expect(state.status).toBe('running');
    // No GPU here: the adapter is SwiftShader; on a machine with a GPU it is that GPU.
    expect(adapter).not.toBe('none');
    expect(state.backends).toMatchObject({ dense: 'webgpu', mode: 'webgpu' });
    expect(state.frames).toBeGreaterThanOrEqual(3);
    expect(state.maxDenseVsReference).toBeLessThanOrEqual(1e-5);
    expect(state.maxModeVsReference).toBeLessThanOrEqual(1e-4);
    // The fake camera plays a static-camera clip: after the first frame, delta mode skips work.
    expect(state.macFraction).toBeGreaterThan(0);
    expect(state.macFraction).toBeLessThan(1);
    expect(state.layers!.length).toBeGreaterThan(0);
  });

  it('runs selfie segmentation on the bundled clip in block mode, its outputs matching the reference backend', async () => {
    const { state } = await runDemo(browser, url, { source: 'clip', model: 'selfie', mode: 'block', verify: '1' }, 2);
    expect(state.error).toBeUndefined();
    expect(state.backends).toMatchObject({ dense: 'webgpu', mode: 'webgpu' });
    // The threshold policy aims at half the blocks; the first frame computes them all.
    expect(state.macFraction).toBeLessThan(1);
    expect(state.maxDenseVsReference).toBeLessThanOrEqual(1e-5);
    expect(state.maxModeVsReference).toBeLessThanOrEqual(1e-5);
    expect(state.layers!.length).toBeGreaterThan(0);
  });
});
