import type { ChildProcess } from 'node:child_process';

/** ffmpeg and ffprobe processes started by this package that have not exited yet. */
const running = new Set<ChildProcess>();

function killAll(): number {
  let signalled = 0;
  for (const child of running) {
    if (child.exitCode !== null || child.signalCode !== null) continue;
    // SIGKILL: a decoder's output is useless once its reader is gone, and ffmpeg may ignore or
    // defer SIGTERM while it decodes frames it was told to skip.
    if (child.kill('SIGKILL')) signalled += 1;
  }
  return signalled;
}

/**
 * `process.exit()` skips every `finally`, so readers never get to stop their decoder: this
 * listener (installed only while a tool runs) kills what is left. Without it an ffmpeg that is
 * skipping frames (`start`) writes nothing for a while, so it would not even notice the closed
 * pipe, and would keep decoding after its parent is gone.
 */
function onProcessExit(): void {
  killAll();
}

/** Records a freshly spawned tool so that {@link killToolProcesses} and process exit can stop it. */
export function trackToolProcess(child: ChildProcess): void {
  // No pid: the spawn failed; an 'error' event follows and there is nothing to kill.
  if (child.pid === undefined) return;
  running.add(child);
  if (running.size === 1) process.on('exit', onProcessExit);
  child.once('exit', () => {
    running.delete(child);
    if (running.size === 0) process.off('exit', onProcessExit);
  });
}

/**
 * Kills (SIGKILL) every ffmpeg and ffprobe this package started that is still running, and
 * returns how many were signalled. Synchronous, so a signal handler can call it right before the
 * process ends; readers whose decoder is killed this way report a VideoError if still iterated.
 * The package also does this by itself on `process.exit()`.
 *
 * @example
 * process.once('SIGINT', () => {
 *   killToolProcesses();
 *   process.exit(130);
 * });
 */
export function killToolProcesses(): number {
  return killAll();
}

/** How many tool processes are running now (for tests and diagnostics). */
export function runningToolProcesses(): number {
  return running.size;
}
