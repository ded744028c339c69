import { pool2dGeometry, requireInput } from '@motiondelta/core';
import type { KernelCall, Pool2DAttrs, Pool2DGeometry, Tensor } from '@motiondelta/core';

/** A window that covers no input pixel (pads >= kernel) yields the lowest float, as onnxruntime does. */
export const LOWEST_FLOAT32 = -3.4028234663852886e38;

/** A pooling call's checked geometry (core's one definition). */
export type PoolGeometry = Pool2DGeometry;

/** Validates a pooling call (its input tensor, then {@link pool2dGeometry}) and reads its geometry. */
export function poolGeometry(call: KernelCall<'MaxPool2D' | 'AvgPool2D'>): PoolGeometry {
  const x = requireInput(call, 0, 'x');
  return pool2dGeometry(call.op, call.attrs, x.shape, call.outputShape);
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

function pool(xd: Float32Array, g: PoolGeometry, attrs: Pool2DAttrs, outputShape: readonly number[], kind: 'max' | 'avg'): Tensor {
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
