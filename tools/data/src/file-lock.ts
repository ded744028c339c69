import { mkdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

/** A lock whose owner has not touched it for this long is assumed dead (a crashed machine). */
const STALE_AFTER_MS = 30 * 60_000;
const POLL_MS = 150;

interface LockOwner {
  readonly pid: number;
  readonly host: string;
  readonly since: number;
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: the process exists but belongs to someone else.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

async function isStale(lockDir: string): Promise<boolean> {
  try {
    const owner = JSON.parse(await readFile(join(lockDir, 'owner.json'), 'utf8')) as LockOwner;
    if (owner.host === hostname() && !isAlive(owner.pid)) return true;
    return Date.now() - owner.since > STALE_AFTER_MS;
  } catch {
    // No owner file yet: the holder is between mkdir and writeFile, unless that was long ago.
    try {
      return Date.now() - (await stat(lockDir)).mtimeMs > STALE_AFTER_MS;
    } catch {
      return false;
    }
  }
}

/**
 * Runs `task` while holding an exclusive lock shared by every process on this machine (and on
 * machines sharing the folder). `mkdir` is atomic, which is all a lock needs; a lock left by a
 * dead process is broken by renaming it away first, so two waiters cannot both break it.
 *
 * @example
 * await withFileLock('/tmp/cache/locks/vtest.lock', async () => fetchVtest());
 */
export async function withFileLock<T>(lockDir: string, task: () => Promise<T>, timeoutMs = 60 * 60_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      await mkdir(lockDir);
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
        await mkdir(join(lockDir, '..'), { recursive: true });
        continue;
      }
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    if (await isStale(lockDir)) {
      const grave = `${lockDir}.stale-${process.pid}-${Date.now()}`;
      try {
        await rename(lockDir, grave);
        await rm(grave, { recursive: true, force: true });
      } catch {
        // Another waiter broke it first; just try again.
      }
      continue;
    }
    if (Date.now() > deadline) {
      throw new Error(`timed out after ${Math.round(timeoutMs / 1000)} s waiting for lock ${lockDir}; remove it if no fetch is running`);
    }
    await sleep(POLL_MS);
  }
  const owner: LockOwner = { pid: process.pid, host: hostname(), since: Date.now() };
  await writeFile(join(lockDir, 'owner.json'), JSON.stringify(owner));
  try {
    return await task();
  } finally {
    await rm(lockDir, { recursive: true, force: true });
  }
}
