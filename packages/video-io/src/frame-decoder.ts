import { VideoError } from '@motiondelta/core';
import type { ChildProcessByStdio } from 'node:child_process';
import { spawn } from 'node:child_process';
import type { Readable, Writable } from 'node:stream';
import { StderrTail, toolMissingError } from './ffmpeg-tools.js';
import { trackToolProcess } from './tool-processes.js';
import type { Frame, Size } from './types.js';

/** What ffmpeg is fed on its stdin: nothing, or a stream (after bytes already read from it). */
export interface DecoderInput {
  /** Bytes taken from `stream` before ffmpeg started (to probe it), written first. */
  readonly prefix: readonly Buffer[];
  /** The rest; `undefined` when `prefix` already holds all of it. Never ended or destroyed here. */
  readonly stream: Readable | undefined;
}

/** How to run one decoder and word its errors. */
export interface DecoderPlan {
  readonly binary: string;
  /** Every ffmpeg argument; the output must be raw rgb24 frames of `frameSize` on `pipe:1`. */
  readonly args: readonly string[];
  /** The source as messages name it: `'clip.mp4'`, `stdin`, `rtsp://cam/...` (no password). */
  readonly label: string;
  readonly frameSize: Size;
  /** Index of the first frame decoded (for `Frame.index`). */
  readonly start: number;
  /** Frames per second, for timestamps (0 when unknown: timestamps are then 0). */
  readonly fps: number;
  /** Frames the source says follow `start` (`Infinity` when it does not say): fewer mean truncation. */
  readonly expected: number;
  /**
   * Stop (and kill ffmpeg) after this many frames, without waiting for it to end: a live stream
   * never ends by itself. `undefined`: read to the end of the stream.
   */
  readonly stopAfter: number | undefined;
  /** Fed to ffmpeg's stdin, when the source is a pipe. */
  readonly input?: DecoderInput;
}

/** Decoded frames; iterate once. `stop()` kills ffmpeg and waits for it. */
export interface FrameDecoder {
  readonly frames: AsyncGenerator<Frame>;
  stop(): Promise<void>;
}

type Decoder = ChildProcessByStdio<Writable, Readable, Readable>;

interface Exit {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly spawnError?: unknown;
}

/**
 * Starts ffmpeg with `plan.args` and turns its raw rgb24 output into frames. Breaking out of the
 * loop, `stop()`, or an error all stop ffmpeg (SIGKILL) and wait until it has exited, so no child
 * outlives its reader; a pipe source is unpiped from ffmpeg's stdin, never ended or destroyed (it
 * belongs to the caller: `process.stdin`, a socket).
 */
export function startFrameDecoder(plan: DecoderPlan): FrameDecoder {
  const { binary, label, frameSize, start } = plan;
  const frameBytes = frameSize.width * frameSize.height * 3;
  const input = plan.input;
  // stdin is a pipe either way (ended at once when there is no input): one child type, and an
  // ffmpeg that tried to read it would see its end rather than the parent's terminal.
  const child: Decoder = spawn(binary, [...plan.args], { stdio: ['pipe', 'pipe', 'pipe'] });
  trackToolProcess(child);
  const stderr = new StderrTail();
  child.stderr.on('data', (chunk: Buffer) => stderr.push(chunk));
  const exited = new Promise<Exit>((resolve) => {
    child.on('error', (spawnError) => resolve({ code: null, signal: null, spawnError }));
    child.on('close', (code, signal) => resolve({ code, signal }));
  });
  let inputError: Error | undefined;
  const onInputError = (error: Error): void => {
    inputError = error;
    child.kill('SIGKILL');
  };
  const stdin = child.stdin;
  // EPIPE once ffmpeg has what it needs or has died: its exit code and stderr say which.
  stdin.on('error', () => undefined);
  if (!input) stdin.end();
  else {
    for (const chunk of input.prefix) stdin.write(chunk);
    if (input.stream) {
      input.stream.once('error', onInputError);
      input.stream.pipe(stdin);
    } else stdin.end();
  }
  let closing = false;

  const stop = async (): Promise<void> => {
    closing = true;
    if (input?.stream) {
      input.stream.unpipe(stdin);
      input.stream.off('error', onInputError);
    }
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    child.stdout.destroy();
    stdin.destroy();
    await exited;
  };

  const failure = (exit: Exit, decoded: number, leftover: number): VideoError | undefined => {
    if (exit.spawnError !== undefined) return toolMissingError('ffmpeg', binary, exit.spawnError);
    if (inputError) return new VideoError(`reading ${label} failed: ${inputError.message}`, { cause: inputError });
    const details = stderr.toString();
    if (exit.code !== 0) {
      return new VideoError(`ffmpeg failed to decode ${label} (exit code ${exit.code ?? exit.signal}): ${details || 'no details'}`);
    }
    if (leftover > 0) {
      return new VideoError(`${label} ended inside a frame (${leftover} of ${frameBytes} bytes): it is truncated or corrupt. ${details}`);
    }
    if (details) return new VideoError(`ffmpeg reported decoding errors in ${label} (it is truncated or corrupt): ${details}`);
    if (Number.isFinite(plan.expected) && decoded < plan.expected) {
      return new VideoError(
        `${label} yielded ${decoded} frames from index ${start}, but it says it has ${plan.expected} more: it is truncated or corrupt.`,
      );
    }
    return undefined;
  };

  async function* decode(): AsyncGenerator<Frame> {
    let frame = new Uint8Array(frameBytes);
    let filled = 0;
    let index = start;
    try {
      try {
        for await (const chunk of child.stdout as AsyncIterable<Buffer>) {
          // Chunks ignore frame boundaries: copy each piece into the frame it belongs to.
          let offset = 0;
          while (offset < chunk.length) {
            const take = Math.min(frameBytes - filled, chunk.length - offset);
            frame.set(chunk.subarray(offset, offset + take), filled);
            filled += take;
            offset += take;
            if (filled < frameBytes) continue;
            const timestamp = plan.fps > 0 ? index / plan.fps : 0;
            yield { index, width: frameSize.width, height: frameSize.height, data: frame, timestamp };
            index += 1;
            // Enough frames: a live source would go on forever, so stop here (finally kills ffmpeg).
            if (plan.stopAfter !== undefined && index - start >= plan.stopAfter) return;
            // A fresh buffer per frame: callers may keep frames (previous-frame deltas).
            frame = new Uint8Array(frameBytes);
            filled = 0;
          }
        }
      } catch (error) {
        // stop() destroys stdout under us; that is the requested stop, not a failure.
        if (closing) return;
        throw new VideoError(`reading frames of ${label} failed: ${(error as Error).message}`, { cause: error });
      }
      const exit = await exited;
      if (closing) return;
      const error = failure(exit, index - start, filled);
      if (error) throw error;
    } finally {
      await stop();
    }
  }

  return { frames: decode(), stop };
}
