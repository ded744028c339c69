/** An NHWC float32 activation: data plus [N, H, W, C]. */
export interface Activation {
  readonly data: Float32Array;
  readonly n: number;
  readonly h: number;
  readonly w: number;
  readonly c: number;
}

/** A square convolution with symmetric padding (k = 3: one pixel, PyTorch's `padding=1`; k = 1: none). */
export interface ConvShape {
  readonly kernel: number;
  readonly stride: number;
  readonly inChannels: number;
  readonly outChannels: number;
}

function outSize(size: number, k: number, s: number): number {
  const pad = (k - 1) >> 1;
  return Math.floor((size + 2 * pad - k) / s) + 1;
}

/**
 * y = conv(x, weight [k,k,Cin,Cout]) + bias, then ReLU when `relu`. The innermost loop walks output
 * channels, contiguous in both the HWIO weight and the NHWC output.
 */
export function convForward(x: Activation, spec: ConvShape, weight: Float32Array, bias: Float32Array, relu: boolean): Activation {
  const { kernel: k, stride: s, inChannels: ci, outChannels: co } = spec;
  const pad = (k - 1) >> 1;
  const oh = outSize(x.h, k, s);
  const ow = outSize(x.w, k, s);
  const y = new Float32Array(x.n * oh * ow * co);
  const acc = new Float32Array(co);
  const xd = x.data;
  for (let n = 0; n < x.n; n++) {
    for (let oy = 0; oy < oh; oy++) {
      for (let ox = 0; ox < ow; ox++) {
        acc.set(bias);
        for (let ky = 0; ky < k; ky++) {
          const iy = oy * s - pad + ky;
          if (iy < 0 || iy >= x.h) continue;
          for (let kx = 0; kx < k; kx++) {
            const ix = ox * s - pad + kx;
            if (ix < 0 || ix >= x.w) continue;
            const xb = ((n * x.h + iy) * x.w + ix) * ci;
            const wb = (ky * k + kx) * ci * co;
            for (let i = 0; i < ci; i++) {
              const xv = xd[xb + i]!;
              if (xv === 0) continue;
              const wr = wb + i * co;
              for (let o = 0; o < co; o++) acc[o]! += xv * weight[wr + o]!;
            }
          }
        }
        const yb = ((n * oh + oy) * ow + ox) * co;
        if (relu) for (let o = 0; o < co; o++) y[yb + o] = acc[o]! > 0 ? acc[o]! : 0;
        else y.set(acc, yb);
      }
    }
  }
  return { data: y, n: x.n, h: oh, w: ow, c: co };
}

/**
 * Backward of {@link convForward} without its activation: from dL/dy, adds dL/dweight and dL/dbias
 * into `dWeight`, `dBias`, and returns dL/dx (or nothing when `needInput` is false: the network's
 * input needs no gradient). One pass over the taps computes both, so it costs about two forwards.
 */
export function convBackward(
  x: Activation,
  spec: ConvShape,
  weight: Float32Array,
  dy: Activation,
  dWeight: Float32Array,
  dBias: Float32Array,
  needInput: boolean,
): Float32Array | undefined {
  const { kernel: k, stride: s, inChannels: ci, outChannels: co } = spec;
  const pad = (k - 1) >> 1;
  const dx = needInput ? new Float32Array(x.data.length) : undefined;
  const xd = x.data;
  const g = dy.data;
  for (let n = 0; n < dy.n; n++) {
    for (let oy = 0; oy < dy.h; oy++) {
      for (let ox = 0; ox < dy.w; ox++) {
        const gb = ((n * dy.h + oy) * dy.w + ox) * co;
        let any = false;
        for (let o = 0; o < co; o++) {
          dBias[o]! += g[gb + o]!;
          if (g[gb + o] !== 0) any = true;
        }
        // ReLU zeroes many gradients: a pixel with none contributes nothing.
        if (!any) continue;
        for (let ky = 0; ky < k; ky++) {
          const iy = oy * s - pad + ky;
          if (iy < 0 || iy >= x.h) continue;
          for (let kx = 0; kx < k; kx++) {
            const ix = ox * s - pad + kx;
            if (ix < 0 || ix >= x.w) continue;
            const xb = ((n * x.h + iy) * x.w + ix) * ci;
            const wb = (ky * k + kx) * ci * co;
            for (let i = 0; i < ci; i++) {
              const xv = xd[xb + i]!;
              const wr = wb + i * co;
              let sum = 0;
              for (let o = 0; o < co; o++) {
                const go = g[gb + o]!;
                dWeight[wr + o]! += xv * go;
                sum += weight[wr + o]! * go;
              }
              if (dx) dx[xb + i]! += sum;
            }
          }
        }
      }
    }
  }
  return dx;
}

/** dL/dx of y = relu(x) given y: the gradient where the output is positive, zero elsewhere (in place). */
export function reluBackward(y: Activation, dy: Float32Array): Float32Array {
  for (let i = 0; i < dy.length; i++) if (y.data[i]! <= 0) dy[i] = 0;
  return dy;
}
