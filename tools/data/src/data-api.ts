import { DataError } from '@motiondelta/core';
import { join } from 'node:path';
import type { LogFn } from './archive-fetcher.js';
import { defaultCacheDir } from './cache-dir.js';
import type { DataItem } from './catalog.js';
import { CATALOG, DATA_IDS, sourceKey } from './catalog.js';
import type { DataPaths, EnsureContext } from './ensure-data.js';
import { defaultFetchers, ensureItem } from './ensure-data.js';
import type { CacheState } from './verified-cache.js';
import { checkCachedItem } from './verified-cache.js';

export interface EnsureOptions {
  /** Cache folder; default `MOTIONDELTA_DATA_DIR` or `~/.cache/motiondelta`. */
  readonly cacheDir?: string;
  /** Notes about work-arounds (apt lists refreshed, a fallback version); default: stderr. */
  readonly onLog?: LogFn;
}

/** One step of `ensureAll`, for progress bars and CI logs. */
export interface ProgressEvent {
  readonly phase: 'start' | 'done' | 'failed';
  readonly id: string;
  /** Items finished (fetched, found in the cache, or failed) so far. */
  readonly done: number;
  readonly total: number;
}

export interface EnsureAllOptions extends EnsureOptions {
  readonly onProgress?: (event: ProgressEvent) => void;
  /** Packages fetched at once; items from one package always go one after another. Default 3. */
  readonly concurrency?: number;
}

function contextFrom(options: EnsureOptions): EnsureContext {
  return {
    cacheDir: options.cacheDir ?? defaultCacheDir(),
    fetchers: defaultFetchers,
    log: options.onLog ?? ((message) => process.stderr.write(`motiondelta-data: ${message}\n`)),
  };
}

/**
 * The catalog entry for `id`, or a DataError listing the ids that exist.
 *
 * @example
 * getDataItem('vtest').license; // 'Apache-2.0 AND BSD-3-Clause'
 */
export function getDataItem(id: string): DataItem {
  const item = CATALOG.find((entry) => entry.id === id);
  if (!item) {
    throw new DataError(
      `Unknown data id '${id}'. Known ids: ${DATA_IDS.join(', ')}. ` + 'Run `pnpm data list` to see them with their licenses.',
    );
  }
  return item;
}

/**
 * Returns the absolute paths of a data item's files, fetching and verifying them first if the
 * cache does not hold them already. Safe to call from many processes at once.
 *
 * @example
 * import { ensureData } from '@motiondelta/data';
 * const { main } = await ensureData('vtest'); // .../motiondelta/vtest/vtest.avi
 */
export async function ensureData(id: string, options: EnsureOptions = {}): Promise<DataPaths> {
  return ensureItem(getDataItem(id), contextFrom(options));
}

async function runPool<T>(tasks: readonly (() => Promise<T>)[], concurrency: number): Promise<T[]> {
  const results: T[] = new Array<T>(tasks.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < tasks.length) {
      const index = next++;
      const task = tasks[index];
      if (task) results[index] = await task();
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(concurrency, tasks.length)) }, worker));
  return results;
}

/**
 * Ensures several items (default: the whole catalog). Items that share a package are fetched one
 * after another so the archive downloads once; the others run concurrently. Every item is tried;
 * if any failed, one DataError lists them all.
 *
 * @example
 * await ensureAll(['vtest', 'cube'], { onProgress: (e) => console.log(e.phase, e.id) });
 */
export async function ensureAll(ids: readonly string[] = DATA_IDS, options: EnsureAllOptions = {}): Promise<DataPaths[]> {
  const items = ids.map(getDataItem);
  const ctx = contextFrom(options);
  const groups = new Map<string, DataItem[]>();
  for (const item of items) {
    const key = sourceKey(item.source);
    groups.set(key, [...(groups.get(key) ?? []), item]);
  }
  const found = new Map<string, DataPaths>();
  const failures: string[] = [];
  let done = 0;
  const total = items.length;
  const tasks = [...groups.values()].map((group) => async () => {
    for (const item of group) {
      options.onProgress?.({ phase: 'start', id: item.id, done, total });
      try {
        found.set(item.id, await ensureItem(item, ctx));
        done += 1;
        options.onProgress?.({ phase: 'done', id: item.id, done, total });
      } catch (error) {
        done += 1;
        failures.push((error as Error).message);
        options.onProgress?.({ phase: 'failed', id: item.id, done, total });
      }
    }
  });
  await runPool(tasks, options.concurrency ?? 3);
  if (failures.length > 0) {
    throw new DataError(`${failures.length} of ${total} data items could not be fetched:\n\n${failures.join('\n\n')}`);
  }
  return items.map((item) => found.get(item.id)).filter((paths): paths is DataPaths => paths !== undefined);
}

/** State of one cached item, without fetching anything. */
export interface CachedStatus {
  readonly item: DataItem;
  readonly dir: string;
  readonly state: CacheState;
}

/**
 * Checks the cache for `ids` without fetching. `full` hashes every byte instead of trusting the
 * size+mtime stamps (what `motiondelta-data verify` does).
 *
 * @example
 * const [vtest] = await inspectCache(['vtest']);
 * vtest?.state.status; // 'ok' | 'missing' | 'corrupt'
 */
export async function inspectCache(
  ids: readonly string[] = DATA_IDS,
  options: { readonly cacheDir?: string; readonly full?: boolean } = {},
): Promise<CachedStatus[]> {
  const cacheDir = options.cacheDir ?? defaultCacheDir();
  const statuses: CachedStatus[] = [];
  for (const item of ids.map(getDataItem)) {
    const dir = join(cacheDir, item.id);
    statuses.push({ item, dir, state: await checkCachedItem(item, dir, options.full ?? false) });
  }
  return statuses;
}
