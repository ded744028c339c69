import { readdir, readFile, stat, writeFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
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
  /** Items with folders: the archive sha256 they were extracted from (the pin they answer to). */
  readonly archiveSha256?: string;
  /** Items with folders: every extracted file, by path relative to the item's folder. */
  readonly folderFiles?: Record<string, FileSignature>;
}

/** What `install` records about an item's folders right after the archive's sha256 was checked. */
export interface FolderRecord {
  readonly archiveSha256: string;
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

/**
 * Hashes every file under the item's folders in `dir`; called once, right after extraction from
 * an archive whose sha256 matched the pin, so these hashes inherit that pin.
 */
export async function recordFolders(item: DataItem, dir: string, archiveSha256: string): Promise<FolderRecord> {
  const files: Record<string, FileSignature> = {};
  for (const folder of item.folders ?? []) {
    const entries = await readdir(join(dir, folder.name), { recursive: true, withFileTypes: true });
    for (const entry of entries) {
      if (!entry.isFile()) continue;
      const path = join(entry.parentPath, entry.name);
      const info = await stat(path);
      files[relative(dir, path)] = { sha256: await sha256File(path), size: info.size, mtimeMs: info.mtimeMs };
    }
  }
  return { archiveSha256, files };
}

/**
 * Records that `dir` holds the right files; the stamp lets the next process skip hashing.
 * `folders` is given by `install` after an extraction; otherwise the stamp keeps what it had.
 */
export async function writeStamp(item: DataItem, dir: string, folders?: FolderRecord): Promise<void> {
  const files: Record<string, FileSignature> = {};
  for (const file of item.files) {
    const info = await stat(join(dir, file.name));
    files[file.name] = { sha256: file.sha256, size: info.size, mtimeMs: info.mtimeMs };
  }
  verifiedInProcess.set(dir, files);
  const previous = folders === undefined && item.folders !== undefined ? await readStamp(dir) : undefined;
  const folderPart = folders
    ? { archiveSha256: folders.archiveSha256, folderFiles: folders.files }
    : previous?.folderFiles !== undefined && previous.archiveSha256 !== undefined
      ? { archiveSha256: previous.archiveSha256, folderFiles: previous.folderFiles }
      : {};
  try {
    await writeFile(join(dir, STAMP_FILE), JSON.stringify({ files, ...folderPart } satisfies Stamp, null, 2));
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
  return item.folders === undefined ? { status: 'ok' } : checkFolders(item, dir, full);
}

/**
 * The folders of an item pinned by its archive: the stamp must name the pinned archive sha256,
 * and every file it recorded must be there with its size and mtime (`full`: with its sha256).
 */
async function checkFolders(item: DataItem, dir: string, full: boolean): Promise<CacheState> {
  const stamp = await readStamp(dir);
  const pinned = item.source.type === 'debian' ? item.source.sha256 : undefined;
  if (stamp?.folderFiles === undefined || pinned === undefined || stamp.archiveSha256 !== pinned) {
    // Without a record from a checked archive nothing vouches for the files: fetch again.
    return { status: 'missing', file: join(dir, STAMP_FILE) };
  }
  for (const [name, seen] of Object.entries(stamp.folderFiles)) {
    const path = join(dir, name);
    let info;
    try {
      info = await stat(path);
    } catch {
      return { status: 'missing', file: path };
    }
    if (!full && seen.size === info.size && seen.mtimeMs === info.mtimeMs) continue;
    const actual = await sha256File(path);
    if (actual !== seen.sha256) return { status: 'corrupt', file: path, actual };
  }
  return { status: 'ok' };
}

/** Forgets what this process verified under `dir` (after it is replaced). */
export function forgetVerified(dir: string): void {
  verifiedInProcess.delete(dir);
}
