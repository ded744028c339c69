import { DataError } from '@motiondelta/core';
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ArchiveFetcher, Fetchers } from '../src/archive-fetcher.js';
import type { DataItem } from '../src/catalog.js';
import { CATALOG } from '../src/catalog.js';
import type { ProgressEvent } from '../src/data-api.js';
import { ensureAll, ensureData, inspectCache } from '../src/data-api.js';
import type { EnsureContext } from '../src/ensure-data.js';
import { defaultFetchers, ensureItem } from '../src/ensure-data.js';
import { sha256File } from '../src/sha256.js';

// These tests fetch @upscalerjs/esrgan-slim (4 MB) from the npm registry.

const esrgan = CATALOG.find((item) => item.id === 'esrgan-x2')!;

/** Wraps the real npm fetcher to count downloads. */
function countingFetchers(): { fetchers: Fetchers; downloads: () => number } {
  let count = 0;
  const npm: ArchiveFetcher = {
    archiveName: (source) => defaultFetchers.npm.archiveName(source),
    download: async (source, workDir, log) => {
      count += 1;
      return defaultFetchers.npm.download(source, workDir, log);
    },
    extract: (archive, paths, outDir) => defaultFetchers.npm.extract(archive, paths, outDir),
  };
  return { fetchers: { npm, debian: defaultFetchers.debian }, downloads: () => count };
}

const roots: string[] = [];
async function freshCache(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'md-data-test-'));
  roots.push(dir);
  return dir;
}
afterAll(async () => {
  await Promise.all(roots.map((dir) => rm(dir, { recursive: true, force: true })));
});

describe('ensureItem on a small npm item', () => {
  let cacheDir: string;
  let ctx: EnsureContext;
  let downloads: () => number;
  const logs: string[] = [];

  beforeAll(async () => {
    cacheDir = await freshCache();
    const counting = countingFetchers();
    downloads = counting.downloads;
    ctx = { cacheDir, fetchers: counting.fetchers, log: (message) => logs.push(message) };
  });

  it('fetches, verifies and returns absolute paths', async () => {
    const paths = await ensureItem(esrgan, ctx);
    expect(downloads()).toBe(1);
    expect(paths.dir).toBe(join(cacheDir, 'esrgan-x2'));
    expect(paths.main).toBe(join(cacheDir, 'esrgan-x2', 'model.json'));
    for (const file of esrgan.files) {
      expect(await sha256File(paths.files[file.name]!)).toBe(file.sha256);
    }
    // The tarball is kept for the next item from the same package; no temp folders linger.
    expect(await readdir(join(cacheDir, 'archives'))).toEqual(['npm-upscalerjs-esrgan-slim-1.0.0.tgz']);
    expect(await readdir(join(cacheDir, '.staging'))).toEqual([]);
  });

  it('returns at once on the second call without downloading', async () => {
    const archive = join(cacheDir, 'archives', 'npm-upscalerjs-esrgan-slim-1.0.0.tgz');
    const before = (await stat(archive)).mtimeMs;
    const started = performance.now();
    await ensureItem(esrgan, ctx);
    expect(performance.now() - started).toBeLessThan(200);
    expect(downloads()).toBe(1);
    expect((await stat(archive)).mtimeMs).toBe(before);
  });

  it('detects a corrupted cached file and restores it from the kept archive', async () => {
    const weights = join(cacheDir, 'esrgan-x2', 'group1-shard1of1.bin');
    await writeFile(weights, 'not the weights');
    const paths = await ensureItem(esrgan, ctx);
    expect(await sha256File(paths.files['group1-shard1of1.bin']!)).toBe(esrgan.files[1]!.sha256);
    expect(downloads()).toBe(1);
  });

  it('downloads again when the kept archive itself is damaged', async () => {
    await writeFile(join(cacheDir, 'archives', 'npm-upscalerjs-esrgan-slim-1.0.0.tgz'), 'truncated');
    await writeFile(join(cacheDir, 'esrgan-x2', 'model.json'), '{}');
    const paths = await ensureItem(esrgan, ctx);
    expect(await sha256File(paths.main)).toBe(esrgan.files[0]!.sha256);
    expect(downloads()).toBe(2);
    expect(logs.some((line) => line.includes('downloading it again'))).toBe(true);
  });

  it('shares one fetch between concurrent calls in one process', async () => {
    const counting = countingFetchers();
    const other: EnsureContext = { cacheDir: await freshCache(), fetchers: counting.fetchers, log: () => undefined };
    const [a, b] = await Promise.all([ensureItem(esrgan, other), ensureItem(esrgan, other)]);
    expect(a.main).toBe(b.main);
    expect(counting.downloads()).toBe(1);
  });
});

