import { DataError } from '@motiondelta/core';
import { execFile } from 'node:child_process';
import { chmod, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DataItem } from '../src/catalog.js';
import type { EnsureContext } from '../src/ensure-data.js';
import { defaultFetchers, ensureItem } from '../src/ensure-data.js';
import { sha256File } from '../src/sha256.js';

// Offline: a tiny .deb built here and fake `apt-get` / `apt-cache` scripts on PATH stand in for
// Debian's archive, so the update-once and fallback-version paths run without downloading 20+ MB.

const content = 'a tiny file inside a fake Debian package\n';
let root: string;
let aptLog: string;
let sha: string;
const originalPath = process.env['PATH'];

const fakeAptGet = `#!/bin/sh
echo "$*" >> "$MD_FAKE_LOG"
case "$1" in
  update) touch "$MD_FAKE_STATE/updated"; exit 0 ;;
  download)
    if [ "$2" = "md-fake=2.0" ]; then
      if [ -f "$MD_FAKE_STATE/updated" ]; then cp "$MD_FAKE_DEB" ./md-fake_2.0_all.deb; exit 0; fi
      echo "E: Unable to locate package md-fake" >&2; exit 100
    fi
    echo "E: Version '\${2#*=}' for 'md-fake' was not found" >&2; exit 100 ;;
esac
exit 1
`;
const fakeAptCache = `#!/bin/sh
if [ "$2" = "md-fake" ]; then printf 'md-fake:\\n  Installed: (none)\\n  Candidate: 2.0\\n'; fi
`;

function fakeItem(id: string, version: string, sha256: string): DataItem {
  return {
    id,
    kind: 'photo',
    description: 'test-only package',
    license: 'MIT',
    source: { type: 'debian', name: 'md-fake', version },
    files: [{ path: 'usr/share/md-fake/hello.txt', name: 'hello.txt', sha256 }],
    main: 'hello.txt',
  };
}

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'md-deb-test-'));
  const pkg = join(root, 'pkg');
  await mkdir(join(pkg, 'DEBIAN'), { recursive: true });
  await mkdir(join(pkg, 'usr/share/md-fake'), { recursive: true });
  await writeFile(
    join(pkg, 'DEBIAN/control'),
    'Package: md-fake\nVersion: 2.0\nArchitecture: all\nMaintainer: test <t@example.com>\nDescription: test\n',
  );
  await writeFile(join(pkg, 'usr/share/md-fake/hello.txt'), content);
  await promisify(execFile)('dpkg-deb', ['--build', '--root-owner-group', pkg, join(root, 'md-fake.deb')]);
  sha = await sha256File(join(pkg, 'usr/share/md-fake/hello.txt'));

  const bin = join(root, 'bin');
  await mkdir(bin);
  await writeFile(join(bin, 'apt-get'), fakeAptGet);
  await writeFile(join(bin, 'apt-cache'), fakeAptCache);
  await chmod(join(bin, 'apt-get'), 0o755);
  await chmod(join(bin, 'apt-cache'), 0o755);
  await mkdir(join(root, 'state'));
  aptLog = join(root, 'apt.log');
  process.env['MD_FAKE_LOG'] = aptLog;
  process.env['MD_FAKE_STATE'] = join(root, 'state');
  process.env['MD_FAKE_DEB'] = join(root, 'md-fake.deb');
  process.env['PATH'] = `${bin}:${originalPath ?? ''}`;
});

afterAll(async () => {
  process.env['PATH'] = originalPath;
  await rm(root, { recursive: true, force: true });
});

async function context(logs: string[]): Promise<EnsureContext> {
  return { cacheDir: await mkdtemp(join(root, 'cache-')), fetchers: defaultFetchers, log: (m) => logs.push(m) };
}

describe('Debian items', () => {
  it('runs apt-get update once when apt cannot locate the package, then extracts the file', async () => {
    const logs: string[] = [];
    const paths = await ensureItem(fakeItem('fake-pinned', '2.0', sha), await context(logs));
    expect(await readFile(paths.main, 'utf8')).toBe(content);
    expect((await readFile(aptLog, 'utf8')).trim().split('\n')).toEqual(['download md-fake=2.0', 'update', 'download md-fake=2.0']);
    expect(logs.join('\n')).toContain('apt-get update');
  });

  it('falls back to the candidate version when the pin is not served and the checksum matches', async () => {
    await writeFile(aptLog, '');
    const logs: string[] = [];
    const paths = await ensureItem(fakeItem('fake-fallback', '1.0', sha), await context(logs));
    expect(await readFile(paths.main, 'utf8')).toBe(content);
    // No second `apt-get update`: it runs at most once per process.
    expect((await readFile(aptLog, 'utf8')).trim().split('\n')).toEqual([
      'download md-fake=1.0',
      'download md-fake=1.0',
      'download md-fake=2.0',
    ]);
    expect(logs.join('\n')).toMatch(/md-fake=1\.0 is not served.*candidate 2\.0/);
  });

  it('rejects the fallback version when its checksum differs', async () => {
    const error = await ensureItem(fakeItem('fake-mismatch', '1.0', 'f'.repeat(64)), await context([])).catch((e: unknown) => e);
    expect(DataError.isInstance(error)).toBe(true);
    expect((error as DataError).message).toMatch(/'fake-mismatch'.*hello\.txt.*expected f{64}.*apt-get download md-fake=1\.0/s);
  });

  it('reports a package apt cannot find at all, with the command and its stderr', async () => {
    const missing: DataItem = { ...fakeItem('fake-absent', '3.0', sha), source: { type: 'debian', name: 'md-absent', version: '3.0' } };
    const error = await ensureItem(missing, await context([])).catch((e: unknown) => e);
    expect(DataError.isInstance(error)).toBe(true);
    expect((error as DataError).message).toMatch(/'fake-absent'.*apt-get download md-absent=3\.0.*was not found.*To get it by hand/s);
  });
});
