import { OptionError } from '@motiondelta/core';

/**
 * The BlockCopy policy network's shape: a CIFAR-style ResNet-8 (a 3x3 stem, then three stages of
 * one basic residual block each, `widths` channels) and a head of three stride-2 3x3 convolutions
 * down to one logit per block. BatchNorm is folded away: each convolution has a bias instead,
 * because online training runs on batches of a few frames where batch statistics mean little, and
 * because the inference graph then needs no normalisation step.
 */
export interface PolicyArchitecture {
  /** Channels of the model input (3 for RGB). The network sees them twice: frame and last executed frame. */
  readonly frameChannels: number;
  /** Channels the previous output is reduced to before the network sees it. */
  readonly outputChannels: number;
  /** Stage widths, [32, 64, 128] in BlockCopy. */
  readonly widths: readonly [number, number, number];
  /**
   * Pixels per block side in the network's input: 32 in BlockCopy (a 128-pixel block at quarter
   * resolution). 16 or 8 drop the stride of the last stage(s) for small models and tests; the head
   * always divides by 8.
   */
  readonly pixelsPerBlock: 8 | 16 | 32;
}

/** BlockCopy's network for RGB input and a previous output reduced to three channels. */
export const DEFAULT_ARCHITECTURE: PolicyArchitecture = { frameChannels: 3, outputChannels: 3, widths: [32, 64, 128], pixelsPerBlock: 32 };

/** Channels of the network input: frame, last executed frame, reduced previous output, previous decisions. */
export function inputChannels(a: PolicyArchitecture): number {
  return 2 * a.frameChannels + a.outputChannels + 1;
}

/** One convolution of the network, in the order the weight file stores them. */
export interface ConvSpec {
  readonly name: string;
  readonly kernel: 1 | 3;
  readonly stride: 1 | 2;
  readonly inChannels: number;
  readonly outChannels: number;
}

/** One residual stage: two 3x3 convolutions and, where the width changes, a 1x1 projection. */
export interface StageSpec {
  readonly first: ConvSpec;
  readonly second: ConvSpec;
  readonly projection?: ConvSpec;
}

/** Every layer of the network, derived from the architecture. */
export interface NetworkLayout {
  readonly stem: ConvSpec;
  readonly stages: readonly StageSpec[];
  readonly head: readonly ConvSpec[];
}

/** The layers of `a`. */
export function networkLayout(a: PolicyArchitecture): NetworkLayout {
  const [w0, w1, w2] = a.widths;
  const stride3: 1 | 2 = a.pixelsPerBlock >= 32 ? 2 : 1;
  const stride2: 1 | 2 = a.pixelsPerBlock >= 16 ? 2 : 1;
  const conv = (name: string, kernel: 1 | 3, stride: 1 | 2, inChannels: number, outChannels: number): ConvSpec => ({
    name,
    kernel,
    stride,
    inChannels,
    outChannels,
  });
  const stage = (name: string, cin: number, cout: number, stride: 1 | 2): StageSpec => ({
    first: conv(`${name}.conv1`, 3, stride, cin, cout),
    second: conv(`${name}.conv2`, 3, 1, cout, cout),
    ...(cin !== cout || stride !== 1 ? { projection: conv(`${name}.projection`, 1, stride, cin, cout) } : {}),
  });
  const mid = Math.max(1, Math.floor(w2 / 2));
  return {
    stem: conv('stem', 3, 1, inputChannels(a), w0),
    stages: [stage('stage1', w0, w0, 1), stage('stage2', w0, w1, stride2), stage('stage3', w1, w2, stride3)],
    head: [conv('head1', 3, 2, w2, mid), conv('head2', 3, 2, mid, mid), conv('head3', 3, 2, mid, 1)],
  };
}

/** Every convolution in storage order: stem, stages (conv1, conv2, projection), head. */
export function allConvs(layout: NetworkLayout): ConvSpec[] {
  const list = [layout.stem];
  for (const s of layout.stages) list.push(s.first, s.second, ...(s.projection ? [s.projection] : []));
  return [...list, ...layout.head];
}

/** A named parameter tensor and its shape (HWIO weights, per-channel biases). */
export interface ParameterSpec {
  readonly name: string;
  readonly shape: readonly number[];
}

/** The parameters of `a` in storage order: each convolution's `.weight` [k,k,in,out] then `.bias` [out]. */
export function parameterSpecs(a: PolicyArchitecture): ParameterSpec[] {
  return allConvs(networkLayout(a)).flatMap((c) => [
    { name: `${c.name}.weight`, shape: [c.kernel, c.kernel, c.inChannels, c.outChannels] },
    { name: `${c.name}.bias`, shape: [c.outChannels] },
  ]);
}

/** Largest accepted width or channel count: far above BlockCopy's, small enough to bound a weight file. */
export const MAX_WIDTH = 1024;

/** Throws OptionError unless `a` describes a network this package builds. */
export function checkArchitecture(a: unknown, where: string): PolicyArchitecture {
  const fail = (what: string): never => {
    throw new OptionError(`${where}: ${what}`);
  };
  if (typeof a !== 'object' || a === null) return fail('the architecture must be an object.');
  const o = a as Record<string, unknown>;
  const int = (name: string, v: unknown, lo: number, hi: number): number =>
    typeof v === 'number' && Number.isInteger(v) && v >= lo && v <= hi
      ? v
      : fail(`${name} must be an integer in [${lo}, ${hi}]; got ${JSON.stringify(v)}.`);
  const frameChannels = int('frameChannels', o.frameChannels, 1, 64);
  const outputChannels = int('outputChannels', o.outputChannels, 0, 64);
  if (!Array.isArray(o.widths) || o.widths.length !== 3) fail(`widths must be three stage widths; got ${JSON.stringify(o.widths)}.`);
  const widths = (o.widths as unknown[]).map((w, i) => int(`widths[${i}]`, w, 1, MAX_WIDTH)) as unknown as [number, number, number];
  const ppb = o.pixelsPerBlock;
  if (ppb !== 8 && ppb !== 16 && ppb !== 32) fail(`pixelsPerBlock must be 8, 16 or 32; got ${JSON.stringify(ppb)}.`);
  return { frameChannels, outputChannels, widths, pixelsPerBlock: ppb as 8 | 16 | 32 };
}
