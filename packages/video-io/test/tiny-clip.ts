import { execFileSync } from 'node:child_process';
import { chmodSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Writes a small real video with ffmpeg's deterministic `testsrc` pattern (MPEG-4 part 2 in AVI,
 * which stores its frame count) and returns its path.
 */
export function writeTinyClip(path: string, width: number, height: number, frames: number): string {
  execFileSync('ffmpeg', [
    '-nostdin',
    '-v',
    'error',
    '-y',
    '-f',
    'lavfi',
    '-i',
    `testsrc=size=${width}x${height}:rate=5`,
    '-frames:v',
    String(frames),
    '-c:v',
    'mpeg4',
    '-f',
    'avi',
    `file:${path}`,
  ]);
  return path;
}

/**
 * A stand-in for ffmpeg or ffprobe: appends its arguments (one JSON array per line) to `log`,
 * then runs `then` (a shell command line; `"$@"` holds the arguments). Lets a test see exactly
 * what the package passed, or stand in for a decoder that hangs.
 */
export function writeToolWrapper(dir: string, name: string, log: string, then: string): string {
  const script = join(dir, name);
  writeFileSync(
    script,
    `#!/bin/sh\nnode -e 'process.stdout.write(JSON.stringify(process.argv.slice(1)) + "\\n")' -- "$@" >> '${log}'\n${then}\n`,
  );
  chmodSync(script, 0o755);
  return script;
}

/** The argument lists a wrapper from {@link writeToolWrapper} logged, in call order. */
export function loggedCalls(log: string): string[][] {
  let text = '';
  try {
    text = readFileSync(log, 'utf8');
  } catch {
    return [];
  }
  return text
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => JSON.parse(line) as string[]);
}
