import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, truncate, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRng } from '@motiondelta/core';
import { loadModel } from '../../src/node.js';
import { expectTyped, tempFolder, tinyOnnx } from './helpers/tiny-models.js';

/** Seeded random bytes. */
function randomBytes(seed: number, length: number): Uint8Array {
  const rng = createRng(seed);
  const out = new Uint8Array(length);
  for (let i = 0; i < length; i++) out[i] = Math.floor(rng.next() * 256);
  return out;
}

const posix = process.platform !== 'win32';

describe('loadModel on files that are not model files', () => {
  let dir: string;
  let cleanup: () => Promise<void>;
  beforeAll(async () => {
    ({ dir, cleanup } = await tempFolder('model-file'));
  });
  afterAll(() => cleanup());

  // /dev/zero never ends: reading it "whole" grew the process until the machine ran out of memory.
  it.skipIf(!existsSync('/dev/zero'))('refuses /dev/zero as not a regular file, before reading it', async () => {
    await expectTyped(loadModel('/dev/zero'), 'ModelFormatError', '/dev/zero', 'character device', 'regular files');
  });

  // Opening a FIFO for reading waits for a writer; without O_NONBLOCK this would hang forever.
  it.skipIf(!posix)('refuses a FIFO without waiting for a writer (mkfifo needs a POSIX system)', async () => {
    const fifo = join(dir, 'pipe.onnx');
    execFileSync('mkfifo', [fifo]);
    await expectTyped(loadModel(fifo), 'ModelFormatError', 'FIFO');
  });

  it('refuses a directory', async () => {
    const folder = join(dir, 'folder.onnx');
    await mkdir(folder);
    await expectTyped(loadModel(folder), 'ModelFormatError', 'directory');
  });

  it('refuses a missing file, naming it', async () => {
    await expectTyped(loadModel(join(dir, 'missing.onnx')), 'ModelFormatError', 'missing.onnx');
  });

  it('refuses an empty file', async () => {
    const path = join(dir, 'empty.onnx');
    await writeFile(path, new Uint8Array(0));
    await expectTyped(loadModel(path), 'ModelFormatError', 'empty');
  });

  it('refuses a file over the 2 GiB default with a ResourceLimitError naming it, without reading it (a sparse 3 GiB file)', async () => {
    const path = join(dir, 'huge.onnx');
    await writeFile(path, tinyOnnx());
    await truncate(path, 3 * 2 ** 30);
    const error = await expectTyped(loadModel(path), 'ResourceLimitError', 'huge.onnx', 'maxModelBytes');
    expect(error).toMatchObject({ bytes: 3 * 2 ** 30, limit: 2 * 2 ** 30 });
  });

  it('applies a lower maxModelBytes to files too', async () => {
    const path = join(dir, 'tiny.onnx');
    await writeFile(path, tinyOnnx());
    await expect(loadModel(path)).resolves.toBeDefined();
    await expectTyped(loadModel(path, { maxModelBytes: 100 }), 'ResourceLimitError', 'tiny.onnx');
  });
});

// A 200 MB file of garbage used to take 53 s and 4 GB to reject: everything that was not JSON went
// to the protobuf decoder, which kept every unknown field. Now the first bytes decide.
describe('loadModel on garbage bytes', () => {
  let dir: string;
  let cleanup: () => Promise<void>;
  beforeAll(async () => {
    ({ dir, cleanup } = await tempFolder('garbage'));
  });
  afterAll(() => cleanup());

  it.each([1, 2, 3])('refuses 4 MB of random bytes (seed %i) as neither JSON nor ONNX, from a file and as bytes', async (seed) => {
    const bytes = randomBytes(seed, 4 * 2 ** 20);
    // A random first byte can happen to be a valid ModelProto tag; then the schema walk refuses it.
    const path = join(dir, `random-${seed}.bin`);
    await writeFile(path, bytes);
    await expectTyped(loadModel(path), 'ModelFormatError', path);
    await expectTyped(loadModel(bytes), 'ModelFormatError', '<bytes>');
  });

  it('refuses 4 MB of text as neither JSON nor ONNX, showing its first bytes', async () => {
    const text = new TextEncoder().encode('a'.repeat(4 * 2 ** 20));
    await expectTyped(loadModel(text), 'ModelFormatError', 'neither a TF.js model.json', '61 61 61');
  });

  it('refuses garbage behind a valid first field (ir_version), naming the byte offset', async () => {
    const bytes = randomBytes(7, 4 * 2 ** 20);
    bytes.set([0x08, 0x08], 0); // ir_version = 8
    const path = join(dir, 'header-then-garbage.onnx');
    await writeFile(path, bytes);
    await expectTyped(loadModel(path), 'ModelFormatError', 'not a readable ONNX model', 'at byte');
  });

  it('refuses a text file that starts like JSON but does not parse', async () => {
    await expectTyped(loadModel(new TextEncoder().encode('{"format": "graph-model", ')), 'ModelFormatError', 'does not parse');
  });
});
