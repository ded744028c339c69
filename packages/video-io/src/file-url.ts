import { resolve } from 'node:path';

/**
 * The `file:` URL ffmpeg and ffprobe are given for a local path, never the bare path: a bare name
 * is read as an option when it starts with `-` (`-report` would turn logging on, `-version` would
 * print and exit) and as a protocol when it has a scheme-like prefix (`pipe:0`, `http://...`,
 * `concat:a|b`, `subfile,,...`). ffmpeg's file protocol strips `file:` and opens the rest
 * verbatim (no percent-decoding), so the absolute path needs no escaping: spaces, `:`, `|`, `;`,
 * `$`, quotes and newlines all reach open(2) as they are. Nothing here goes through a shell.
 *
 * @example
 * ffmpegFileUrl('-report'); // 'file:/current/dir/-report'
 * ffmpegFileUrl('/videos/a|b.avi'); // 'file:/videos/a|b.avi'
 */
export function ffmpegFileUrl(path: string): string {
  return `file:${resolve(path)}`;
}
