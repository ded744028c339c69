import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, symlink, truncate, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadModel } from '../../src/node.js';
import { expectTyped, jsonBytes, tempFolder, tinyTfjs, writeTfjs } from './helpers/tiny-models.js';

const posix = process.platform !== 'win32';

/** The tiny TF.js model with its manifest's first shard path replaced. */
function withFirstPath(path: string): ReturnType<typeof tinyTfjs> {
  const model = tinyTfjs();
  (model.json['weightsManifest'] as { paths: string[] }[])[0]!.paths[0] = path;
  return model;
}

// A model.json is untrusted: its shard paths used to be joined to the model folder unchecked, so
// `../../somewhere/file` read any readable file into the model's weights (and so its outputs).
describe('TF.js weight shard paths', () => {
  let dir: string;
  let modelDir: string;
  let cleanup: () => Promise<void>;
  beforeEach(async () => {
    ({ dir, cleanup } = await tempFolder('shards'));
    modelDir = join(dir, 'model');
    await mkdir(modelDir);
    // What an escaping path would reach: 128 bytes that decode as valid floats.
    await writeFile(join(dir, 'secret.bin'), new Uint8Array(new Float32Array(32).fill(7).buffer));
  });
  afterEach(() => cleanup());

  it('loads the well-formed model from its folder (the baseline the hostile cases change)', async () => {
    const { json, files } = tinyTfjs();
    const model = await loadModel(await writeTfjs(modelDir, json, files));
    expect(model.inputs.map((i) => i.name)).toEqual(['x']);
  });

  it.each([
    ['a ../ escape', '../secret.bin', "'..' segment"],
    ['a deeper ../ escape', 'sub/../../secret.bin', "'..' segment"],
    ['a backslash ..\\ escape', '..\\secret.bin', "'..' segment"],
    ['a percent-encoded %2e%2e escape', '%2e%2e/secret.bin', "'..' segment"],
    ['an absolute path', '/etc/passwd', 'absolute'],
    ['a Windows absolute path', '\\\\server\\share\\w.bin', 'absolute'],
    ['a drive letter', 'C:\\weights.bin', 'URL scheme or drive letter'],
    ['a file: URL', 'file:///etc/passwd', 'URL scheme'],
    ['an http URL', 'https://example.com/w.bin', 'URL scheme'],
    ['an empty name', '', 'empty'],
    ['a NUL byte', 'group1\0.bin', 'NUL'],
  ])('refuses %s with a ModelFormatError naming the path and what is accepted', async (_, path, why) => {
    const { json, files } = withFirstPath(path);
    files.delete(path);
    files.set('group1-shard1of2.bin', new Uint8Array(128));
    const modelPath = await writeTfjs(modelDir, json, new Map([...files].filter(([name]) => !/[\0\\:]|^$/.test(name))));
    const error = await expectTyped(
      loadModel(modelPath),
      'ModelFormatError',
      JSON.stringify(path),
      why,
      'relative file names inside the model',
    );
    expect(error.message).toContain('weightsManifest[0].paths[0]');
  });

  it('checks paths before calling readWeightFile, which never sees a refused path', async () => {
    const { json, files } = withFirstPath('../secret.bin');
    const asked: string[] = [];
    const readWeightFile = async (p: string) => {
      asked.push(p);
      return files.get(p) ?? new Uint8Array(128);
    };
    await expectTyped(loadModel(jsonBytes(json), { readWeightFile }), 'ModelFormatError', '../secret.bin');
    expect(asked).toEqual([]);
  });

  it.skipIf(!posix)('refuses a shard that is a symbolic link leading out of the folder', async () => {
    const { json, files } = tinyTfjs();
    files.delete('group1-shard1of2.bin');
    const modelPath = await writeTfjs(modelDir, json, files);
    await symlink(join(dir, 'secret.bin'), join(modelDir, 'group1-shard1of2.bin'));
    await expectTyped(
      loadModel(modelPath),
      'ModelFormatError',
      'group1-shard1of2.bin',
      'outside the model',
      'symbolic link',
      'readWeightFile',
    );
  });

  it.skipIf(!posix)('refuses a shard inside a linked subfolder that leads out of the folder', async () => {
    const { json, files } = withFirstPath('linked/secret.bin');
    files.delete('linked/secret.bin');
    const modelPath = await writeTfjs(modelDir, json, files);
    await symlink(dir, join(modelDir, 'linked'));
    await expectTyped(loadModel(modelPath), 'ModelFormatError', 'outside the model');
  });

  it.skipIf(!posix)('follows a link that stays inside the folder', async () => {
    const { json, files } = withFirstPath('alias.bin');
    const bytes = files.get('group1-shard1of2.bin')!;
    files.delete('group1-shard1of2.bin');
    files.set('real-shard.bin', bytes);
    const modelPath = await writeTfjs(modelDir, json, files);
    await symlink('real-shard.bin', join(modelDir, 'alias.bin'));
    await expect(loadModel(modelPath)).resolves.toBeDefined();
  });

  it.skipIf(!posix)('loads a model whose folder is reached through a link (the folder is compared by its real path)', async () => {
    const { json, files } = tinyTfjs();
    await writeTfjs(modelDir, json, files);
    await symlink(modelDir, join(dir, 'alias-folder'));
    await expect(loadModel(join(dir, 'alias-folder', 'model.json'))).resolves.toBeDefined();
  });

  // /dev/zero used to be read whole: the process grew until the machine ran out of memory.
  it.skipIf(!existsSync('/dev/zero'))('refuses /dev/zero named through a link in the folder', async () => {
    const { json, files } = tinyTfjs();
    files.delete('group1-shard1of2.bin');
    const modelPath = await writeTfjs(modelDir, json, files);
    await symlink('/dev/zero', join(modelDir, 'group1-shard1of2.bin'));
    await expectTyped(loadModel(modelPath), 'ModelFormatError', 'group1-shard1of2.bin', '/dev/zero');
  });

  it.skipIf(!posix)('refuses a FIFO shard inside the folder without waiting on it', async () => {
    const { json, files } = tinyTfjs();
    files.delete('group1-shard1of2.bin');
    const modelPath = await writeTfjs(modelDir, json, files);
    execFileSync('mkfifo', [join(modelDir, 'group1-shard1of2.bin')]);
    await expectTyped(loadModel(modelPath), 'ModelFormatError', 'group1-shard1of2.bin', 'FIFO', 'regular files');
  });

  it('refuses a directory where a shard should be', async () => {
    const { json, files } = tinyTfjs();
    files.delete('group1-shard1of2.bin');
    const modelPath = await writeTfjs(modelDir, json, files);
    await mkdir(join(modelDir, 'group1-shard1of2.bin'));
    await expectTyped(loadModel(modelPath), 'ModelFormatError', 'directory');
  });

  it('refuses a shard larger than the manifest needs, without reading it (a sparse 16 GiB file)', async () => {
    const { json, files } = tinyTfjs();
    const modelPath = await writeTfjs(modelDir, json, files);
    await truncate(join(modelDir, 'group1-shard2of2.bin'), 16 * 2 ** 30);
    await expectTyped(loadModel(modelPath), 'ModelFormatError', 'need 256 bytes', 'hold more than the manifest describes');
  });

  it('refuses a shard a few bytes longer than the manifest needs', async () => {
    const { json, files } = tinyTfjs();
    files.set('group1-shard2of2.bin', new Uint8Array(132));
    await expectTyped(loadModel(await writeTfjs(modelDir, json, files)), 'ModelFormatError', '128 + 132');
  });

  it('refuses a truncated shard, naming it, before reading any shard', async () => {
    const { json, files } = tinyTfjs();
    files.set('group1-shard1of2.bin', new Uint8Array(100));
    await expectTyped(loadModel(await writeTfjs(modelDir, json, files)), 'ModelFormatError', "shard 'group1-shard1of2.bin' is truncated");
  });

  it('refuses extra bytes returned by readWeightFile too', async () => {
    const { json, files } = tinyTfjs();
    const readWeightFile = async (p: string) => (p === 'group1-shard2of2.bin' ? new Uint8Array(4096) : files.get(p)!);
    await expectTyped(loadModel(jsonBytes(json), { readWeightFile }), 'ModelFormatError', 'hold more than the manifest describes');
  });
});

