import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { MAX_FRAME_BYTES_ENV } from '@motiondelta/video-io';
import { EXIT_FAILURE, EXIT_OK, EXIT_USAGE, runCli } from '../src/cli-main.js';
import { bufferIo } from './buffer-io.js';
// The real-ffmpeg clip writer the video-io tests use (one definition of the fixture).
import { writeTinyClip } from '../../../packages/video-io/test/tiny-clip.js';

// The built binary, for the cases that need their own working folder.
const CLI = join(dirname(fileURLToPath(import.meta.url)), '..', 'dist', 'cli.js');

let dir: string;
let file: string;
let fifo: string;
let clip: string;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'motiondelta-hostile-'));
  file = join(dir, 'a-file');
  writeFileSync(file, 'not a folder');
  fifo = join(dir, 'a-fifo');
  execFileSync('mkfifo', [fifo]);
  clip = writeTinyClip(join(dir, 'clip.avi'), 32, 24, 3);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));
afterEach(() => {
  delete process.env[MAX_FRAME_BYTES_ENV];
});

async function cli(...argv: string[]) {
  const io = bufferIo();
  const code = await runCli(argv, io);
  return { code, out: io.out(), err: io.err() };
}

/** One specific message: no stack trace, not the catch-all for bugs. */
function expectPlainMessage(err: string): void {
  expect(err).not.toContain('unexpected error');
  expect(err).not.toMatch(/\n\s+at /);
}

// A tiny catalog model at a tiny size: these runs only need to get going, if at all.
const FAST = ['--model', 'esrgan-x2', '--size', '16x24', '--frames', '1'];

