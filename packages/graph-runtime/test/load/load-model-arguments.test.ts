import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadModel } from '../../src/node.js';
import { expectTyped, jsonBytes, tempFolder, tinyOnnx, tinyTfjs } from './helpers/tiny-models.js';

// loadModel's first argument comes from callers' code and config: anything that is not a path or
// bytes must fail with a typed error saying what is accepted, never a TypeError from deep inside.
describe('loadModel with a source that is neither a path nor bytes', () => {
  it.each([
    ['null', null],
    ['undefined', undefined],
    ['a number', 42],
    ['a boolean', true],
    ['an empty object', {}],
    ['an array', [1, 2, 3]],
    ['a function', () => 'model.onnx'],
  ])('refuses %s with an OptionError naming what is accepted', async (_, source) => {
    await expectTyped(loadModel(source as never), 'OptionError', 'file path', 'Uint8Array', 'ArrayBuffer');
  });

  it('refuses an empty path and a path with a NUL byte', async () => {
    await expectTyped(loadModel(''), 'OptionError', 'empty');
    await expectTyped(loadModel('model\0.onnx'), 'OptionError', 'NUL');
  });

  it('refuses a URL that is not http:, https: or file:, saying to pass the bytes', async () => {
    await expectTyped(loadModel(new URL('data:application/octet-stream,abc')), 'OptionError', 'data:', 'file:', 'https:');
  });
});

describe('loadModel with bad options', () => {
  it.each([
    ['zero', 0],
    ['negative', -1],
    ['fractional', 1.5],
    ['a string', '2GB'],
    ['NaN', Number.NaN],
  ])('refuses maxModelBytes %s', async (_, maxModelBytes) => {
    await expectTyped(loadModel(tinyOnnx(), { maxModelBytes: maxModelBytes as never }), 'OptionError', 'maxModelBytes');
  });

  it('refuses options that are not an object, and a readWeightFile that is not a function', async () => {
    await expectTyped(loadModel(tinyOnnx(), null as never), 'OptionError', 'options');
    await expectTyped(loadModel(tinyOnnx(), { readWeightFile: 'shards/' as never }), 'OptionError', 'readWeightFile');
    await expectTyped(loadModel(tinyOnnx(), { simplify: 'no' as never }), 'OptionError', 'simplify');
  });
});

describe('loadModel with each accepted source', () => {
  let dir: string;
  let cleanup: () => Promise<void>;
  let onnxPath: string;
  beforeAll(async () => {
    ({ dir, cleanup } = await tempFolder('sources'));
    onnxPath = join(dir, 'tiny.onnx');
    await writeFile(onnxPath, tinyOnnx());
  });
  afterAll(() => cleanup());

  const bytes = tinyOnnx();
  it.each([
    ['a path string', () => onnxPath],
    ['a file: URL', () => pathToFileURL(onnxPath)],
    ['a Uint8Array', () => bytes],
    ['a Buffer', () => Buffer.from(bytes)],
    ['an ArrayBuffer', () => bytes.slice().buffer],
    ['a DataView', () => new DataView(bytes.slice().buffer)],
    [
      'a Uint8Array inside a larger buffer',
      () => {
        const big = new Uint8Array(bytes.length + 7);
        big.set(bytes, 3);
        return big.subarray(3, 3 + bytes.length);
      },
    ],
  ])('loads the same model from %s', async (_, source) => {
    const model = await loadModel(source() as never);
    expect(model.inputs).toEqual([{ name: 'x', shape: [1, 5, 5, 2], dtype: 'float32', transposedFrom: 'nchw' }]);
    expect(model.outputs.map((o) => o.name)).toEqual(['y']);
  });

  it('refuses empty bytes, and an ArrayBuffer that was transferred away', async () => {
    await expectTyped(loadModel(new Uint8Array(0)), 'ModelFormatError', 'empty');
    const buffer = tinyOnnx().buffer as ArrayBuffer;
    structuredClone(buffer, { transfer: [buffer] });
    await expectTyped(loadModel(buffer), 'OptionError', 'transferred');
  });

  it('refuses bytes over maxModelBytes with a ResourceLimitError before decoding', async () => {
    const error = await expectTyped(loadModel(tinyOnnx(), { maxModelBytes: 64 }), 'ResourceLimitError', 'maxModelBytes');
    expect(error).toMatchObject({ limit: 64, bytes: tinyOnnx().length });
  });

  it('a TF.js model given as bytes without readWeightFile says to pass it', async () => {
    const { json } = tinyTfjs();
    await expectTyped(loadModel(jsonBytes(json)), 'ModelFormatError', 'readWeightFile');
  });

  it('a readWeightFile returning something other than bytes is an OptionError naming the shard', async () => {
    const { json } = tinyTfjs();
    await expectTyped(
      loadModel(jsonBytes(json), { readWeightFile: async () => 'not bytes' as never }),
      'OptionError',
      'group1-shard1of2.bin',
      'Uint8Array',
    );
  });
});
