import { VideoError } from '@motiondelta/core';
import type { ChildProcessByStdio } from 'node:child_process';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import type { Readable, Writable } from 'node:stream';
import { StderrTail, toolMissingError, toolPath } from './ffmpeg-tools.js';
import { trackToolProcess } from './tool-processes.js';
import type { RgbImage, Size, ToolOptions } from './types.js';
import { checkFrameBytes } from './validate-options.js';

/** Receives RGB frames one by one and writes them out through ffmpeg. */
export interface FrameSink {
  /** Frames accepted so far. */
  readonly framesWritten: number;
  /** Queues one HWC rgb24 frame; resolves once ffmpeg can take more (stdin backpressure). */
  write(frame: Uint8Array | RgbImage): Promise<void>;
  /** Ends the input and waits for ffmpeg to finish the file; rejects with VideoError if it failed. */
  close(): Promise<void>;
}

interface Exit {
  readonly code: number | null;
  readonly spawnError?: unknown;
}

/**
 * ffmpeg arguments around the raw stdin input: `inputArgs` describe it, `outputArgs` the file
 * (which must name it as a `file:` URL, see `ffmpegFileUrl`).
 */
export interface SinkArgs {
  readonly inputArgs: readonly string[];
  readonly outputArgs: readonly string[];
}

/**
 * Starts ffmpeg reading raw rgb24 frames of `size` from stdin and writing `target`.
 * Shared by the video, PNG and PNG-sequence writers.
 */
export function openRawFrameSink(size: Size, sinkArgs: SinkArgs, target: string, options: ToolOptions): FrameSink {
  const binary = toolPath('ffmpeg', options);
  const args = [
    '-hide_banner',
    '-v',
    'error',
    '-y',
    '-f',
    'rawvideo',
    '-pix_fmt',
    'rgb24',
    '-s',
    `${size.width}x${size.height}`,
    ...sinkArgs.inputArgs,
    '-i',
    'pipe:0',
    ...sinkArgs.outputArgs,
  ];
  const child: ChildProcessByStdio<Writable, null, Readable> = spawn(binary, args, { stdio: ['pipe', 'ignore', 'pipe'] });
  trackToolProcess(child);
  const stderr = new StderrTail();
  child.stderr.on('data', (chunk: Buffer) => stderr.push(chunk));
  // EPIPE when ffmpeg dies early; the exit code and stderr explain why, so report those instead.
  child.stdin.on('error', () => undefined);
  const exited = new Promise<Exit>((resolve) => {
    child.on('error', (spawnError) => resolve({ code: null, spawnError }));
    child.on('close', (code) => resolve({ code }));
  });
  let framesWritten = 0;
  let closed = false;

  const failure = (exit: Exit): VideoError => {
    if (exit.spawnError !== undefined) return toolMissingError('ffmpeg', binary, exit.spawnError);
    return new VideoError(
      `ffmpeg could not write '${target}' (exit code ${exit.code}` +
        `${exit.code === 0 ? ', stopped before all frames were written' : ''}): ${stderr.toString() || 'no details'}`,
    );
  };

  return {
    get framesWritten() {
      return framesWritten;
    },
    async write(frame) {
      if (closed) throw new VideoError(`cannot write to '${target}' after close().`);
      const data = frame instanceof Uint8Array ? frame : frame.data;
      checkFrameBytes(data, size);
      if (child.stdin.destroyed || child.exitCode !== null) throw failure(await exited);
      framesWritten += 1;
      if (!child.stdin.write(data)) {
        // Wait for the pipe to drain, unless ffmpeg exits first (then 'drain' never comes).
        const outcome = await Promise.race([once(child.stdin, 'drain').then(() => undefined), exited]);
        if (outcome !== undefined) throw failure(outcome);
      }
    },
    async close() {
      if (closed) return;
      closed = true;
      child.stdin.end();
      const exit = await exited;
      if (exit.code !== 0 || exit.spawnError !== undefined) throw failure(exit);
    },
  };
}
