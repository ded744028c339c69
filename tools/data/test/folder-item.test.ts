import { DataError } from '@motiondelta/core';
import { existsSync } from 'node:fs';
import { copyFile, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ArchiveFetcher, Fetchers } from '../src/archive-fetcher.js';
import { defaultCacheDir } from '../src/cache-dir.js';
import { CATALOG, type DataItem } from '../src/catalog.js';
import type { EnsureContext } from '../src/ensure-data.js';
import { defaultFetchers, ensureItem } from '../src/ensure-data.js';
import { checkCachedItem } from '../src/verified-cache.js';

// An item of whole folders, pinned by its archive's sha256: the ONNX backend tests (a 6 MB .deb
// from Debian, 4,289 files). The archive is copied from the user's cache when an earlier fetch
// kept it there, so the test downloads it at most once per machine.

const corpus = CATALOG.find((item) => item.id === 'onnx-backend-tests')!;

function countingFetchers(): { fetchers: Fetchers; downloads: () => number } {
  let count = 0;
  const debian: ArchiveFetcher = {
    archiveName: (source) => defaultFetchers.debian.archiveName(source),
    download: async (source, workDir, log) => {
      count += 1;
      const kept = join(defaultCacheDir(), 'archives', defaultFetchers.debian.archiveName(source));
      if (!existsSync(kept)) return defaultFetchers.debian.download(source, workDir, log);
      const copy = join(workDir, 'copy.deb');
      await copyFile(kept, copy);
      return copy;
    },
    extract: (archive, paths, outDir) => defaultFetchers.debian.extract(archive, paths, outDir),
  };
  return { fetchers: { npm: defaultFetchers.npm, debian }, downloads: () => count };
}

const roots: string[] = [];
afterAll(async () => {
  await Promise.all(roots.map((dir) => rm(dir, { recursive: true, force: true })));
});

describe('an item of folders pinned by its archive', () => {
  let ctx: EnsureContext;
  let downloads: () => number;

  beforeAll(async () => {
    const cacheDir = await mkdtemp(join(tmpdir(), 'md-data-folders-'));
    roots.push(cacheDir);
    const counting = countingFetchers();
    downloads = counting.downloads;
    ctx = { cacheDir, fetchers: counting.fetchers, log: () => {} };
  });

  it('extracts the four folders and records every file in the stamp', async () => {
    const paths = await ensureItem(corpus, ctx);
    expect(downloads()).toBe(1);
    expect((await readdir(paths.dir)).sort()).toEqual(['.verified.json', 'node', 'pytorch-converted', 'pytorch-operator', 'simple']);
    expect(paths.main).toBe(join(paths.dir, 'node'));
    expect(existsSync(join(paths.dir, 'node', 'test_relu', 'test_data_set_0', 'output_0.pb'))).toBe(true);
  });

  it('is idempotent: a second call neither downloads nor extracts', async () => {
    await ensureItem(corpus, ctx);
    expect(downloads()).toBe(1);
  });

  it('verify (full) notices a changed file; a missing stamp means fetch again', async () => {
    const dir = join(ctx.cacheDir, corpus.id);
    const file = join(dir, 'node', 'test_relu', 'model.onnx');
    await writeFile(file, 'changed');
    expect(await checkCachedItem(corpus, dir, true)).toMatchObject({ status: 'corrupt', file });
    await rm(join(dir, '.verified.json'));
    expect((await checkCachedItem(corpus, dir)).status).toBe('missing');
    await ensureItem(corpus, ctx);
    expect((await checkCachedItem(corpus, dir, true)).status).toBe('ok');
    // Restored from the kept archive, which is checked again before extraction.
    expect(downloads()).toBe(1);
  });

  it('refuses an archive whose sha256 is not the pinned one, naming both', async () => {
    const wrong = '0'.repeat(64);
    const item: DataItem = {
      ...corpus,
      id: 'wrong-pin',
      source: { ...corpus.source, type: 'debian', sha256: wrong } as DataItem['source'],
    };
    const error = await ensureItem(item, ctx).catch((e: unknown) => e);
    expect(DataError.isInstance(error)).toBe(true);
    expect((error as Error).message).toContain(`expected ${wrong}`);
    expect((error as Error).message).toContain('libonnx-testdata');
    expect(existsSync(join(ctx.cacheDir, 'wrong-pin'))).toBe(false);
  });
});
