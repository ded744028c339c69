/**
 * The models and clip the demo offers. Each model's input mapping is the one `@motiondelta/data`
 * records for it (tests/demo-models.test.ts checks they agree); that package reads the cache with
 * `node:fs`, so the page cannot import it.
 */

/** How an output tensor is drawn over the video. */
export type OutputView =
  /** Three channels of colour in [0, `range`] (super-resolution). */
  | { readonly kind: 'rgb'; readonly range: number }
  /** One channel of probability in [0, 1] (segmentation), tinted over the frame. */
  | { readonly kind: 'mask' };

/** A model the demo runs. */
export interface DemoModel {
  /** Its id in the data cache, also the folder it is served from (`models/<id>/`). */
  readonly id: 'esrgan-x2' | 'selfie';
  readonly label: string;
  /** The model file, relative to the page. */
  readonly url: string;
  /** [height, width] of the frames it gets; `sizes` lists the choices (one for fixed-size models). */
  readonly sizes: readonly (readonly [number, number])[];
  /** Input value = (byte * scale + offset - mean[c]) / std[c]. */
  readonly scale: number;
  readonly offset: number;
  readonly mean?: readonly [number, number, number];
  readonly std?: readonly [number, number, number];
  /** Delta mode's default threshold, in the units of the model's values (ESRGAN takes bytes, selfie [0, 1]). */
  readonly threshold: number;
  readonly view: OutputView;
}

export const DEMO_MODELS: readonly DemoModel[] = [
  {
    id: 'esrgan-x2',
    label: 'ESRGAN x2 super-resolution (any size)',
    url: 'models/esrgan-x2/model.json',
    // Small sizes first: a browser without a GPU runs WebGPU on SwiftShader, a CPU rasteriser.
    sizes: [
      [12, 16],
      [24, 32],
      [48, 64],
      [96, 128],
      [192, 256],
    ],
    scale: 1,
    offset: 0,
    threshold: 2,
    view: { kind: 'rgb', range: 255 },
  },
  {
    id: 'selfie',
    label: 'Selfie segmentation (256x256)',
    url: 'models/selfie/selfie.json',
    sizes: [[256, 256]],
    scale: 1 / 255,
    offset: 0,
    threshold: 0.01,
    view: { kind: 'mask' },
  },
];

/** The bundled clip: a few seconds of the vtest clip, converted to WebM when the demo is built. */
export const DEMO_CLIP = {
  dataId: 'vtest',
  path: 'clips/vtest.webm',
  startSeconds: 8,
  seconds: 4,
  size: [320, 240] as const,
};
