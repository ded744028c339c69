import { randomBytes } from 'node:crypto';
import type { Stats } from 'node:fs';
import { constants } from 'node:fs';
import { mkdir, open, rmdir, stat, statfs, unlink } from 'node:fs/promises';
import { dirname, join, parse, resolve, sep } from 'node:path';
import { OptionError } from '@motiondelta/core';
import { failureReason, fileKind } from './file-kind.js';

/**
 * Kernel file systems, by `statfs` magic number (linux/magic.h). Their files are kernel
 * interfaces: a report never belongs there, and as root a write could change a kernel setting.
 */
const KERNEL_FILE_SYSTEMS = new Map<number, string>([
  [0x9fa0, 'proc'],
  [0x62656572, 'sysfs'],
  [0x27e0eb, 'cgroup'],
  [0x63677270, 'cgroup2'],
  [0x64626720, 'debugfs'],
  [0x74726163, 'tracefs'],
  [0x73636673, 'securityfs'],
  [0x62656570, 'configfs'],
  [0xcafe4a11, 'bpf'],
  [0xde5e81e4, 'efivarfs'],
  [0x6165676c, 'pstore'],
  [0x1cd1, 'devpts'],
]);

/** O_NONBLOCK: opening a FIFO would otherwise wait for its other end forever. */
const WRITE_EXISTING = constants.O_WRONLY | constants.O_NONBLOCK;

async function statOrUndefined(path: string, option: string, given: string): Promise<Stats | undefined> {
  try {
    return await stat(path);
  } catch (error) {
    if ((error as { code?: string }).code === 'ENOENT') return undefined;
    throw new OptionError(`${option} '${given}': cannot look at '${path}' (${failureReason(error)}).`);
  }
}

/** A checked output location, and how to take back the folders the check created. */
export interface PreparedOutput {
  /** The absolute path of the folder or file. */
  readonly path: string;
  /**
   * Removes the folders the check created, deepest first, as long as they are still empty: for a
   * command that fails before writing anything, so that it leaves no trace.
   */
  removeCreatedFolders(): Promise<void>;
}

/**
 * `mkdir -p`, one level at a time from the root; returns the folders it created, outermost
 * first. Node's `mkdir(path, { recursive: true })` never returns for some paths it cannot create
 * (under /proc it retries forever), and a level that exists as a file must be named as the
 * culprit.
 */
async function makeFolders(folder: string, option: string, given: string): Promise<string[]> {
  const created: string[] = [];
  const { root } = parse(folder);
  let current = root;
  try {
    for (const part of folder
      .slice(root.length)
      .split(sep)
      .filter((p) => p !== '')) {
      current = join(current, part);
      let info = await statOrUndefined(current, option, given);
      if (info === undefined) {
        // Before the first mkdir: in /proc it fails with a misleading ENOENT.
        if (created.length === 0) await refuseKernelFileSystem(dirname(current), option, given);
        try {
          await mkdir(current);
          created.push(current);
          continue;
        } catch (error) {
          if ((error as { code?: string }).code !== 'EEXIST') {
            throw new OptionError(`${option} '${given}': cannot create the folder '${current}' (${failureReason(error)}).`);
          }
          info = await statOrUndefined(current, option, given);
        }
      }
      if (info !== undefined && !info.isDirectory()) {
        throw new OptionError(`${option} '${given}': '${current}' is ${fileKind(info)}, not a folder.`);
      }
    }
  } catch (error) {
    await prepared('', created).removeCreatedFolders();
    throw error;
  }
  return created;
}

function prepared(path: string, created: readonly string[]): PreparedOutput {
  return {
    path,
    async removeCreatedFolders() {
      for (const folder of [...created].reverse()) {
        // rmdir refuses a folder that is no longer empty: what was written there stays.
        if (
          !(await rmdir(folder).then(
            () => true,
            () => false,
          ))
        )
          return;
      }
    },
  };
}

/** Runs `check`; on failure takes back the folders created so far, then rethrows. */
async function undoOnFailure(created: readonly string[], check: () => Promise<void>): Promise<void> {
  try {
    await check();
  } catch (error) {
    await prepared('', created).removeCreatedFolders();
    throw error;
  }
}

