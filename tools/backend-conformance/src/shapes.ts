import type { Conv2DAttrs, ConvTranspose2DAttrs, Pool2DAttrs, ResizeAttrs, Shape } from '@motiondelta/core';

/**
 * Output shapes of the calls the cases build. Backends receive calls the planner resolved, so the
 * cases resolve them the same way; the reference re-derives every shape and rejects a call whose
 * `outputShape` is wrong, which keeps these formulas honest.
 */

function windowSize(
  size: number,
  padBegin: number,
  padEnd: number,
  kernel: number,
  stride: number,
  dilation: number,
  ceil: boolean,
): number {
  const span = size + padBegin + padEnd - ((kernel - 1) * dilation + 1);
  let out = (ceil ? Math.ceil(span / stride) : Math.floor(span / stride)) + 1;
  if (ceil && (out - 1) * stride >= size + padBegin) out--;
  return out;
}

/** SAME pads of one axis, as the planner resolves them (odd pixel at the end for same-upper). */
function samePads(mode: 'same-upper' | 'same-lower', size: number, kernel: number, stride: number, dilation: number): [number, number] {
  const out = Math.ceil(size / stride);
  const total = Math.max((out - 1) * stride + (kernel - 1) * dilation + 1 - size, 0);
  const small = Math.floor(total / 2);
  return mode === 'same-upper' ? [small, total - small] : [total - small, small];
}

export function resolvedPads(
  attrs: { readonly autoPad: Conv2DAttrs['autoPad']; readonly pads: Conv2DAttrs['pads'] },
  h: number,
  w: number,
  kernel: readonly [number, number],
  strides: readonly [number, number],
  dilations: readonly [number, number],
): [number, number, number, number] {
  switch (attrs.autoPad) {
    case 'explicit':
      return [...attrs.pads];
    case 'valid':
      return [0, 0, 0, 0];
    default: {
      const [t, b] = samePads(attrs.autoPad, h, kernel[0], strides[0], dilations[0]);
      const [l, r] = samePads(attrs.autoPad, w, kernel[1], strides[1], dilations[1]);
      return [t, l, b, r];
    }
  }
}

export function conv2dShape(x: Shape, attrs: Conv2DAttrs, outC: number): number[] {
  const [n, h, w] = x as [number, number, number, number];
  const p = resolvedPads(attrs, h, w, attrs.kernel, attrs.strides, attrs.dilations);
  return [
    n,
    windowSize(h, p[0], p[2], attrs.kernel[0], attrs.strides[0], attrs.dilations[0], false),
    windowSize(w, p[1], p[3], attrs.kernel[1], attrs.strides[1], attrs.dilations[1], false),
    outC,
  ];
}

export function convTranspose2dShape(x: Shape, attrs: ConvTranspose2DAttrs, outC: number): number[] {
  const [n, h, w] = x as [number, number, number, number];
  const a = attrs;
  return [
    n,
    (h - 1) * a.strides[0] - a.pads[0] - a.pads[2] + (a.kernel[0] - 1) * a.dilations[0] + 1 + a.outputPadding[0],
    (w - 1) * a.strides[1] - a.pads[1] - a.pads[3] + (a.kernel[1] - 1) * a.dilations[1] + 1 + a.outputPadding[1],
    outC,
  ];
}

export function pool2dShape(x: Shape, attrs: Pool2DAttrs): number[] {
  const [n, h, w, c] = x as [number, number, number, number];
  const p = resolvedPads(attrs, h, w, attrs.kernel, attrs.strides, [1, 1]);
  return [
    n,
    windowSize(h, p[0], p[2], attrs.kernel[0], attrs.strides[0], 1, attrs.ceilMode),
    windowSize(w, p[1], p[3], attrs.kernel[1], attrs.strides[1], 1, attrs.ceilMode),
    c,
  ];
}

/** Output [H, W] of a Resize: `sizes`, else floor(in * scale) multiplied in float32 as onnxruntime does. */
export function resizeShape(x: Shape, attrs: ResizeAttrs): number[] {
  const [n, h, w, c] = x as [number, number, number, number];
  if (attrs.sizes) return [n, attrs.sizes[0], attrs.sizes[1], c];
  const f = Math.fround;
  const s = attrs.scales!;
  return [n, Math.floor(f(f(s[0]) * h)), Math.floor(f(f(s[1]) * w)), c];
}

/** numpy broadcast of two shapes. */
export function broadcastShape(a: Shape, b: Shape): number[] {
  const rank = Math.max(a.length, b.length);
  const out: number[] = [];
  for (let i = 0; i < rank; i++) {
    const da = a[a.length - rank + i] ?? 1;
    const db = b[b.length - rank + i] ?? 1;
    out.push(da === 1 ? db : da);
  }
  return out;
}
