import { readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { DataItem } from './catalog.js';
import { sha256File } from './sha256.js';

/** Name of the stamp file kept in each item's folder. */
export const STAMP_FILE = '.verified.json';

/** What a file looked like when its sha256 was last checked. */
interface FileSignature {
  readonly sha256: string;
  readonly size: number;
  readonly mtimeMs: number;
}

interface Stamp {
  readonly files: Record<string, FileSignature>;
}

export type CacheState =
  | { readonly status: 'ok' }
  | { readonly status: 'missing'; readonly file: string }
  | { readonly status: 'corrupt'; readonly file: string; readonly actual: string };

/**
 * Signatures checked in this process, per item folder. A stat per file is still done on every
 * call (microseconds) so a file changed underneath us is noticed; hashing is done only when the
 * size or mtime moved.
 */
const verifiedInProcess = new Map<string, Record<string, FileSignature>>();

async function readStamp(dir: string): Promise<Stamp | undefined> {
  try {
    return JSON.parse(await readFile(join(dir, STAMP_FILE), 'utf8')) as Stamp;
  } catch {
    return undefined;
  }
}

/** Records that `dir` holds the right files; the stamp lets the next process skip hashing. */
export async function writeStamp(item: DataItem, dir: string): Promise<void> {
  const files: Record<string, FileSignature> = {};
  for (const file of item.files) {
    const info = await stat(join(dir, file.name));
    files[file.name] = { sha256: file.sha256, size: info.size, mtimeMs: info.mtimeMs };
  }
  verifiedInProcess.set(dir, files);
  try {
    await writeFile(join(dir, STAMP_FILE), JSON.stringify({ files } satisfies Stamp, null, 2));
  } catch {
    // A read-only cache (shared, or mounted into CI) still works; later processes just hash again.
  }
}

/**
 * Says whether `dir` holds every file of `item` with the right sha256.
 * `full` ignores stamps and memory and hashes every byte (the `verify` command).
 *
 * @example
 * const state = await checkCachedItem(item, '/root/.cache/motiondelta/vtest');
 * if (state.status !== 'ok') console.log(state.file);
 */
export async function checkCachedItem(item: DataItem, dir: string, full = false): Promise<CacheState> {
  const known = full ? undefined : (verifiedInProcess.get(dir) ?? (await readStamp(dir))?.files);
  let hashed = false;
  for (const file of item.files) {
    const path = join(dir, file.name);
    let info;
    try {
      info = await stat(path);
    } catch {
      return { status: 'missing', file: path };
    }
    const seen = known?.[file.name];
    if (seen && seen.sha256 === file.sha256 && seen.size === info.size && seen.mtimeMs === info.mtimeMs) continue;
    const actual = await sha256File(path);
    if (actual !== file.sha256) {
      verifiedInProcess.delete(dir);
      return { status: 'corrupt', file: path, actual };
    }
    hashed = true;
  }
  if (hashed || known === undefined) await writeStamp(item, dir);
  else verifiedInProcess.set(dir, known);
  return { status: 'ok' };
}

/** Forgets what this process verified under `dir` (after it is replaced). */
export function forgetVerified(dir: string): void {
  verifiedInProcess.delete(dir);
}