async function refuseKernelFileSystem(path: string, option: string, given: string): Promise<void> {
  let type: number;
  try {
    type = Number((await statfs(path)).type);
  } catch (error) {
    throw new OptionError(`${option} '${given}': cannot look at '${path}' (${failureReason(error)}).`);
  }
  const name = KERNEL_FILE_SYSTEMS.get(type);
  if (name !== undefined) {
    throw new OptionError(`${option} '${given}': '${path}' is on the kernel's ${name} file system; give a folder on a disk.`);
  }
}

/** Creates and removes a file in `folder`: the only sure way to know that writing there works. */
async function probeWrite(folder: string, option: string, given: string): Promise<void> {
  const probe = join(folder, `.motiondelta-write-check-${process.pid}-${randomBytes(4).toString('hex')}`);
  try {
    const handle = await open(probe, 'wx');
    await handle.close();
  } catch (error) {
    throw new OptionError(`${option} '${given}': cannot write in the folder '${folder}' (${failureReason(error)}).`);
  }
  await unlink(probe);
}

/** An existing file must be a regular file we may open for writing (opened, not truncated). */
async function checkExistingFile(path: string, info: Stats, option: string, given: string): Promise<void> {
  if (!info.isFile()) {
    throw new OptionError(`${option} '${given}': '${path}' exists and is ${fileKind(info)}; it must be a regular file, or not exist.`);
  }
  try {
    const handle = await open(path, WRITE_EXISTING);
    await handle.close();
  } catch (error) {
    throw new OptionError(`${option} '${given}': cannot write '${path}' (${failureReason(error)}).`);
  }
}

/**
 * Makes sure the command can write its files into `folder` before any work starts: creates the
 * folder (and its parents), refuses kernel file systems (/proc, /sys), checks that each of
 * `files` is either absent or a writable regular file, and creates and deletes a probe file.
 *
 * @throws OptionError naming the path and why it cannot be written (nothing is left created)
 * @example
 * const out = await prepareOutputFolder('motiondelta-report', '--out', ['report.html', 'summary.json']);
 * // ... on failure before writing: await out.removeCreatedFolders();
 */
export async function prepareOutputFolder(folder: string, option: string, files: readonly string[] = []): Promise<PreparedOutput> {
  const target = resolve(folder);
  const created = await makeFolders(target, option, folder);
  await undoOnFailure(created, async () => {
    await refuseKernelFileSystem(target, option, folder);
    for (const name of files) {
      const path = join(target, name);
      const info = await statOrUndefined(path, option, folder);
      if (info !== undefined) await checkExistingFile(path, info, option, folder);
    }
    await probeWrite(target, option, folder);
  });
  return prepared(target, created);
}

/**
 * Makes sure the command can write the file `file` before any work starts: creates its folder,
 * refuses kernel file systems and anything but a regular file (a directory, a FIFO that would
 * block, a device), and opens it for writing without truncating it (or, when it does not exist
 * yet, creates it and deletes it again).
 *
 * @throws OptionError naming the path and why it cannot be written (nothing is left created)
 * @example
 * const out = await prepareOutputFile('selfie.thresholds.json', '--out');
 * await saveProfile(out.path, profile);
 */
export async function prepareOutputFile(file: string, option: string): Promise<PreparedOutput> {
  const target = resolve(file);
  const folder = dirname(target);
  const created = await makeFolders(folder, option, file);
  await undoOnFailure(created, async () => {
    const info = await statOrUndefined(target, option, file);
    await refuseKernelFileSystem(info === undefined ? folder : target, option, file);
    if (info !== undefined) {
      await checkExistingFile(target, info, option, file);
      return;
    }
    try {
      const handle = await open(target, 'wx');
      await handle.close();
    } catch (error) {
      throw new OptionError(`${option} '${file}': cannot create '${target}' (${failureReason(error)}).`);
    }
    await unlink(target);
  });
  return prepared(target, created);
}
