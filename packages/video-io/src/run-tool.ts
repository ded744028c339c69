import { spawn } from 'node:child_process';
import type { ToolName } from './ffmpeg-tools.js';
import { StderrTail, toolMissingError, toolPath } from './ffmpeg-tools.js';
import { trackToolProcess } from './tool-processes.js';
import type { ToolOptions } from './types.js';

export interface ToolResult {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/**
 * Runs ffmpeg or ffprobe to completion, with `input` on its stdin (else no stdin). Resolves
 * whatever the exit code (callers word their own error); rejects with VideoError only when the
 * binary cannot be started.
 *
 * @example
 * const { code, stdout } = await runTool('ffprobe', ['-version'], {});
 */
export function runTool(tool: ToolName, args: readonly string[], options: ToolOptions, input?: readonly Buffer[]): Promise<ToolResult> {
  const path = toolPath(tool, options);
  return new Promise((resolve, reject) => {
    const child = spawn(path, args, { stdio: [input ? 'pipe' : 'ignore', 'pipe', 'pipe'] });
    trackToolProcess(child);
    if (input && child.stdin) {
      // EPIPE when the tool stops reading early (ffprobe has seen enough): not an error.
      child.stdin.on('error', () => undefined);
      for (const chunk of input) child.stdin.write(chunk);
      child.stdin.end();
    }
    const out: Buffer[] = [];
    const err = new StderrTail();
    child.stdout!.on('data', (chunk: Buffer) => out.push(chunk));
    child.stderr!.on('data', (chunk: Buffer) => err.push(chunk));
    child.on('error', (error) => reject(toolMissingError(tool, path, error)));
    child.on('close', (code) => resolve({ code, stdout: Buffer.concat(out).toString('utf8'), stderr: err.toString() }));
  });
}
