import cliProgress from 'cli-progress';
import type { FrameRecord } from './run-summary.js';

/** Where progress goes: a stream, and whether it is a terminal. */
export interface ProgressStream {
  write(text: string): unknown;
  readonly isTTY?: boolean;
}

/** Receives one call per frame and one at the end. */
export interface ProgressReporter {
  frame(record: FrameRecord, done: number, total: number): void;
  stop(): void;
}

/** Motion mode: keyframes and failed alignments, which explain slow frames. */
function motionNote(r: FrameRecord): string {
  const m = r.motion;
  if (!m) return '';
  const parts = [`offset ${m.offset.y},${m.offset.x}`];
  if (m.keyframeReason !== undefined) parts.push(`keyframe (${m.keyframeReason})`);
  if (m.alignFailure !== undefined) parts.push(`alignment failed: ${m.alignFailure}`);
  return `; ${parts.join(', ')}`;
}

function fps(ms: number): string {
  return ms > 0 ? (1000 / ms).toFixed(2) : '-';
}

/**
 * A redrawn bar on a terminal; on anything else (CI logs, pipes, files) one plain line per frame,
 * because carriage-return redraws turn into unreadable noise there.
 */
export function createProgress(stream: ProgressStream, mode: string): ProgressReporter {
  if (!stream.isTTY) {
    return {
      frame: (r, done, total) => {
        stream.write(
          `frame ${done}/${total} (index ${r.index}): ${mode} ${fps(r.ms)} fps, dense reference ${fps(r.denseMs)} fps${motionNote(r)}\n`,
        );
      },
      stop: () => undefined,
    };
  }
  const bar = new cliProgress.SingleBar(
    {
      // cli-progress writes to this stream itself; it wants a real TTY stream.
      stream: stream as NodeJS.WriteStream,
      format: `frames {value}/{total} |{bar}| ${mode} {fps} fps, dense reference {denseFps} fps`,
      hideCursor: true,
      clearOnComplete: false,
    },
    cliProgress.Presets.shades_classic,
  );
  let started = false;
  return {
    frame: (r, done, total) => {
      if (!started) {
        bar.start(total, 0, { fps: '-', denseFps: '-' });
        started = true;
      }
      bar.update(done, { fps: fps(r.ms), denseFps: fps(r.denseMs) });
    },
    stop: () => {
      if (started) bar.stop();
    },
  };
}
