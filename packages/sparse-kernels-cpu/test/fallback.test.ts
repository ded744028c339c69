import { describe, expect, it } from 'vitest';
import { BackendUnavailableError, OptionError, createRng, randomFloat32 } from '@motiondelta/core';
import type { Tensor } from '@motiondelta/core';
import { Model, ReferenceBackend, makeNode, registerBackend } from '@motiondelta/graph-runtime';
import type { Graph } from '@motiondelta/graph-runtime';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createCpuNativeBackend } from '../src/create-cpu-native-backend.js';
import { resolveAddonPath } from '../src/load-addon.js';

/** A missing addon must surface as "not built", and sessions must fall back to the reference backend. */

function tinyGraph(): Graph {
  const rng = createRng(3);
  const t = (shape: number[]): Tensor => ({
    data: randomFloat32(
      rng,
      shape.reduce((a, b) => a * b, 1),
    ),
    shape,
  });
  return {
    source: { format: 'onnx', location: '<test>' },
    inputs: [{ name: 'x', shape: [1, null, null, 3], dtype: 'float32' }],
    outputs: [{ name: 'y', shape: [1, null, null, 4], dtype: 'float32' }],
    nodes: [
      makeNode(
        'conv',
        'Conv2D',
        {
          kernel: [3, 3],
          strides: [1, 1],
          dilations: [1, 1],
          pads: [1, 1, 1, 1],
          autoPad: 'explicit',
          groups: 1,
          activation: { kind: 'relu' },
        },
        ['x', 'w', 'b'],
        ['y'],
      ),
    ],
    constants: new Map([
      ['w', t([3, 3, 3, 4])],
      ['b', t([4])],
    ]),
    intConstants: new Map(),
  };
}

describe('cpu-native without its addon', () => {
  it("rejects with BackendUnavailableError saying 'not built: <path> is missing' and what to install", async () => {
    const attempt = createCpuNativeBackend({ addonPath: '/nonexistent.node' });
    await expect(attempt).rejects.toThrow(BackendUnavailableError);
    // BackendUnavailableError prefixes "Backend '<id>' is unavailable: " to the reason, which must
    // tell an npm user (not only a clone of the repository) what to install and run.
    await expect(attempt).rejects.toThrow(
      /^Backend 'cpu-native' is unavailable: not built: \/nonexistent\.node is missing; the package ships a prebuilt binary for linux-x64 \(glibc\) only; elsewhere install cmake \(>= 3\.18\) and a C\+\+17 compiler .* run `npm rebuild @motiondelta\/sparse-kernels-cpu`/,
    );
  });

  it('says what node-gyp-build looked for when a package has neither a source build nor a prebuilt binary', () => {
    const empty = mkdtempSync(join(tmpdir(), 'md-no-addon-'));
    try {
      const resolved = resolveAddonPath(empty);
      expect(resolved).toEqual({
        missing: expect.stringMatching(
          new RegExp(`No native build was found for platform=${process.platform} arch=${process.arch} .*libc=`),
        ),
      });
    } finally {
      rmSync(empty, { recursive: true, force: true });
    }
  });

  it('lets a session fall back to the reference backend and records why', async () => {
    registerBackend('cpu-native', () => createCpuNativeBackend({ addonPath: '/nonexistent.node', fallback: new ReferenceBackend() }));
    const session = await new Model(tinyGraph()).createSession({ backend: ['cpu-native', 'reference'] });
    expect(session.backendInfo.id).toBe('reference');
    expect(session.backendInfo.skipped).toHaveLength(1);
    expect(session.backendInfo.skipped[0]!.id).toBe('cpu-native');
    expect(session.backendInfo.skipped[0]!.reason).toMatch(/not built: \/nonexistent\.node is missing/);
    const out = await session.run({ x: { data: new Float32Array(5 * 6 * 3).fill(0.5), shape: [1, 5, 6, 3] } });
    expect(out.y!.shape).toEqual([1, 5, 6, 4]);
  });

  it('rejects a thread count that is not a positive integer before loading anything', async () => {
    await expect(createCpuNativeBackend({ threads: 0 })).rejects.toThrow(OptionError);
    await expect(createCpuNativeBackend({ threads: 1.5, addonPath: '/nonexistent.node' })).rejects.toThrow(/threads must be an integer/);
  });
});
