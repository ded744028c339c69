import { ShapeError, formatShape } from '@motiondelta/core';
import type { Pool2DAttrs, Tensor } from '@motiondelta/core';
import { expectRank, requireInput } from '@motiondelta/core';
import type { KernelCall } from '@motiondelta/core';
import { expectPositivePair, resolveWindowPads } from '@motiondelta/core';

/** A window that covers no input pixel (pads >= kernel) yields the lowest float, as onnxruntime does. */
export const LOWEST_FLOAT32 = -3.4028234663852886e38;

export interface PoolGeometry {
  readonly batch: number;
  readonly inH: number;
  readonly inW: number;
  readonly channels: number;
  readonly outH: number;
  readonly outW: number;
  readonly pads: readonly [number, number, number, number];
}

/**
 * Validates a pooling call and reads its geometry. The output size comes from the planned output
 * shape, not from `ceilMode`: the planner already decided whether the last window (which may start
 * in the end padding) exists, so the kernel accepts anything between the floor and ceil sizes.
 */
export function poolGeometry(call: KernelCall<'MaxPool2D' | 'AvgPool2D'>): PoolGeometry {
  const { op, attrs } = call;
  const x = requireInput(call, 0, 'x');
  expectRank(op, 'input x', x.shape, 4, 'NHWC');
  expectPositivePair(op, 'kernel', attrs.kernel);
  expectPositivePair(op, 'strides', attrs.strides);
  const [batch, inH, inW, channels] = x.shape as [number, number, number, number];
  const pads = resolveWindowPads(op, attrs.autoPad, attrs.pads, [inH, inW], attrs.kernel, attrs.strides, [1, 1]);
  const [padTop, padLeft, padBottom, padRight] = pads;
  const out = call.outputShape;
  const sizeRange = (size: number, k: number, s: number): [number, number] => {
    const span = size - k;
    return [Math.floor(span / s) + 1, Math.ceil(span / s) + 1];
  };
  const [minH, maxH] = sizeRange(inH + padTop + padBottom, attrs.kernel[0], attrs.strides[0]);
  const [minW, maxW] = sizeRange(inW + padLeft + padRight, attrs.kernel[1], attrs.strides[1]);
  const outH = out[1] ?? -1;
  const outW = out[2] ?? -1;
  if (
    out.length !== 4 || out[0] !== batch || out[3] !== channels ||
    outH < Math.max(1, minH) || outH > maxH || outW < Math.max(1, minW) || outW > maxW
  ) {
    throw new ShapeError(
      `${op}: the planned output shape ${formatShape(out)} does not fit input ${formatShape(x.shape)} with kernel [${attrs.kernel.join(',')}], strides [${attrs.strides.join(',')}], pads [${pads.join(',')}]; accepted: [${batch}, ${minH}..${maxH}, ${minW}..${maxW}, ${channels}].`,
    );
  }
  return { batch, inH, inW, channels, outH, outW, pads };
}

/** Max pooling; positions outside the input (padding, ceil-mode overhang) never win. */
export function maxPool2dKernel(call: KernelCall<'MaxPool2D'>): Tensor {
  const g = poolGeometry(call);
  return pool(call.inputs[0]!.data, g, call.attrs, call.outputShape, 'max');
}

/**
 * Average pooling with ONNX/PyTorch divisor rules: with `countIncludePad` the divisor counts the
 * window positions inside the padded input, but not those beyond the end padding that exist only
 * because of ceil mode; without it, only positions inside the input count.
 */
export function avgPool2dKernel(call: KernelCall<'AvgPool2D'>): Tensor {
  const g = poolGeometry(call);
  return pool(call.inputs[0]!.data, g, call.attrs, call.outputShape, 'avg');
}

function pool(
  xd: Float32Array,
  g: PoolGeometry,
  attrs: Pool2DAttrs,
  outputShape: readonly number[],
  kind: 'max' | 'avg',
): Tensor {
  const { batch, inH, inW, channels: c, outH, outW } = g;
  const [padTop, padLeft] = g.pads;
  const [kh, kw] = attrs.kernel;
  const [sh, sw] = attrs.strides;
  const out = new Float32Array(batch * outH * outW * c);
  const acc = new Float64Array(c);
  let outOffset = 0;
  for (let n = 0; n < batch; n++) {
    for (let oy = 0; oy < outH; oy++) {
      const yStart = oy * sh - padTop;
      const y0 = Math.max(yStart, 0);
      const y1 = Math.min(yStart + kh, inH);
      for (let ox = 0; ox < outW; ox++) {
        const xStart = ox * sw - padLeft;
        const x0 = Math.max(xStart, 0);
        const x1 = Math.min(xStart + kw, inW);
        acc.fill(kind === 'max' ? LOWEST_FLOAT32 : 0);
        for (let iy = y0; iy < y1; iy++) {
          for (let ix = x0; ix < x1; ix++) {
            const base = ((n * inH + iy) * inW + ix) * c;
            if (kind === 'max') {
              for (let ch = 0; ch < c; ch++) {
                const v = xd[base + ch]!;
                if (v > acc[ch]!) acc[ch] = v;
              }
            } else {
              for (let ch = 0; ch < c; ch++) acc[ch]! += xd[base + ch]!;
            }
          }
        }
        if (kind === 'avg') {
          const inv = avgPoolInverseDivisor(g, attrs, oy, ox);
          for (let ch = 0; ch < c; ch++) acc[ch] = acc[ch]! * inv;
        }
        out.set(acc, outOffset);
        outOffset += c;
      }
    }
  }
  return { data: out, shape: outputShape };
}

/**
 * 1 / divisor of the average-pooling window at output (oy, ox), with ONNX/PyTorch rules: with
 * `countIncludePad` the positions inside the padded input count, but not those beyond the end
 * padding that exist only because of ceil mode; without it, only positions inside the input.
 * Shared with the delta kernel, which must divide each window exactly as the dense kernel does.
 */
export function avgPoolInverseDivisor(g: PoolGeometry, attrs: Pool2DAttrs, oy: number, ox: number): number {
  const [padTop, padLeft, padBottom, padRight] = g.pads;
  const [kh, kw] = attrs.kernel;
  const yStart = oy * attrs.strides[0] - padTop;
  const xStart = ox * attrs.strides[1] - padLeft;
  const count = attrs.countIncludePad
    ? Math.max(0, Math.min(yStart + kh, g.inH + padBottom) - yStart) * Math.max(0, Math.min(xStart + kw, g.inW + padRight) - xStart)
    : Math.max(0, Math.min(yStart + kh, g.inH) - Math.max(yStart, 0)) * Math.max(0, Math.min(xStart + kw, g.inW) - Math.max(xStart, 0));
  // A window wholly outside the input (possible only with pads >= kernel) averages nothing.
  return count > 0 ? 1 / count : 0;
}