describe('ensureAll and inspectCache', () => {
  it('reports progress per item and sees the result in the cache', async () => {
    const cacheDir = await freshCache();
    expect((await inspectCache(['esrgan-x2'], { cacheDir }))[0]?.state.status).toBe('missing');
    const events: ProgressEvent[] = [];
    const [paths] = await ensureAll(['esrgan-x2'], { cacheDir, onProgress: (e) => events.push(e) });
    expect(paths?.main).toBe(join(cacheDir, 'esrgan-x2', 'model.json'));
    expect(events).toEqual([
      { phase: 'start', id: 'esrgan-x2', done: 0, total: 1 },
      { phase: 'done', id: 'esrgan-x2', done: 1, total: 1 },
    ]);
    expect((await inspectCache(['esrgan-x2'], { cacheDir, full: true }))[0]?.state.status).toBe('ok');
  });
});

describe('concurrent processes', () => {
  const cli = fileURLToPath(new URL('../dist/cli.js', import.meta.url));

  it('two CLI processes fetching the same item both succeed and never see half-written files', async () => {
    // Runs the built CLI so two real processes race on the file lock.
    expect(existsSync(cli), `build first: npx turbo run build --filter=@motiondelta/data (${cli})`).toBe(true);
    const cacheDir = await freshCache();
    const run = (): Promise<{ stdout: string }> =>
      promisify(execFile)('node', [cli, 'path', 'esrgan-x2'], { env: { ...process.env, MOTIONDELTA_DATA_DIR: cacheDir } });
    const [a, b] = await Promise.all([run(), run()]);
    const main = join(cacheDir, 'esrgan-x2', 'model.json');
    expect(a.stdout.trim()).toBe(main);
    expect(b.stdout.trim()).toBe(main);
    expect(await sha256File(main)).toBe(esrgan.files[0]!.sha256);
    expect(await readdir(join(cacheDir, 'archives'))).toEqual(['npm-upscalerjs-esrgan-slim-1.0.0.tgz']);
  });
});

describe('errors', () => {
  it('names the known ids for an unknown id', async () => {
    const error = await ensureData('no-such-item', { cacheDir: await freshCache() }).catch((e: unknown) => e);
    expect(DataError.isInstance(error)).toBe(true);
    expect((error as DataError).message).toMatch(/Unknown data id 'no-such-item'.*esrgan-x2.*pnpm data list/s);
  });

  it('names the item, the failed command and the manual route for an unfetchable version', async () => {
    const bogus: DataItem = {
      ...esrgan,
      id: 'esrgan-bogus',
      source: { type: 'npm', name: '@upscalerjs/esrgan-slim', version: '0.0.0-does-not-exist' },
    };
    const ctx: EnsureContext = { cacheDir: await freshCache(), fetchers: defaultFetchers, log: () => undefined };
    const error = await ensureItem(bogus, ctx).catch((e: unknown) => e);
    expect(DataError.isInstance(error)).toBe(true);
    const message = (error as DataError).message;
    expect(message).toContain("'esrgan-bogus'");
    expect(message).toContain('npm pack @upscalerjs/esrgan-slim@0.0.0-does-not-exist');
    expect(message).toMatch(/ETARGET|No matching version|notarget/i);
    expect(message).toContain('To get it by hand');
    expect(existsSync(join(ctx.cacheDir, 'esrgan-bogus'))).toBe(false);
  });

  it('refuses a file whose checksum does not match and names it', async () => {
    const wrong: DataItem = {
      ...esrgan,
      id: 'esrgan-wrong-sum',
      files: [esrgan.files[0]!, { ...esrgan.files[1]!, sha256: '0'.repeat(64) }],
    };
    const ctx: EnsureContext = { cacheDir: await freshCache(), fetchers: defaultFetchers, log: () => undefined };
    const error = await ensureItem(wrong, ctx).catch((e: unknown) => e);
    expect(DataError.isInstance(error)).toBe(true);
    expect((error as DataError).message).toMatch(/'esrgan-wrong-sum'.*group1-shard1of1\.bin.*expected 0{64}/s);
    expect(existsSync(join(ctx.cacheDir, 'esrgan-wrong-sum'))).toBe(false);
  });
});
