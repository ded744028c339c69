import { homedir } from 'node:os';
import { join, resolve } from 'node:path';

/**
 * Where fetched data lives: `MOTIONDELTA_DATA_DIR`, else `~/.cache/motiondelta`.
 * Read at call time, not import time, so tests can point each case at a fresh folder.
 *
 * @example
 * process.env.MOTIONDELTA_DATA_DIR = '/tmp/md-cache';
 * defaultCacheDir(); // '/tmp/md-cache'
 */
export function defaultCacheDir(): string {
  const fromEnv = process.env['MOTIONDELTA_DATA_DIR'];
  return fromEnv ? resolve(fromEnv) : join(homedir(), '.cache', 'motiondelta');
}
