import { createRequire } from 'node:module';

/** The parts of opencv.js this benchmark uses (its bundled typings are loose). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type OpenCv = any;

/**
 * Resolves once the opencv.js WASM runtime is ready (`onRuntimeInitialized`); a timer keeps Node's
 * event loop alive while the WASM compiles and bounds the wait.
 */
export async function loadOpenCv(timeoutMs = 60_000): Promise<{ readonly cv: OpenCv }> {
  // Loaded on demand (other suites never pay for the WASM) and synchronously, so that the
  // callback below is in place before the runtime can finish initialising.
  const cv = createRequire(import.meta.url)('@techstark/opencv-js') as OpenCv;
  // The module is a thenable that resolves to itself: resolving a promise with it (or awaiting
  // it) loops forever in the microtask queue. Resolve with a box and unwrap it instead.
  const box = await new Promise<{ cv: OpenCv }>((resolve, reject) => {
    if (typeof cv.Mat === 'function') {
      resolve({ cv });
      return;
    }
    const timer = setTimeout(() => reject(new Error(`opencv.js did not initialise within ${timeoutMs} ms`)), timeoutMs);
    cv.onRuntimeInitialized = () => {
      clearTimeout(timer);
      resolve({ cv });
    };
  });
  // Returned boxed too: an async function returning the thenable would adopt it and loop.
  return box;
}

export interface RgbFrame {
  readonly data: Uint8Array;
  readonly width: number;
  readonly height: number;
  readonly channels: number;
}

export interface OpenCvEstimate {
  readonly ok: boolean;
  /** b pixels to a pixels, like ours; null when OpenCV found none. */
  readonly H: Float64Array | null;
  readonly inliers: number;
}

/**
 * The OpenCV baseline users would reach for: grayscale, ORB (500 features, OpenCV defaults),
 * brute-force Hamming matching with cross-check, `findHomography` with RANSAC at 3 px.
 */
export function estimateWithOpenCv(cv: OpenCv, a: RgbFrame, b: RgbFrame, maxFeatures = 500): OpenCvEstimate {
  const mats: Array<{ delete(): void }> = [];
  const keep = <T extends { delete(): void }>(m: T): T => {
    mats.push(m);
    return m;
  };
  try {
    const gray = (f: RgbFrame) => {
      const rgb = keep(new cv.Mat(f.height, f.width, cv.CV_8UC3));
      rgb.data.set(f.data);
      const g = keep(new cv.Mat());
      cv.cvtColor(rgb, g, cv.COLOR_RGB2GRAY);
      return g;
    };
    const orb = keep(new cv.ORB(maxFeatures));
    const noMask = keep(new cv.Mat());
    const kpA = keep(new cv.KeyPointVector());
    const kpB = keep(new cv.KeyPointVector());
    const descA = keep(new cv.Mat());
    const descB = keep(new cv.Mat());
    orb.detectAndCompute(gray(a), noMask, kpA, descA);
    orb.detectAndCompute(gray(b), noMask, kpB, descB);
    if (descA.rows < 4 || descB.rows < 4) return { ok: false, H: null, inliers: 0 };
    const matcher = keep(new cv.BFMatcher(cv.NORM_HAMMING, true));
    const matches = keep(new cv.DMatchVector());
    matcher.match(descB, descA, matches);
    const n = matches.size();
    if (n < 4) return { ok: false, H: null, inliers: 0 };
    const src = new Float32Array(n * 2);
    const dst = new Float32Array(n * 2);
    for (let i = 0; i < n; i++) {
      const m = matches.get(i);
      const pb = kpB.get(m.queryIdx).pt;
      const pa = kpA.get(m.trainIdx).pt;
      src[2 * i] = pb.x;
      src[2 * i + 1] = pb.y;
      dst[2 * i] = pa.x;
      dst[2 * i + 1] = pa.y;
    }
    const srcMat = keep(cv.matFromArray(n, 1, cv.CV_32FC2, Array.from(src)));
    const dstMat = keep(cv.matFromArray(n, 1, cv.CV_32FC2, Array.from(dst)));
    const inlierMask = keep(new cv.Mat());
    const h = keep(cv.findHomography(srcMat, dstMat, cv.RANSAC, 3, inlierMask));
    if (h.empty() || h.rows !== 3) return { ok: false, H: null, inliers: 0 };
    const H = Float64Array.from(h.data64F as Float64Array);
    let inliers = 0;
    for (let i = 0; i < inlierMask.rows; i++) inliers += inlierMask.data[i] ? 1 : 0;
    return { ok: H.every(Number.isFinite), H, inliers };
  } finally {
    for (const m of mats) m.delete();
  }
}
