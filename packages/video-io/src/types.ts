/** An RGB image in memory: `data` is height*width*3 bytes, row-major, channels last (HWC). */
export interface RgbImage {
  readonly width: number;
  readonly height: number;
  readonly data: Uint8Array;
}

/** One decoded video frame. */
export interface Frame extends RgbImage {
  /** Index of the frame in the file (the first frame of the file is 0, whatever `start` was). */
  readonly index: number;
  /** Seconds from the start of the file: `index / fps`. */
  readonly timestamp: number;
}

/** Where to find ffmpeg and ffprobe; default `MOTIONDELTA_FFMPEG` / `MOTIONDELTA_FFPROBE`, then PATH. */
export interface ToolOptions {
  readonly ffmpegPath?: string;
  readonly ffprobePath?: string;
}

export interface Size {
  readonly width: number;
  readonly height: number;
}

export interface CropRect extends Size {
  readonly x: number;
  readonly y: number;
}

export interface VideoInfo {
  readonly width: number;
  readonly height: number;
  readonly fps: number;
  readonly frameCount: number;
  readonly codec: string;
  readonly durationSeconds: number;
}