// Declared shapes decide allocations: a weight declaring 10^12 values must cost nothing.
describe('TF.js weights declaring more than the limits', () => {
  function declaring(
    shape: number[],
    extra: Record<string, unknown> = {},
  ): { json: Record<string, unknown>; read: (p: string) => Promise<Uint8Array>; asked: string[] } {
    const { json, files } = tinyTfjs();
    const manifest = json['weightsManifest'] as { weights: Record<string, unknown>[] }[];
    manifest[0]!.weights[0] = { name: 'w', shape, dtype: 'float32', ...extra };
    const asked: string[] = [];
    return { json, asked, read: async (p) => (asked.push(p), files.get(p)!) };
  }

  it('refuses a weight of 10^12 elements with a ResourceLimitError naming it, before reading a shard', async () => {
    const { json, read, asked } = declaring([1000000, 1000000]);
    const error = await expectTyped(loadModel(jsonBytes(json), { readWeightFile: read }), 'ResourceLimitError', 'maxModelBytes');
    expect(error).toMatchObject({ bytes: 4e12 });
    expect(asked).toEqual([]);
  });

  it('refuses a shape whose product overflows', async () => {
    const { json, read, asked } = declaring([2 ** 40, 2 ** 40]);
    await expectTyped(loadModel(jsonBytes(json), { readWeightFile: read }), 'ModelFormatError', "'w'", '2^53');
    expect(asked).toEqual([]);
  });

  it('refuses negative and fractional dimensions', async () => {
    for (const shape of [
      [-4, 16],
      [4.5, 16],
    ]) {
      const { json, read } = declaring(shape);
      await expectTyped(loadModel(jsonBytes(json), { readWeightFile: read }), 'ModelFormatError', 'non-negative integers');
    }
  });

  it('counts uint8-quantized weights at their decoded size against twice maxModelBytes', async () => {
    // 4096 uint8 bytes in the shards decode to 16 KiB of float32: over 2 x 6000 bytes.
    const { json } = declaring([4096], { quantization: { dtype: 'uint8', min: 0, scale: 1 } });
    (json['weightsManifest'] as { paths: string[] }[])[0]!.paths = ['q.bin'];
    const readWeightFile = async () => new Uint8Array(4096);
    const error = await expectTyped(
      loadModel(jsonBytes(json), { readWeightFile, maxModelBytes: 6000 }),
      'ResourceLimitError',
      "weight 'w'",
    );
    expect(error).toMatchObject({ bytes: 16384, limit: 12000 });
  });

  it('refuses a weight listed twice in the manifest', async () => {
    const { json, read } = declaring([4, 4, 4]);
    const group = (json['weightsManifest'] as { weights: unknown[] }[])[0]!;
    group.weights.push(group.weights[0]);
    await expectTyped(loadModel(jsonBytes(json), { readWeightFile: read }), 'ModelFormatError', "'w' is listed twice");
  });
});

describe('TF.js graph structure', () => {
  it('refuses two nodes with one name, naming both', async () => {
    const { json, files } = tinyTfjs();
    const nodes = (json['modelTopology'] as { node: Record<string, unknown>[] }).node;
    nodes.push({ name: 'y', op: 'Relu', input: ['x'] });
    await expectTyped(
      loadModel(jsonBytes(json), { readWeightFile: async (p) => files.get(p)! }),
      'ModelFormatError',
      'node[2] and node[3]',
      "'y'",
    );
  });
});
