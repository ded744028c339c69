import { createFrameAlignment, type AlignSpec as VideoAlignSpec, type FrameAlignment, type InputGeometry } from 'motiondelta';
import { readHomographyFile } from './homography-file.js';

export type { AlignSource, AlignStep, FrameAlignment, InputGeometry } from 'motiondelta';

/** `--align`: where each frame's homography to the world comes from. */
export type AlignSpec =
  /** Estimated frame to frame with `@motiondelta/homography` and chained (world = first frame run). */
  | { readonly kind: 'estimate' }
  /** A static camera: every homography is the identity. */
  | { readonly kind: 'none' }
  /** Read from a JSON file, one per video frame, in the video's own pixels. */
  | { readonly kind: 'file'; readonly path: string };

/**
 * Parses the `--align` value: `estimate`, `none`, or anything else as a file path.
 *
 * @example
 * parseAlign('none'); // { kind: 'none' }
 * parseAlign('poses.json'); // { kind: 'file', path: 'poses.json' }
 */
export function parseAlign(value: string): AlignSpec {
  if (value === 'estimate' || value === 'none') return { kind: value };
  return { kind: 'file', path: value };
}

/**
 * `--align` as `motiondelta`'s alignment spec for a run over video frames `start .. start + count
 * - 1`, with `--align <file>` read first (entries `start..` of the file, in video pixels; its
 * errors name `--align`), so that a bad file fails before any session exists.
 *
 * @example
 * ```ts
 * const spec = await alignSpecFor({ kind: 'file', path: 'poses.json' }, 100, 30); // { homographies: [...30 entries] }
 * ```
 */
export async function alignSpecFor(spec: AlignSpec, start: number, count: number): Promise<VideoAlignSpec> {
  if (spec.kind === 'file') return { homographies: await readHomographyFile(spec.path, start, count) };
  return spec.kind;
}

/**
 * What `FrameAlignment.label` says for `--align`: `estimate`, `none`, or `given` for a file.
 *
 * @example
 * alignLabel({ kind: 'file', path: 'poses.json' }); // 'given'
 */
export function alignLabel(spec: AlignSpec): string {
  return spec.kind === 'file' ? 'given' : spec.kind;
}

/**
 * The alignment of a run over video frames `start .. start + count - 1`: `motiondelta`'s
 * `createFrameAlignment` of {@link alignSpecFor}.
 *
 * @example
 * ```ts
 * const alignment = await alignmentFor({ kind: 'file', path: 'poses.json' }, geometry, 100, 30);
 * ```
 */
export async function alignmentFor(spec: AlignSpec, geometry: InputGeometry, start: number, count: number): Promise<FrameAlignment> {
  return createFrameAlignment(await alignSpecFor(spec, start, count), geometry);
}
