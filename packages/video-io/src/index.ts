export type { CropRect, Frame, RgbImage, Size, ToolOptions, VideoInfo } from './types.js';
export type { ProbeVideoOptions } from './probe-video.js';
export { probeVideo } from './probe-video.js';
export type { FrameLimitOptions } from './frame-limits.js';
export {
  DEFAULT_MAX_FRAME_BYTES,
  MAX_FRAME_BYTES_ENV,
  MAX_FRAME_SIDE,
  checkRequestedFrame,
  frameByteLimit,
  rgbFrameBytes,
} from './frame-limits.js';
export { killToolProcesses, runningToolProcesses } from './tool-processes.js';
export type { OpenVideoOptions, VideoReader } from './open-video.js';
export { openVideo } from './open-video.js';
export type { RawFrameFormat, RawFrameStream, SourceKind, VideoSourceInput } from './source-kind.js';
export { URL_SCHEMES, classifySource } from './source-kind.js';
export type { PrepareVideoSourceOptions, PreparedVideoSource } from './video-source.js';
export { DEFAULT_NETWORK_TIMEOUT_SECONDS, PIPE_PROBE_BYTES, openVideoSource, prepareVideoSource, sourceInputArgs } from './video-source.js';
export type { ReadImageOptions } from './read-image.js';
export { readImage } from './read-image.js';
export type { FrameToTensorOptions } from './frame-to-tensor.js';
export { IMAGENET_MEAN, IMAGENET_STD, frameToTensor } from './frame-to-tensor.js';
export type { FrameSink } from './raw-frame-sink.js';
export type { VideoWriterOptions } from './video-writer.js';
export { createVideoWriter } from './video-writer.js';
export type { PngSequenceOptions } from './png-writer.js';
export { writePng, writePngSequence } from './png-writer.js';
export type { CameraPath } from './synthetic/camera-path.js';
export { assertCameraPath, cameraPathHomography } from './synthetic/camera-path.js';
export type { MovingObject, ObjectFill } from './synthetic/moving-object.js';
export type { SensorNoise } from './synthetic/sensor-noise.js';
export type { SyntheticClip, SyntheticClipOptions } from './synthetic/synthetic-clip.js';
export { createSyntheticClip } from './synthetic/synthetic-clip.js';
