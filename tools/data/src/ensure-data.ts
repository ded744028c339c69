import { DataError } from '@motiondelta/core';
import { access, mkdir, mkdtemp, rename, rm } from 'node:fs/promises';
import { basename, join } from 'node:path';
import type { Fetchers, LogFn } from './archive-fetcher.js';
import type { DataItem, DataSource } from './catalog.js';
import { manualFetchHint } from './catalog.js';
import { debianFetcher } from './debian-fetcher.js';
import { withFileLock } from './file-lock.js';
import { npmFetcher } from './npm-fetcher.js';
import { CommandFailure } from './run-command.js';
import { sha256File } from './sha256.js';
import { checkCachedItem, forgetVerified, recordFolders, writeStamp } from './verified-cache.js';

/** Where an item's files are on disk; every path is absolute. */
export interface DataPaths {
  readonly id: string;
  /** The item's folder in the cache. */
  readonly dir: string;
  /** The file most callers want (model description, clip, photo). */
  readonly main: string;
  /** Every file of the item, keyed by its cache name (for example `model.json`). */
  readonly files: Readonly<Record<string, string>>;
}

/** Everything fetching depends on, injectable so tests can count downloads or force failures. */
export interface EnsureContext {
  readonly cacheDir: string;
  readonly fetchers: Fetchers;
  readonly log: LogFn;
}

export const defaultFetchers: Fetchers = { npm: npmFetcher, debian: debianFetcher };

/** Fetches of one item already under way in this process, so concurrent callers share one. */
const inFlight = new Map<string, Promise<DataPaths>>();

function describeSource(source: DataSource): string {
  return source.type === 'npm' ? `npm package ${source.name}@${source.version}` : `Debian package ${source.name}=${source.version}`;
}

function pathsOf(item: DataItem, dir: string): DataPaths {
  const files: Record<string, string> = {};
  for (const file of item.files) files[file.name] = join(dir, file.name);
  return { id: item.id, dir, main: join(dir, item.main), files };
}

async function exists(path: string): Promise<boolean> {
  try {
    await access(path);
    return true;
  } catch {
    return false;
  }
}

interface Archive {
  readonly path: string;
  /** Downloaded by this call, as opposed to found in `<cache>/archives/`. */
  readonly fresh: boolean;
}

/** Returns the package archive, downloading it unless an earlier fetch kept it. */
async function ensureArchive(source: DataSource, ctx: EnsureContext): Promise<Archive> {
  const fetcher = ctx.fetchers[source.type];
  const name = fetcher.archiveName(source);
  const archivesDir = join(ctx.cacheDir, 'archives');
  const path = join(archivesDir, name);
  if (await exists(path)) return { path, fresh: false };
  // A lock per archive: posenet and selfie come from the same 144 MB tarball.
  return withFileLock(join(ctx.cacheDir, 'locks', `archive-${name}.lock`), async () => {
    if (await exists(path)) return { path, fresh: false };
    await mkdir(archivesDir, { recursive: true });
    const work = await mkdtemp(join(archivesDir, '.download-'));
    try {
      const downloaded = await ctx.fetchers[source.type].download(source, work, ctx.log);
      // Same file system, so the archive appears whole or not at all.
      await rename(downloaded, path);
      return { path, fresh: true };
    } finally {
      await rm(work, { recursive: true, force: true });
    }
  });
}

interface ChecksumMismatch {
  readonly file: DataItem['files'][number];
  readonly actual: string;
}

/** Extracts the item's files into `itemDir`; returns the first file whose sha256 is wrong. */
async function extractAndVerify(
  item: DataItem,
  archive: string,
  stagingDir: string,
  ctx: EnsureContext,
): Promise<ChecksumMismatch | undefined> {
  const extractDir = join(stagingDir, 'extract');
  const itemDir = join(stagingDir, 'item');
  await rm(extractDir, { recursive: true, force: true });
  await rm(itemDir, { recursive: true, force: true });
  await mkdir(extractDir, { recursive: true });
  await mkdir(itemDir, { recursive: true });
  if (item.folders !== undefined) {
    // Folders are pinned by the archive (see DataItem.folders): check it before taking anything out.
    const pinned = item.source.type === 'debian' ? item.source.sha256 : undefined;
    const actual = await sha256File(archive);
    if (actual !== pinned) {
      return { file: { path: basename(archive), name: basename(archive), sha256: pinned ?? '(none pinned)' }, actual };
    }
  }
  const fetcher = ctx.fetchers[item.source.type];
  const extracted = await fetcher.extract(
    archive,
    [...item.files.map((f) => f.path), ...(item.folders ?? []).map((f) => f.path)],
    extractDir,
  );
  for (const file of item.files) {
    const from = extracted.get(file.path);
    if (from === undefined) throw new Error(`the extractor did not return ${file.path}`);
    const to = join(itemDir, file.name);
    await rename(from, to);
    const actual = await sha256File(to);
    if (actual !== file.sha256) return { file, actual };
  }
  for (const folder of item.folders ?? []) {
    const from = extracted.get(folder.path);
    if (from === undefined) throw new Error(`the extractor did not return ${folder.path}`);
    await rename(from, join(itemDir, folder.name));
  }
  return undefined;
}

