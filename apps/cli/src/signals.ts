import { constants } from 'node:os';
import { killToolProcesses } from '@motiondelta/video-io';
import type { CliIo } from './cli-io.js';

/** Signals that end the command: Ctrl-C, `kill`, a closed terminal. */
const STOP_SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;

/**
 * Makes SIGINT, SIGTERM and SIGHUP stop the command at once and cleanly: every ffmpeg and ffprobe
 * it started is killed (a decoder that is skipping frames writes nothing, so it would not notice
 * its reader is gone and would keep decoding), a one-line note goes to stderr, and the signal is
 * raised again with its default action, so the parent sees the command ended by that signal
 * (a shell reports 130 for SIGINT) and a script's loop stops. No report is written. Returns a
 * function that removes the handlers. Only the binary installs this, never `runCli`, so a program
 * embedding the command keeps its own signal handling.
 *
 * @example
 * stopOnSignals(io);
 * process.exitCode = await runCli(process.argv.slice(2), io);
 */
export function stopOnSignals(io: Pick<CliIo, 'stderr'>): () => void {
  const remove = (): void => {
    for (const signal of STOP_SIGNALS) process.off(signal, onSignal);
  };
  function onSignal(signal: NodeJS.Signals): void {
    const killed = killToolProcesses();
    io.stderr.write(
      `\nmotiondelta: interrupted by ${signal}${killed > 0 ? ` (stopped ${killed} ffmpeg process${killed === 1 ? '' : 'es'})` : ''}; no report written.\n`,
    );
    // Without a listener Node restores the default action: raising the signal again ends the
    // process the way the signal would have, exit status included.
    remove();
    process.kill(process.pid, signal);
    // Only reached if the default action did not end the process (an ignored signal).
    process.exit(128 + (constants.signals[signal] ?? 0));
  }
  for (const signal of STOP_SIGNALS) process.on(signal, onSignal);
  return remove;
}
