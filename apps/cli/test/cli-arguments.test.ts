import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { MODEL_IDS, ensureData } from '@motiondelta/data';
import { resolveModel } from '../src/resolve-model.js';
import { describe, expect, it } from 'vitest';
import { EXIT_USAGE, runCli } from '../src/cli-main.js';
import { bufferIo } from './buffer-io.js';
import { parseByteSize } from '../src/parse-values.js';

async function cli(...argv: string[]) {
  const io = bufferIo();
  const code = await runCli(argv, io);
  return { code, out: io.out(), err: io.err() };
}

describe('motiondelta run: argument validation (exit 2, one message, no stack trace)', () => {
  it('an unknown model id lists the known ids', async () => {
    const { code, err } = await cli('run', 'vtest', '--model', 'resnet-9000', '--frames', '1');
    expect(code).toBe(EXIT_USAGE);
    expect(err).toContain("Unknown model 'resnet-9000'");
    for (const id of MODEL_IDS) expect(err).toContain(id);
    expect(err).not.toMatch(/\n\s+at /);
  });

  it.each([['abc'], ['-0.1'], ['Infinity'], ['']])('rejects --threshold %j and says what is accepted', async (value) => {
    const { code, err } = await cli('run', 'vtest', '--model', 'selfie', '--threshold', value);
    expect(code).toBe(EXIT_USAGE);
    expect(err).toContain('--threshold');
    expect(err).toContain('finite number >= 0');
  });

  it.each([['256'], ['0x10'], ['12x-4'], ['axb']])('rejects --size %j and shows the HxW form', async (value) => {
    const { code, err } = await cli('run', 'vtest', '--model', 'selfie', '--size', value);
    expect(code).toBe(EXIT_USAGE);
    expect(err).toContain('--size');
    expect(err).toContain('HEIGHTxWIDTH');
  });

  it("rejects a size that is not a multiple of the model's and suggests one", async () => {
    const { code, err } = await cli('run', 'vtest', '--model', 'ppocr-det', '--size', '100x70', '--frames', '1');
    expect(code).toBe(EXIT_USAGE);
    expect(err).toContain('multiples of 32');
    expect(err).toContain('96x64');
  });

  it('rejects an unknown mode, listing the choices', async () => {
    const { code, err } = await cli('run', 'vtest', '--model', 'selfie', '--mode', 'turbo');
    expect(code).toBe(EXIT_USAGE);
    expect(err).toContain('dense, delta');
  });

  it('rejects --frames 0, --start -1 and an empty backend in the list', async () => {
    expect((await cli('run', 'vtest', '--model', 'selfie', '--frames', '0')).code).toBe(EXIT_USAGE);
    expect((await cli('run', 'vtest', '--model', 'selfie', '--start', '-1')).code).toBe(EXIT_USAGE);
    const { code, err } = await cli('run', 'vtest', '--model', 'selfie', '--backend', 'cpu-native,,reference');
    expect(code).toBe(EXIT_USAGE);
    expect(err).toContain('comma');
  });

  it('refuses --scale with a catalog model (it maps its own inputs)', async () => {
    const { code, err } = await cli('run', 'vtest', '--model', 'selfie', '--scale', '2');
    expect(code).toBe(EXIT_USAGE);
    expect(err).toContain('apply only when --model is a file path');
  });

  it('names the catalog clips when the video does not exist', async () => {
    const { code, err } = await cli('run', 'no-such-video.mp4', '--model', 'selfie');
    expect(code).toBe(EXIT_USAGE);
    expect(err).toContain("Video 'no-such-video.mp4' not found");
    expect(err).toContain('vtest, cube');
  });

  it('a start past the end of the clip says how many frames it has', async () => {
    const { code, err } = await cli('run', 'vtest', '--model', 'selfie', '--start', '5000');
    expect(code).toBe(EXIT_USAGE);
    expect(err).toContain('795 frames');
  });

  it('a missing --model is a usage error', async () => {
    const { code, err } = await cli('run', 'vtest');
    expect(code).toBe(EXIT_USAGE);
    expect(err).toContain('--model');
  });

  it('--help exits 0 and defines PSNR and the JSON exact flag', async () => {
    const { code, out } = await cli('run', '--help');
    expect(code).toBe(0);
    expect(out).toContain('peak = max - min of the dense output');
    expect(out).toContain('psnr is');
    expect(out).toContain('exact is true');
  });
});

describe('parseByteSize (--memory-limit)', () => {
  it.each([
    ['1073741824', 2 ** 30],
    ['512MiB', 512 * 2 ** 20],
    ['8GiB', 8 * 2 ** 30],
    ['8g', 8 * 2 ** 30],
    ['1.5 GiB', 1.5 * 2 ** 30],
    ['none', Number.POSITIVE_INFINITY],
  ])('%j is %d bytes', (text, bytes) => {
    expect(parseByteSize(text)).toBe(bytes);
  });
});

describe('motiondelta --version', () => {
  it("prints the package's version and exits 0", async () => {
    const { version } = JSON.parse(readFileSync(join(import.meta.dirname, '..', 'package.json'), 'utf8')) as { version: string };
    for (const flag of ['--version', '-V']) {
      const { code, out } = await cli(flag);
      expect(code).toBe(0);
      expect(out.trim()).toBe(version);
    }
  });
});

describe('--mean, --std and --bgr (models given by path)', () => {
  it.each([
    ['--mean', '1,2', 'three finite numbers'],
    ['--mean', '1,2,x', 'three finite numbers'],
    ['--std', '1,0,1', 'standard deviation of 0'],
  ])('rejects %s %j and says what is accepted', async (flag, value, message) => {
    const { code, err } = await cli('run', 'vtest', '--model', 'model.onnx', flag, value);
    expect(code).toBe(EXIT_USAGE);
    expect(err).toContain(flag);
    expect(err).toContain(message);
  });

  it('refuses them for a catalog model, which maps its inputs itself', async () => {
    const { code, err } = await cli('run', 'vtest', '--model', 'selfie', '--bgr', '--frames', '1');
    expect(code).toBe(EXIT_USAGE);
    expect(err).toContain('apply only when --model is a file path');
  });

  it('become the input mapping of a model given by path', async () => {
    const path = (await ensureData('esrgan-x2')).main;
    const resolved = await resolveModel(path, { scale: 1 / 255, mean: [0.5, 0.4, 0.3], std: [0.2, 0.2, 0.1], bgr: true });
    expect(resolved.mapping).toEqual({ scale: 1 / 255, offset: 0, mean: [0.5, 0.4, 0.3], std: [0.2, 0.2, 0.1], channelOrder: 'bgr' });
  });
});
