import { OptionError } from '@motiondelta/core';
import { execFileSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { prepareOutputFile, prepareOutputFolder } from '../src/output-location.js';
import { nodeAsUnprivilegedUser } from '../../../packages/video-io/test/unprivileged.js';

let dir: string;
let file: string;
let fifo: string;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'motiondelta-out-'));
  file = join(dir, 'a-file');
  writeFileSync(file, 'keep me');
  fifo = join(dir, 'a-fifo');
  execFileSync('mkfifo', [fifo]);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** The OptionError a check throws (fails the test if it does not throw one). */
async function refusal(check: Promise<unknown>): Promise<string> {
  const error = await check.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(OptionError.isInstance(error), `expected an OptionError, got ${String(error)}`).toBe(true);
  return (error as Error).message;
}

// Running as root bypasses file permissions, so a read-only folder can only be tested as a user.

describe('prepareOutputFolder: the report folder is created and written to before any work', () => {
  it('creates missing parents, leaves no probe file, and can take the folders back', async () => {
    const target = join(dir, 'new', 'nested', 'report');
    const out = await prepareOutputFolder(target, '--out', ['report.html']);
    expect(out.path).toBe(target);
    expect(readdirSync(target)).toEqual([]);
    await out.removeCreatedFolders();
    expect(existsSync(join(dir, 'new'))).toBe(false);
  });

  it('takes back nothing that already existed or was written since', async () => {
    const target = join(dir, 'kept');
    const out = await prepareOutputFolder(target, '--out');
    writeFileSync(join(target, 'report.html'), 'x');
    await out.removeCreatedFolders();
    expect(existsSync(join(target, 'report.html'))).toBe(true);
  });

  it.each([
    ['under a regular file', () => join(file, 'sub'), /'.*a-file' is a regular file, not a folder/],
    ['an existing regular file', () => file, /'.*a-file' is a regular file, not a folder/],
    ['a FIFO', () => fifo, /'.*a-fifo' is a FIFO \(named pipe\), not a folder/],
    ['a new folder under /proc', () => '/proc/motiondelta-report', /'\/proc' is on the kernel's proc file system; give a folder on a disk/],
    ['an existing /proc folder', () => '/proc/self', /'\/proc\/self' is on the kernel's proc file system/],
    ['an existing /sys folder', () => '/sys/kernel', /'\/sys\/kernel' is on the kernel's sysfs file system/],
  ])('refuses --out %s, naming the path and why', async (_case, path, message) => {
    const given = path();
    const text = await refusal(prepareOutputFolder(given, '--out', ['report.html']));
    expect(text).toContain(`--out '${given}'`);
    expect(text).toMatch(message);
  });

  it('refuses a folder whose report.html is a directory (writing it would fail after the run)', async () => {
    const target = join(dir, 'clash');
    mkdirSync(join(target, 'report.html'), { recursive: true });
    const text = await refusal(prepareOutputFolder(target, '--out', ['report.html', 'summary.json']));
    expect(text).toMatch(/report\.html' exists and is a directory; it must be a regular file, or not exist/);
  });

  it('refuses a read-only folder (permission denied), through the command as an unprivileged user', () => {
    // Root may write anywhere whatever the mode, so the command runs as someone it applies to.
    const shared = mkdtempSync(join(tmpdir(), 'motiondelta-perm-'));
    try {
      chmodSync(shared, 0o755);
      const target = join(shared, 'read-only');
      mkdirSync(target);
      chmodSync(target, 0o555);
      const cli = fileURLToPath(new URL('../dist/cli.js', import.meta.url));
      // The output folder is checked before the video or the model is looked at, so neither need exist.
      const run = (out: string) =>
        nodeAsUnprivilegedUser([cli, 'run', join(shared, 'clip.avi'), '--model', join(shared, 'm.onnx'), '--out', out]);
      const inside = run(join(target, 'report'));
      expect(inside.status).toBe(2);
      expect(inside.stderr).toMatch(/--out '.*read-only\/report': cannot create the folder .*\(permission denied\)/);
      const itself = run(target);
      expect(itself.status).toBe(2);
      expect(itself.stderr).toMatch(/--out '.*read-only': cannot write in the folder .*permission denied/);
    } finally {
      rmSync(shared, { recursive: true, force: true });
    }
  });
});

describe('prepareOutputFile: the profile file is opened for writing before any work', () => {
  it('creates the folder, then deletes the probe: no file is left before the real write', async () => {
    const out = await prepareOutputFile(join(dir, 'profiles', 'p.json'), '--out');
    expect(existsSync(out.path)).toBe(false);
    expect(existsSync(join(dir, 'profiles'))).toBe(true);
    await out.removeCreatedFolders();
    expect(existsSync(join(dir, 'profiles'))).toBe(false);
  });

  it('accepts an existing regular file without truncating it', async () => {
    await prepareOutputFile(file, '--out');
    expect(readFileSync(file, 'utf8')).toBe('keep me');
  });

  it.each([
    ['under a regular file', () => join(file, 'p.json'), /'.*a-file' is a regular file, not a folder/],
    ['a directory', () => dir, /exists and is a directory; it must be a regular file/],
    ['a FIFO (opening it would block)', () => fifo, /exists and is a FIFO \(named pipe\)/],
    ['a device', () => '/dev/null', /exists and is a character device/],
    ['a /proc file', () => '/proc/self/comm', /on the kernel's proc file system/],
    ['a new file in /proc', () => '/proc/self/motiondelta.json', /on the kernel's proc file system/],
  ])('refuses --out %s', async (_case, path, message) => {
    expect(await refusal(prepareOutputFile(path(), '--out'))).toMatch(message);
  });

  it('leaves no folder behind when a deeper level cannot be created', async () => {
    const text = await refusal(prepareOutputFile(join(dir, 'gone', 'x'.repeat(300), 'p.json'), '--out'));
    expect(text).toMatch(/name too long/);
    expect(existsSync(join(dir, 'gone'))).toBe(false);
  });
});
