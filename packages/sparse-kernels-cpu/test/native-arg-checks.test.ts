import { describe, expect, it } from 'vitest';
import { loadAddon } from '../src/load-addon.js';
import type { NativeAddon } from '../src/native-addon.js';
import type { NativeDeltaView } from '../src/delta/native-delta-addon.js';

/**
 * Hostile arguments straight to the addon (the second line of defence behind the TypeScript
 * checks: a call from plain JavaScript, or a check the wrapper missed). Each case crashed the
 * process, read or wrote outside an array, or allocated gigabytes before the checks were moved
 * into plain C++ (native/src/*_checks.cc) and fuzzed (native/fuzz); now each is refused with a
 * RangeError or TypeError that says what is wrong.
 */

const load = loadAddon<NativeAddon>();
const describeNative = load.ok ? describe : process.env['CI'] ? describe : describe.skip;

const F = (n: number): Float32Array => new Float32Array(n);
const I = (...v: number[]): Int32Array => Int32Array.from(v);

/** A DeltaBuffer-like view with `active` listing the given pixels (mask set at them). */
function view(shape: [number, number, number, number], active: number[] = []): NativeDeltaView & { count: number } {
  const pixels = Math.max(0, shape[0] * shape[1] * shape[2]);
  const d = {
    shape,
    values: F(Math.max(0, pixels * shape[3])),
    mask: new Uint8Array(pixels),
    active: new Int32Array(pixels),
    count: active.length,
  };
  active.forEach((p, i) => {
    d.active[i] = p;
    if (p >= 0 && p < pixels) d.mask[p] = 1;
  });
  return d;
}