/** Swaps the verified staging folder in for the item's folder, never leaving a half-written one. */
async function install(item: DataItem, stagingDir: string, dir: string): Promise<void> {
  const old = join(stagingDir, 'old');
  try {
    await rename(dir, old);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  await rename(join(stagingDir, 'item'), dir);
  forgetVerified(dir);
  const pinned = item.source.type === 'debian' ? item.source.sha256 : undefined;
  // extractAndVerify checked the archive against `pinned` before the folders came out of it.
  await writeStamp(item, dir, item.folders && pinned !== undefined ? await recordFolders(item, dir, pinned) : undefined);
}

async function fetchItem(item: DataItem, dir: string, ctx: EnsureContext): Promise<void> {
  const stagingRoot = join(ctx.cacheDir, '.staging');
  await mkdir(stagingRoot, { recursive: true });
  const staging = await mkdtemp(join(stagingRoot, `${item.id}-`));
  try {
    const attempt = async (archive: Archive): Promise<{ mismatch?: ChecksumMismatch; error?: unknown }> => {
      try {
        const mismatch = await extractAndVerify(item, archive.path, staging, ctx);
        return mismatch ? { mismatch } : {};
      } catch (error) {
        return { error };
      }
    };
    let archive = await ensureArchive(item.source, ctx);
    let outcome = await attempt(archive);
    if (!archive.fresh && (outcome.mismatch || outcome.error !== undefined)) {
      // A kept archive may be damaged (disk trouble, an interrupted older tool): fetch it once more.
      ctx.log(`${item.id}: the kept archive ${archive.path} does not give the right files; downloading it again`);
      await rm(archive.path, { force: true });
      archive = await ensureArchive(item.source, ctx);
      outcome = await attempt(archive);
    }
    if (outcome.error !== undefined) throw outcome.error;
    const mismatch = outcome.mismatch;
    if (mismatch) {
      throw new DataError(
        `Data item '${item.id}': file '${mismatch.file.name}' (${mismatch.file.path} in ` +
          `${describeSource(item.source)}) has sha256 ${mismatch.actual}, expected ${mismatch.file.sha256}. ` +
          'The package may have been republished, or the pin in tools/data/src/catalog.ts is wrong. ' +
          `To get it by hand: ${manualFetchHint(item)}, check its sha256, and copy it to ${join(dir, mismatch.file.name)}.`,
      );
    }
    await install(item, staging, dir);
  } finally {
    await rm(staging, { recursive: true, force: true });
  }
}

function toDataError(item: DataItem, dir: string, error: unknown): DataError {
  if (DataError.isInstance(error)) return error;
  const what = error instanceof CommandFailure ? `command ${error.message}` : String((error as Error)?.message ?? error);
  const names = [...item.files.map((f) => f.name), ...(item.folders ?? []).map((f) => `${f.name}/`)].join(', ');
  return new DataError(
    `Could not fetch data item '${item.id}' (${names}) from ` +
      `${describeSource(item.source)}: ${what}\n` +
      `To get it by hand: ${manualFetchHint(item)}, then copy the files into ${dir} ` +
      `(named ${names}).`,
    { cause: error },
  );
}

/**
 * Makes sure `item`'s files are in the cache with the right sha256 and returns their paths.
 * Internal form of `ensureData` that takes the item and context directly (tests inject both).
 *
 * @example
 * const paths = await ensureItem(item, { cacheDir: '/tmp/c', fetchers: defaultFetchers, log: console.log });
 */
export async function ensureItem(item: DataItem, ctx: EnsureContext): Promise<DataPaths> {
  const dir = join(ctx.cacheDir, item.id);
  if ((await checkCachedItem(item, dir)).status === 'ok') return pathsOf(item, dir);
  const key = `${ctx.cacheDir}\u0000${item.id}`;
  const running = inFlight.get(key);
  if (running) return running;
  const task = (async () => {
    try {
      // The lock keeps other processes (vitest workers, a second CLI) from fetching the same item.
      return await withFileLock(join(ctx.cacheDir, 'locks', `${item.id}.lock`), async () => {
        if ((await checkCachedItem(item, dir)).status !== 'ok') await fetchItem(item, dir, ctx);
        return pathsOf(item, dir);
      });
    } catch (error) {
      throw toDataError(item, dir, error);
    } finally {
      inFlight.delete(key);
    }
  })();
  inFlight.set(key, task);
  return task;
}
