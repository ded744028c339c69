import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { ArchiveFetcher, LogFn } from './archive-fetcher.js';
import type { DataSource } from './catalog.js';
import { CommandFailure, runCommand, runPipe } from './run-command.js';

/** apt's package lists are refreshed at most once per process: `apt-get update` is slow. */
let aptUpdate: Promise<void> | undefined;

function updateAptListsOnce(log: LogFn): Promise<void> {
  aptUpdate ??= (async () => {
    log('apt cannot find a package; running `apt-get update` once');
    await runCommand('apt-get', ['update']);
  })();
  return aptUpdate;
}

/** apt says this when its lists are missing or stale (a fresh machine or container). */
function isNotFound(error: unknown): boolean {
  return (
    error instanceof CommandFailure &&
    /Unable to locate package|Version '.*' for '.*' was not found|has no installation candidate|Can't select/i.test(error.stderrTail)
  );
}

async function candidateVersion(name: string): Promise<string | undefined> {
  const { stdout } = await runCommand('apt-cache', ['policy', name]);
  const match = /Candidate:\s*(\S+)/.exec(stdout);
  const version = match?.[1];
  return version === undefined || version === '(none)' ? undefined : version;
}

async function downloadDeb(name: string, version: string, workDir: string): Promise<string> {
  await runCommand('apt-get', ['download', `${name}=${version}`], { cwd: workDir });
  const debs = (await readdir(workDir)).filter((file) => file.endsWith('.deb'));
  const first = debs[0];
  if (debs.length !== 1 || first === undefined) {
    throw new Error(`apt-get download ${name}=${version} left ${debs.length} .deb files in ${workDir}, expected 1`);
  }
  return join(workDir, first);
}

/**
 * Fetches Debian packages with `apt-get download` (no install, no dependencies) and extracts
 * single files with `dpkg-deb --fsys-tarfile | tar`, so a 95 MB package is never unpacked whole.
 *
 * If the pinned version is not served any more, the candidate version is used instead and a note
 * is logged; the caller's sha256 check decides whether its files are still the right ones.
 *
 * @example
 * const deb = await debianFetcher.download(source, '/tmp/work', console.log);
 */
export const debianFetcher: ArchiveFetcher = {
  archiveName(source: DataSource) {
    return `debian-${source.name}_${source.version.replaceAll(':', '%3a')}.deb`;
  },

  async download(source, workDir, log) {
    try {
      return await downloadDeb(source.name, source.version, workDir);
    } catch (error) {
      if (!isNotFound(error)) throw error;
    }
    await updateAptListsOnce(log);
    try {
      return await downloadDeb(source.name, source.version, workDir);
    } catch (error) {
      if (!isNotFound(error)) throw error;
      const candidate = await candidateVersion(source.name);
      if (candidate === undefined || candidate === source.version) throw error;
      log(
        `${source.name}=${source.version} is not served by this apt source; trying candidate ${candidate} ` +
          '(accepted only if every file checksum still matches)',
      );
      try {
        return await downloadDeb(source.name, candidate, workDir);
      } catch {
        // The pinned version's failure is the one a person should act on.
        throw error;
      }
    }
  },

  async extract(archivePath, innerPaths, outDir) {
    // Members of a .deb data tarball are spelled `./usr/...`.
    const members = innerPaths.map((path) => `./${path}`);
    await runPipe(['dpkg-deb', ['--fsys-tarfile', archivePath]], ['tar', ['-x', '-C', outDir, ...members]]);
    return new Map(innerPaths.map((path) => [path, join(outDir, path)]));
  },
};
