import type { DataSource } from './catalog.js';

/** Receives one human-readable line about what the data tool is doing or had to work around. */
export type LogFn = (message: string) => void;

/**
 * Gets a package archive and takes files out of it. One implementation per source type; tests
 * inject a spy to count downloads or a failing one to check error messages.
 */
export interface ArchiveFetcher {
  /** File name the archive is kept under in `<cache>/archives/`. */
  archiveName(source: DataSource): string;
  /**
   * Downloads the package archive into the empty folder `workDir` and returns the file's path.
   * Throws CommandFailure when a command fails.
   */
  download(source: DataSource, workDir: string, log: LogFn): Promise<string>;
  /**
   * Extracts `innerPaths` (as the catalog spells them) from `archivePath` into `outDir` and
   * returns where each one landed, keyed by inner path.
   */
  extract(archivePath: string, innerPaths: readonly string[], outDir: string): Promise<Map<string, string>>;
}

export interface Fetchers {
  readonly npm: ArchiveFetcher;
  readonly debian: ArchiveFetcher;
}
