import { OptionError } from '@motiondelta/core';
import { Readable } from 'node:stream';

/**
 * URL schemes ffmpeg may be pointed at, each with the protocols it may open underneath
 * (ffmpeg's `-protocol_whitelist`): a playlist or a redirect can never make it read a local file
 * (`file:`), run a subprocess or open anything else. HLS playlists over HTTP(S) use `crypto` for
 * encrypted segments; RTSP may tunnel over HTTP and carries its media over RTP/UDP or TCP.
 */
export const URL_SCHEMES: Readonly<Record<string, readonly string[]>> = {
  http: ['http', 'https', 'tcp', 'tls', 'crypto'],
  https: ['http', 'https', 'tcp', 'tls', 'crypto'],
  rtsp: ['rtsp', 'rtsps', 'rtp', 'srtp', 'udp', 'tcp', 'tls', 'http', 'https'],
  rtsps: ['rtsp', 'rtsps', 'rtp', 'srtp', 'udp', 'tcp', 'tls', 'http', 'https'],
  rtmp: ['rtmp', 'rtmps', 'tcp', 'tls'],
  rtmps: ['rtmp', 'rtmps', 'tcp', 'tls'],
  srt: ['srt'],
  udp: ['udp', 'rtp'],
};

/** A V4L2 capture device path (`/dev/video0`, ...): opened with ffmpeg's `-f v4l2`. */
const V4L2_DEVICE = /^\/dev\/video\d{1,3}$/;

/** Raw frames on a stream: rgb24 (HWC, 3 bytes per pixel), one frame after the other, no header. */
export interface RawFrameFormat {
  readonly format: 'rgb24';
  readonly width: number;
  readonly height: number;
  /** Frames per second, for timestamps; default 0 (timestamps are then 0). */
  readonly fps?: number;
}

/** A stream of raw rgb24 frames: a Readable, or `'-'` for the process's stdin. */
export interface RawFrameStream extends RawFrameFormat {
  readonly stream: Readable | '-';
}

/**
 * A video source `openVideoSource` reads:
 * - a local file path (any name: it reaches ffmpeg as a `file:` URL; a name that starts with a
 *   URL scheme, such as `rtsp:x.mp4`, is read as a URL: write `./rtsp:x.mp4` for the file);
 * - a URL, as a string or a `URL`, with one of the schemes of {@link URL_SCHEMES} (`http`,
 *   `https`, `rtsp`, `rtsps`, `rtmp`, `rtmps`, `srt`, `udp`);
 * - `'-'`, the process's stdin, or a Node `Readable`: encoded video (a container ffmpeg can read
 *   from a pipe: AVI, MPEG-TS, MPEG-PS, Matroska/WebM, fragmented MP4, ...);
 * - `{ stream, format: 'rgb24', width, height }`: raw rgb24 frames on stdin (`'-'`) or a Readable;
 * - a V4L2 capture device, `/dev/video0` to `/dev/video999`.
 */
export type VideoSourceInput = string | URL | Readable | RawFrameStream;

/** A source, classified. */
export type SourceKind =
  | { readonly kind: 'file'; readonly path: string }
  | { readonly kind: 'url'; readonly url: string; readonly scheme: string; readonly label: string }
  | { readonly kind: 'pipe'; readonly stream: Readable; readonly label: string; readonly raw?: RawFrameFormat }
  | { readonly kind: 'device'; readonly path: string };

/** A URL as messages show it: no password, no query (tokens travel there). */
export function redactUrl(url: URL): string {
  const user = url.username ? `${url.username}:***@` : '';
  return `${url.protocol}//${user}${url.host}${url.pathname}${url.search ? '?...' : ''}`;
}

const accepted = `http(s)://, rtsp(s)://, rtmp(s)://, srt:// or udp:// URLs`;

function parseUrl(text: string): SourceKind {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new OptionError(
      `'${text.slice(0, 200)}' looks like a URL but does not parse as one; accepted sources: ${accepted}, '-', a file or a /dev/videoN device.`,
    );
  }
  const scheme = url.protocol.slice(0, -1).toLowerCase();
  if (!Object.hasOwn(URL_SCHEMES, scheme)) {
    throw new OptionError(
      `URL scheme '${scheme}:' is not accepted as a video source; accepted: ${accepted}. ` +
        `A local file is given by its path (write './${text.slice(0, 100)}' for a file whose name starts with '${scheme}:').`,
    );
  }
  if (url.hostname === '' && scheme !== 'udp') throw new OptionError(`URL '${redactUrl(url)}' names no host; accepted: ${accepted}.`);
  return { kind: 'url', url: url.href, scheme, label: `'${redactUrl(url)}'` };
}

/** Throws OptionError unless `raw` describes rgb24 frames of a usable size. */
function checkRaw(raw: RawFrameStream): RawFrameFormat {
  if (raw.format !== 'rgb24') {
    throw new OptionError(`raw frames must be { format: 'rgb24', width, height }, got format ${JSON.stringify(raw.format)}.`);
  }
  const fps = raw.fps ?? 0;
  if (!(Number.isFinite(fps) && fps >= 0)) throw new OptionError(`raw frames: fps must be a number >= 0, got ${String(raw.fps)}.`);
  return { format: 'rgb24', width: raw.width, height: raw.height, fps };
}

/**
 * What kind of source `source` is (see {@link VideoSourceInput}).
 *
 * @throws OptionError for a URL with another scheme (`file:`, `pipe:`, `concat:`, `data:`, ...),
 *   one that does not parse, or a raw stream description that is not rgb24
 *
 * @example
 * classifySource('rtsp://cam.local/stream'); // { kind: 'url', scheme: 'rtsp', ... }
 * classifySource('-'); // { kind: 'pipe', stream: process.stdin, label: 'stdin' }
 * classifySource('/dev/video0'); // { kind: 'device', path: '/dev/video0' }
 */
export function classifySource(source: VideoSourceInput): SourceKind {
  if (source instanceof URL) return parseUrl(source.href);
  if (source instanceof Readable) return { kind: 'pipe', stream: source, label: 'the input stream' };
  if (typeof source === 'object' && source !== null && 'stream' in source) {
    const raw = checkRaw(source);
    if (source.stream === '-') return { kind: 'pipe', stream: process.stdin, label: 'stdin', raw };
    if (!(source.stream instanceof Readable)) {
      throw new OptionError(`raw frames: stream must be a Readable or '-' (stdin), got ${typeof source.stream}.`);
    }
    return { kind: 'pipe', stream: source.stream, label: 'the input stream', raw };
  }
  if (typeof source !== 'string' || source === '') {
    throw new OptionError(
      `a video source is a file path, a URL (${accepted}), '-' (stdin), a Readable, { stream, format: 'rgb24', width, height } or a /dev/videoN device; got ${source === '' ? 'an empty string' : typeof source}.`,
    );
  }
  if (source === '-') return { kind: 'pipe', stream: process.stdin, label: 'stdin' };
  if (V4L2_DEVICE.test(source)) return { kind: 'device', path: source };
  // Two letters at least before the colon, so that no one-letter prefix is taken for a scheme.
  if (/^[a-z][a-z0-9+.-]+:/i.test(source)) return parseUrl(source);
  return { kind: 'file', path: source };
}