describe('path options are checked before the model loads or a frame is decoded', () => {
  it.each([
    ['under a regular file', () => join(file, 'report'), /'.*a-file' is a regular file, not a folder/],
    ['an existing regular file', () => file, /is a regular file, not a folder/],
    [
      "a new folder under /proc (Node's recursive mkdir never returns there)",
      () => '/proc/motiondelta-report',
      /'\/proc' is on the kernel's proc file system; give a folder on a disk/,
    ],
    ['an existing folder in /proc', () => '/proc/self', /kernel's proc file system/],
    ['a folder in /sys', () => '/sys/kernel', /kernel's sysfs file system/],
  ])('run --out %s: exit 2 naming the path, no frame run', async (_case, out, message) => {
    const { code, err } = await cli('run', 'vtest', ...FAST, '--out', out());
    expect(code).toBe(EXIT_USAGE);
    expect(err).toContain(`--out '${out()}'`);
    expect(err).toMatch(message);
    expect(err).not.toContain('frame 1/');
    expectPlainMessage(err);
  });

  it.each([
    ['under a regular file', () => join(file, 'p.json'), /is a regular file, not a folder/],
    ['a directory', () => dir, /exists and is a directory/],
    ['a FIFO (opening it for writing would block)', () => fifo, /exists and is a FIFO/],
    ['a file in /proc', () => '/proc/self/motiondelta.json', /kernel's proc file system/],
  ])('calibrate --out %s: exit 2 before calibrating', async (_case, out, message) => {
    const { code, out: stdout, err } = await cli('calibrate', 'vtest', ...FAST, '--psnr', '40', '--frames', '2', '--out', out());
    expect(code).toBe(EXIT_USAGE);
    expect(err).toMatch(message);
    expect(stdout).not.toContain('calibrating');
    expectPlainMessage(err);
  });

  it.each([
    ['a FIFO', () => fifo, /is a FIFO \(named pipe\), not a regular file/],
    ['/dev/zero (reading it never ends)', () => '/dev/zero', /is a character device, not a regular file/],
    ['a directory', () => dir, /is a directory, not a regular file/],
    ['missing', () => join(dir, 'none.json'), /cannot be read \(no such file or directory\)/],
  ])('run --profile %s: exit 2', async (_case, profile, message) => {
    const { code, err } = await cli('run', 'vtest', ...FAST, '--mode', 'delta', '--profile', profile(), '--out', join(dir, 'r'));
    expect(code).toBe(EXIT_USAGE);
    expect(err).toContain(`--profile '${profile()}'`);
    expect(err).toMatch(message);
    expectPlainMessage(err);
  });

  it.each([
    ['a FIFO', () => fifo, /is a FIFO/],
    ['/dev/zero', () => '/dev/zero', /is a character device/],
  ])('run --align %s: exit 2, saying what --align takes', async (_case, align, message) => {
    const { code, err } = await cli('run', 'vtest', ...FAST, '--mode', 'motion', '--align', align(), '--out', join(dir, 'r'));
    expect(code).toBe(EXIT_USAGE);
    expect(err).toMatch(message);
    expect(err).toContain("'estimate'");
    expectPlainMessage(err);
  });

  it('a run that fails leaves no empty report folder behind', async () => {
    const out = join(dir, 'never', 'report');
    const { code } = await cli('run', 'vtest', '--model', 'no-such-model', '--out', out);
    expect(code).toBe(EXIT_USAGE);
    expect(existsSync(join(dir, 'never'))).toBe(false);
  });
});

describe('sizes and frame ranges are refused before anything is allocated', () => {
  it.each([['99999x99999'], ['16385x16'], ['0x0'], ['-1x5'], ['1.5x2'], ['NaNxNaN'], ['16384x16384']])(
    'run --size %s: exit 2, naming --size and the accepted form',
    async (size) => {
      const { code, err } = await cli('run', 'vtest', '--model', 'esrgan-x2', '--size', size);
      expect(code).toBe(EXIT_USAGE);
      expect(err).toContain('--size');
      expect(err).toContain('HEIGHTxWIDTH');
    },
  );

  it(`--size over the frame byte limit says how to raise it (${MAX_FRAME_BYTES_ENV})`, async () => {
    process.env[MAX_FRAME_BYTES_ENV] = '1000';
    const { code, err } = await cli('run', 'vtest', '--model', 'esrgan-x2', '--size', '16x24');
    expect(code).toBe(EXIT_USAGE);
    expect(err).toContain('1.1 KiB, over the frame limit of 1000 B');
    expect(err).toContain(MAX_FRAME_BYTES_ENV);
  });

  it.each([
    [['--frames', '1e400']],
    [['--frames', '99999999999999999999']],
    [['--frames', '-5']],
    [['--frames', '2.5']],
    [['--start', '1e20']],
  ])('run %j: exit 2', async (args) => {
    const { code, err } = await cli('run', 'vtest', '--model', 'esrgan-x2', ...args);
    expect(code).toBe(EXIT_USAGE);
    expect(err).toMatch(/Expected an integer from [01] to 9007199254740991/);
  });

  it('calibrate refuses frames that would not fit in memory, before decoding them', async () => {
    const { code, out, err } = await cli(
      'calibrate',
      'vtest',
      '--model',
      'esrgan-x2',
      '--size',
      '576x768',
      '--frames',
      '700',
      '--psnr',
      '40',
      '--out',
      join(dir, 'p.json'),
    );
    expect(code).toBe(EXIT_FAILURE);
    expect(err).toMatch(/ResourceLimitError: 700 calibration frames at 576x768 would need 3\.\d GiB, over the limit of 2\.0 GiB/);
    expect(out).not.toContain('calibrating');
    expectPlainMessage(err);
  });

  it('a --size the sessions could not hold: ResourceLimitError naming the tensor, before any frame is decoded', async () => {
    // 8192x8192 RGB is 192 MiB, within the frame limit; esrgan-x2's buffers at that size are not.
    // No ffmpeg to decode with: had the command tried to decode a frame, it would say so instead.
    process.env['MOTIONDELTA_FFMPEG'] = join(dir, 'no-such-ffmpeg');
    const { code, err } = await cli(
      'run',
      'vtest',
      '--model',
      'esrgan-x2',
      '--size',
      '8192x8192',
      '--frames',
      '1',
      '--out',
      join(dir, 'r'),
    ).finally(() => {
      delete process.env['MOTIONDELTA_FFMPEG'];
    });
    expect(code).toBe(EXIT_FAILURE);
    expect(err).toMatch(/ResourceLimitError: .*\[1,8192,8192,3\] would need .* GiB, over the limit/);
    expectPlainMessage(err);
  });

  it("--memory-limit lowers the sessions' limit, checked before any frame is decoded", async () => {
    process.env['MOTIONDELTA_FFMPEG'] = join(dir, 'no-such-ffmpeg');
    const { code, err } = await cli(
      'run',
      'vtest',
      '--model',
      'esrgan-x2',
      '--size',
      '144x192',
      '--memory-limit',
      '1MiB',
      '--out',
      join(dir, 'r'),
    ).finally(() => {
      delete process.env['MOTIONDELTA_FFMPEG'];
    });
    expect(code).toBe(EXIT_FAILURE);
    expect(err).toMatch(/ResourceLimitError: .*\[1,144,192,3\] would need .* MiB, over the limit of 1\.0 MiB/);
    expectPlainMessage(err);
  });

  it.each(['0', '-5', '12 parsecs', 'GiB', '', 'NaN'])('--memory-limit %j: exit 2 naming the option', async (value) => {
    const { code, err } = await cli('run', 'vtest', '--model', 'esrgan-x2', '--memory-limit', value, '--out', join(dir, 'r'));
    expect(code).toBe(EXIT_USAGE);
    expect(err).toMatch(/--memory-limit <size>.*Expected a size in bytes/);
  });

  it.each([
    ['16000x16000 (732 MiB a frame)', 16000, 16000, /ResourceLimitError: .*16000x16000.*MOTIONDELTA_MAX_FRAME_BYTES/],
    ['a side over 16384', 16385, 16, /VideoError: .*claims 16385x16 frames/],
  ])('a video whose header claims %s: exit 1 before decoding', async (_case, width, height, message) => {
    const video = join(dir, `claims-${width}x${height}.y4m`);
    writeFileSync(video, `YUV4MPEG2 W${width} H${height} F25:1 Ip A1:1 C420jpeg\nFRAME\n${'x'.repeat(64)}`);
    const { code, err } = await cli('run', video, ...FAST, '--out', join(dir, 'r'));
    expect(code).toBe(EXIT_FAILURE);
    expect(err).toMatch(message);
    expectPlainMessage(err);
  });
});

describe('predictable failures get a specific message and exit code, never "unexpected error"', () => {
  const folder = () => {
    const path = join(dir, 'a-folder');
    mkdirSync(path, { recursive: true });
    return path;
  };
  const empty = () => {
    const path = join(dir, 'empty.bin');
    writeFileSync(path, '');
    return path;
  };
  const text = () => {
    const path = join(dir, 'text.bin');
    writeFileSync(path, 'this is a text file, not a video or a model\n'.repeat(20));
    return path;
  };

  it.each([
    ['a directory', folder, EXIT_FAILURE, /is a directory, not a video file/],
    ['an empty file', empty, EXIT_FAILURE, /is empty \(0 bytes\)/],
    ['a text file', text, EXIT_FAILURE, /ffprobe cannot read .* as a video/],
    ['a FIFO (ffmpeg would wait for a writer forever)', () => fifo, EXIT_FAILURE, /is a FIFO \(named pipe\), not a video file/],
    // URLs are read (ffmpeg, with a protocol whitelist); nothing listens on port 9 here.
    [
      'a URL nothing answers',
      () => 'http://127.0.0.1:9/clip.mp4',
      EXIT_FAILURE,
      /ffprobe cannot read 'http:\/\/127\.0\.0\.1:9\/clip\.mp4' as a video/,
    ],
    [
      'a file: URL',
      () => 'file:///etc/passwd',
      EXIT_USAGE,
      /URL scheme 'file:' is not accepted as a video source; accepted: http\(s\):\/\//,
    ],
    ['a camera that is not there', () => '/dev/video987', EXIT_FAILURE, /no V4L2 capture device at '\/dev\/video987'/],
  ])('the video is %s', async (_case, video, exit, message) => {
    const { code, err } = await cli('run', video(), ...FAST, '--out', join(dir, 'r'));
    expect(code).toBe(exit);
    expect(err).toMatch(message);
    expectPlainMessage(err);
  });

  it.each([
    ['a directory', folder, EXIT_USAGE, /is a directory: give the \.onnx file or the TF\.js model\.json inside it/],
    ['an empty file', empty, EXIT_FAILURE, /ModelFormatError: .*empty/],
    ['a text file', text, EXIT_FAILURE, /ModelFormatError: /],
    ['a FIFO', () => fifo, EXIT_FAILURE, /ModelFormatError: .*FIFO/],
    ['/dev/zero', () => '/dev/zero', EXIT_FAILURE, /ModelFormatError: .*character device/],
  ])('the model is %s', async (_case, model, exit, message) => {
    const { code, err } = await cli('run', clip, '--model', model(), '--frames', '1', '--out', join(dir, 'r'));
    expect(code).toBe(exit);
    expect(err).toMatch(message);
    expectPlainMessage(err);
  });

  it('a TF.js model whose weights lie outside its folder', async () => {
    const modelDir = join(dir, 'tfjs');
    mkdirSync(modelDir, { recursive: true });
    writeFileSync(join(dir, 'outside.bin'), new Uint8Array(16));
    writeFileSync(
      join(modelDir, 'model.json'),
      JSON.stringify({
        format: 'graph-model',
        modelTopology: { node: [] },
        weightsManifest: [{ paths: ['../outside.bin'], weights: [{ name: 'w', shape: [4], dtype: 'float32' }] }],
      }),
    );
    const { code, err } = await cli('run', clip, '--model', join(modelDir, 'model.json'), '--frames', '1', '--out', join(dir, 'r'));
    expect(code).toBe(EXIT_FAILURE);
    expect(err).toMatch(/ModelFormatError: .*outside\.bin/);
    expectPlainMessage(err);
  });
});

describe('the built binary takes hostile video names as plain files', () => {
  it.each(['-report', 'pipe:0', 'concat:clip.avi|clip.avi', 'a b;$(touch pwned)|`touch pwned2`&x.avi', 'new\nline.avi'])(
    'runs on the file named %j (given after --, from its folder) and writes the report',
    (name) => {
      const work = mkdtempSync(join(dir, 'names-'));
      writeTinyClip(join(work, name), 32, 24, 2);
      const result = spawnSync(process.execPath, [CLI, 'run', ...FAST, '--out', 'out', '--json', '--', name], {
        cwd: work,
        encoding: 'utf8',
        timeout: 120_000,
      });
      expect(result.stderr).not.toContain('unexpected error');
      expect(result.status).toBe(EXIT_OK);
      expect(JSON.parse(result.stdout)).toMatchObject({ frames: 1, video: name });
      expect(existsSync(join(work, 'out', 'report.html'))).toBe(true);
      // Nothing ran the name through a shell, and ffmpeg wrote no -report log.
      expect(readdirSync(work).filter((f) => f.startsWith('pwned') || f.endsWith('.log'))).toEqual([]);
    },
  );
});
