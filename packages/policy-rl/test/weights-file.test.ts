import { ModelFormatError, ResourceLimitError } from '@motiondelta/core';
import { describe, expect, it } from 'vitest';
import { decodePolicyWeights, encodePolicyWeights, parameterSpecs, RlPolicy, WEIGHTS_MAGIC } from '../src/index.js';
import { movingSquares, simulateBlockMode } from './synthetic-clip.js';

const small = { widths: [4, 8, 8] as [number, number, number], pixelsPerBlock: 8 as const };

/** A valid file with its header replaced by `header` (re-aligned, data kept). */
function withHeader(bytes: Uint8Array, header: unknown): Uint8Array {
  const oldLength = new DataView(bytes.buffer, bytes.byteOffset).getUint32(12, true);
  const data = bytes.subarray(Math.ceil((16 + oldLength) / 4) * 4);
  const h = new TextEncoder().encode(JSON.stringify(header));
  const start = Math.ceil((16 + h.length) / 4) * 4;
  const out = new Uint8Array(start + data.length);
  out.set(bytes.subarray(0, 12));
  new DataView(out.buffer).setUint32(12, h.length, true);
  out.set(h, 16);
  out.set(data, start);
  return out;
}

function headerOf(bytes: Uint8Array): Record<string, unknown> {
  const length = new DataView(bytes.buffer, bytes.byteOffset).getUint32(12, true);
  return JSON.parse(new TextDecoder().decode(bytes.subarray(16, 16 + length))) as Record<string, unknown>;
}

describe('policy weight files', () => {
  it('round-trip weights and architecture exactly', () => {
    const policy = new RlPolicy({ targetRate: 0.3, seed: 4, architecture: small });
    const bytes = policy.save();
    expect(new TextDecoder().decode(bytes.subarray(0, 8))).toBe(WEIGHTS_MAGIC);
    const file = decodePolicyWeights(bytes);
    expect(file.architecture).toEqual(policy.architecture);
    const original = policy.weights();
    for (const spec of parameterSpecs(policy.architecture)) expect(file.weights.get(spec.name)).toEqual(original.get(spec.name));
    expect(encodePolicyWeights(file.architecture, file.weights, 0)).toEqual(bytes);
  });

  it('refuses hostile files with typed errors', () => {
    const bytes = new RlPolicy({ targetRate: 0.3, seed: 4, architecture: small }).save();
    const header = headerOf(bytes);
    const expectFormat = (b: Uint8Array, pattern: RegExp) => {
      let error: unknown;
      try {
        decodePolicyWeights(b);
      } catch (e) {
        error = e;
      }
      expect(ModelFormatError.isInstance(error), String(error)).toBe(true);
      expect((error as Error).message).toMatch(pattern);
    };
    expectFormat(bytes.subarray(0, 10), /shorter than the 16-byte prefix/);
    const badMagic = bytes.slice();
    badMagic[0] = 0x58;
    expectFormat(badMagic, /not a policy weight file/);
    const badVersion = bytes.slice();
    new DataView(badVersion.buffer).setUint32(8, 7, true);
    expectFormat(badVersion, /version 7 is not supported/);
    const hugeHeader = bytes.slice();
    new DataView(hugeHeader.buffer).setUint32(12, 0xfffffff0, true);
    expectFormat(hugeHeader, /header claims/);
    const notJson = bytes.slice();
    notJson[16] = 0x7b;
    notJson[17] = 0x7b;
    expectFormat(notJson, /not UTF-8 JSON/);
    // An architecture that would need gigabytes: refused by its ranges before any allocation.
    expectFormat(
      withHeader(bytes, { ...header, architecture: { ...(header.architecture as object), widths: [100000, 8, 8] } }),
      /widths\[0\] must be an integer/,
    );
    // A valid architecture that does not match the tensors listed: another layer count, another input width.
    expectFormat(
      withHeader(bytes, { ...header, architecture: { ...(header.architecture as object), widths: [4, 8, 16] } }),
      /lists 22 tensors; the architecture has 24/,
    );
    expectFormat(
      withHeader(bytes, { ...header, architecture: { ...(header.architecture as object), outputChannels: 2 } }),
      /tensor 0 is "stem.weight" \[3,3,10,4\]; the architecture expects 'stem.weight' \[3,3,9,4\]/,
    );
    const tensors = (header.tensors as { name: string; shape: number[] }[]).map((t, i) => (i === 2 ? { ...t, shape: [3, 3, 4, 5] } : t));
    expectFormat(withHeader(bytes, { ...header, tensors }), /tensor 2 is "stage1.conv1.weight" \[3,3,4,5\]/);
    expectFormat(bytes.subarray(0, bytes.length - 4), /bytes of weights; the architecture needs exactly/);
    const nan = bytes.slice();
    new DataView(nan.buffer).setFloat32(nan.length - 4, Number.NaN, true);
    expectFormat(nan, /holds NaN/);
    let limit: unknown;
    try {
      decodePolicyWeights(bytes, 100);
    } catch (e) {
      limit = e;
    }
    expect(ResourceLimitError.isInstance(limit)).toBe(true);
    expect((limit as ResourceLimitError).limit).toBe(100);
  });

  it('lets a policy warmed up on one clip continue online on another', async () => {
    const options = { targetRate: 0.4, seed: 2, stepEvery: 4 };
    const warm = new RlPolicy({ ...options, architecture: small });
    await simulateBlockMode(warm, movingSquares(17, 64, 64, 16, 1));
    expect(warm.stats.trainingSteps).toBe(4);
    const saved = warm.save();
    const continued = RlPolicy.load(saved, options);
    expect(continued.stats.trainingSteps).toBe(4);
    expect(continued.weights()).toEqual(warm.weights());
    await simulateBlockMode(continued, movingSquares(9, 64, 64, 16, 2));
    expect(continued.stats.trainingSteps).toBe(6);
    expect(decodePolicyWeights(continued.save()).trainedSteps).toBe(6);
    const before = decodePolicyWeights(saved).weights.get('head3.bias')![0];
    expect(continued.weights().get('head3.bias')![0]).not.toBe(before);
  });
});
