import { VideoError } from '@motiondelta/core';
import type { ToolOptions } from './types.js';

export type ToolName = 'ffmpeg' | 'ffprobe';

/** How much of ffmpeg's stderr an error message keeps. */
const STDERR_TAIL_CHARS = 2000;

/**
 * The binary to run for `tool`: the option, else the environment variable, else the name on PATH.
 *
 * @example
 * toolPath('ffprobe', {}); // 'ffprobe' unless MOTIONDELTA_FFPROBE is set
 */
export function toolPath(tool: ToolName, options: ToolOptions): string {
  if (tool === 'ffmpeg') return options.ffmpegPath ?? process.env['MOTIONDELTA_FFMPEG'] ?? 'ffmpeg';
  return options.ffprobePath ?? process.env['MOTIONDELTA_FFPROBE'] ?? 'ffprobe';
}

/** The error for a binary that cannot be started, with the ways to fix it. */
export function toolMissingError(tool: ToolName, path: string, cause: unknown): VideoError {
  const variable = tool === 'ffmpeg' ? 'MOTIONDELTA_FFMPEG' : 'MOTIONDELTA_FFPROBE';
  return new VideoError(
    `${tool} could not be started from '${path}' (${(cause as Error)?.message ?? String(cause)}). ` +
      `Install it with \`apt-get install ffmpeg\`, or point ${variable} (or the ${tool}Path option) at the binary.`,
    { cause },
  );
}

/** Keeps the last few kilobytes of a stream, for error messages; never grows without bound. */
export class StderrTail {
  private text = '';
  push(chunk: Buffer | string): void {
    this.text += chunk.toString();
    if (this.text.length > 2 * STDERR_TAIL_CHARS) this.text = this.text.slice(-STDERR_TAIL_CHARS);
  }
  toString(): string {
    const trimmed = this.text.trim();
    return trimmed.length > STDERR_TAIL_CHARS ? `...${trimmed.slice(-STDERR_TAIL_CHARS)}` : trimmed;
  }
}
