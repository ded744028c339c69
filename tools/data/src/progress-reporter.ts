import cliProgress from 'cli-progress';
import type { ProgressEvent } from './data-api.js';

/** Shows `ensureAll` progress: a bar on a terminal, one plain line per step elsewhere (CI logs). */
export interface ProgressReporter {
  readonly onProgress: (event: ProgressEvent) => void;
  /** Prints a note without tearing the bar. */
  readonly log: (message: string) => void;
  readonly stop: () => void;
}

/**
 * Picks the bar or plain lines depending on whether `stream` is a TTY.
 *
 * @example
 * const reporter = createProgressReporter(process.stderr);
 * await ensureAll(undefined, { onProgress: reporter.onProgress, onLog: reporter.log });
 * reporter.stop();
 */
export function createProgressReporter(stream: NodeJS.WriteStream): ProgressReporter {
  if (!stream.isTTY) {
    return {
      onProgress: (event) => {
        const verb = event.phase === 'start' ? 'checking' : event.phase === 'done' ? 'ready' : 'FAILED';
        stream.write(`[${event.done}/${event.total}] ${verb} ${event.id}\n`);
      },
      log: (message) => stream.write(`note: ${message}\n`),
      stop: () => undefined,
    };
  }
  const bar = new cliProgress.SingleBar(
    { format: 'data [{bar}] {value}/{total} {current}', stream, hideCursor: true, clearOnComplete: false },
    cliProgress.Presets.shades_classic,
  );
  let started = false;
  const active = new Set<string>();
  return {
    onProgress: (event) => {
      if (!started) {
        bar.start(event.total, 0, { current: '' });
        started = true;
      }
      if (event.phase === 'start') active.add(event.id);
      else active.delete(event.id);
      bar.update(event.done, { current: [...active].join(', ') });
    },
    log: (message) => {
      // cli-progress redraws on the current line; a newline first keeps the note readable.
      stream.write(`\nnote: ${message}\n`);
    },
    stop: () => {
      if (started) bar.stop();
    },
  };
}