describeNative(`native argument checks${load.ok ? '' : ` (skipped: ${!load.ok ? load.reason : ''})`}`, () => {
  const addon = (): NativeAddon => {
    if (!load.ok) throw new Error(load.reason);
    return load.addon;
  };

  it('conv2d: geometry whose sizes overflow 64 bits (wrapping to the empty arrays given) is refused, not run (was SIGSEGV)', () => {
    // 65536^4 wraps to 0, the length of x and out; the kernel then walked 2^48 output pixels.
    const geometry = I(65536, 65536, 65536, 65536, 65536, 65536, 65536, 1, 1, 1, 1, 1, 1, 0, 0, 65536);
    expect(() => addon().conv2d(F(0), F(65536), null, F(0), geometry, null)).toThrow(
      /the input size is too large \(it overflows 64-bit arithmetic\)/,
    );
  });

  it('binary: an output shape whose size overflows is refused (was accepted)', () => {
    expect(() => addon().binary(F(1), F(1), F(0), 0, I(65536, 65536, 65536, 65536, 1), I(0, 0, 0, 0, 0), I(0, 0, 0, 0, 0), null)).toThrow(
      RangeError,
    );
  });

  it('stridedCopy (Slice, DepthToSpace, SpaceToDepth): a gather reaching outside x is refused', () => {
    // A reversed row of 4 from offset 2 would read x[-1].
    expect(() => addon().stridedCopy(F(4), F(4), I(4), I(-1), 2)).toThrow(/stridedCopy: base and strides reach outside x/);
    expect(() => addon().stridedCopy(F(4), F(4), I(4), I(1), 1)).toThrow(RangeError);
    expect(() => addon().stridedCopy(F(4), F(4), I(4), I(1, 1), 0)).toThrow(RangeError);
    expect(() => addon().stridedCopy(F(4), F(4), I(65536, 65536, 65536, 65536), I(0, 0, 0, 0), 0)).toThrow(RangeError);
  });

  it('reduce: an unknown kind, flags that are not 0/1 or sizes that do not match x and out are refused', () => {
    expect(() => addon().reduce(F(6), F(2), I(2, 3), I(0, 1), 10)).toThrow(/reduce: kind must be an integer from 0 to 9/);
    expect(() => addon().reduce(F(6), F(2), I(2, 3), I(0, 2), 0)).toThrow(/reduced flags must be 0 or 1/);
    expect(() => addon().reduce(F(6), F(3), I(2, 3), I(0, 1), 0)).toThrow(RangeError);
    expect(() => addon().reduce(F(5), F(2), I(2, 3), I(0, 1), 0)).toThrow(RangeError);
    expect(() => addon().reduce(F(6), F(2), I(2, 3), I(0), 0)).toThrow(RangeError);
  });

  it('a DeltaBuffer listing a pixel outside its shape is refused (was an out-of-bounds write, SIGSEGV)', () => {
    expect(() => addon().deltaAccumulate(view([1, 4, 4, 1], [10_000_000]), F(16))).toThrow(
      /active\[0\] = 10000000 is not a pixel index below 16/,
    );
    expect(() => addon().deltaAccumulate(view([1, 4, 4, 1], [-1]), F(16))).toThrow(RangeError);
  });

  it('a DeltaBuffer with negative or fractional shape entries is refused (was accepted: -1 x -1 x 2 "fits" 2 pixels)', () => {
    const bad = { ...view([1, 1, 2, 1]), shape: [-1, -1, 2, 1] as [number, number, number, number] };
    expect(() => addon().deltaAvgPool2d(bad, I(3, 3, 1, 1, 1, 1, 1, 1, 0), view([1, 1, 2, 1]))).toThrow(
      /shape entries must be an integer from 0 to/,
    );
    const fractional = { ...view([1, 1, 2, 1]), shape: [1, 1.5, 2, 1] as [number, number, number, number] };
    expect(() => addon().deltaAccumulate(fractional, F(2))).toThrow(RangeError);
  });

  it('deltaPad: an output listed under an input it does not map to is refused (was a read before the start of the input)', () => {
    const x = view([1, 2, 2, 1], [0]);
    // Rows: output 0 is listed under input 0 but its map entry says "pad constant" (-1).
    expect(() => addon().deltaPad(x, I(-1, 1), I(0, 1, 2), I(0, 1), I(0, 1), I(0, 1, 2), I(0, 1), view([1, 2, 2, 1]))).toThrow(
      /output 0 is listed under input 0 but maps to -1/,
    );
  });

  it('deltaConv2d: the dense conv2dPackWeights External is not taken for delta packed weights (type confusion)', async () => {
    const packed = await addon().conv2dPackWeights(F(9 * 4), null, I(1, 4, 4, 1, 4, 4, 4, 3, 3, 1, 1, 1, 1, 1, 1, 1));
    if (packed === null) return; // a build without the packed GEMM makes no External to confuse
    const call = () =>
      addon().deltaConv2d(view([1, 4, 4, 1], [5]), F(9 * 4), packed as never, I(3, 3, 1, 1, 1, 1, 1, 1, 1), view([1, 4, 4, 4]), 1);
    expect(call).toThrow(/packed must be the result of deltaPackConv2d/);
  });

  it('deltaConv2d: an unknown path code is refused (was taken as input-driven)', () => {
    expect(() => addon().deltaConv2d(view([1, 4, 4, 1]), F(9), null, I(3, 3, 1, 1, 1, 1, 1, 1, 1), view([1, 4, 4, 1]), 7)).toThrow(
      /path must be 0/,
    );
  });

  it('deltaPackConv2d: strides that would need 2^32 classes are refused with a message (was std::bad_alloc)', () => {
    expect(() => addon().deltaPackConv2d(F(1), I(1, 1, 1, 1, 1, 65536, 65536, 1, 1))).toThrow(/strideH \* strideW must be at most 65536/);
  });

  it('deltaConv2d: a dilation of 2^30 computes on im2col rows instead of a 4 GiB slab (took 14 s and 4.2 GB)', async () => {
    const w = F(2).fill(1);
    const packed = await addon().deltaPackConv2d(w, I(1, 2, 1, 1, 1, 1, 1, 1, 1 << 30));
    const x = view([1, 1, 4, 1], [0, 1, 2, 3]);
    x.values.set([1, 2, 3, 4]);
    const out = view([1, 1, 4, 1]);
    // Output-driven path (2): the second tap is always outside the input, so out = x.
    const count = await addon().deltaConv2d(x, w, packed, I(1, 2, 1, 1, 1, 1 << 30, 0, 0, 1), out, 2);
    expect(count).toBe(4);
    expect(Array.from(out.values)).toEqual([1, 2, 3, 4]);
  });

  it('an activation kind that is not an integer is refused (was truncated)', () => {
    expect(() => addon().activation(F(4), F(4), 1, { kind: 1.5, a: 0, b: 0, slope: null } as never)).toThrow(
      /activation kind must be an integer/,
    );
  });
});
