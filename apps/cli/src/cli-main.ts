import { CommanderError } from 'commander';
import { MotionDeltaError, OptionError, ProfileMismatchError } from '@motiondelta/core';
import type { CliIo } from './cli-io.js';
import { buildProgram } from './program.js';

/** Exit codes of the command. */
export const EXIT_OK = 0;
export const EXIT_FAILURE = 1;
export const EXIT_USAGE = 2;

/**
 * A failed file-system or process call (`ENOSPC` while writing the report, `EACCES`, ...): the
 * machine's doing, not a bug, so it gets one line and no stack trace.
 */
function isSystemError(error: unknown): error is Error & { code: string; syscall: string } {
  return (
    error instanceof Error &&
    typeof (error as { code?: unknown }).code === 'string' &&
    typeof (error as { syscall?: unknown }).syscall === 'string'
  );
}

/**
 * Runs the command line `argv` (without the node and script paths) and returns the exit code.
 * Expected errors print one line without a stack trace: bad options and arguments exit 2, other
 * MotionDelta errors (a missing ffmpeg, a corrupt model, a size over a limit) and failed system
 * calls (a full disk) exit 1. Only a bug shows a stack.
 *
 * @example
 * process.exitCode = await runCli(process.argv.slice(2), { stdout: process.stdout, stderr: process.stderr });
 */
export async function runCli(argv: readonly string[], io: CliIo): Promise<number> {
  try {
    await buildProgram(io).parseAsync([...argv], { from: 'user' });
    return EXIT_OK;
  } catch (error) {
    // Commander has already printed its own message (or the help).
    if (error instanceof CommanderError) return error.exitCode === 0 ? EXIT_OK : EXIT_USAGE;
    // A profile made for another model or size is a wrong argument too.
    if (OptionError.isInstance(error) || ProfileMismatchError.isInstance(error)) {
      io.stderr.write(`motiondelta: ${error.message}\n`);
      return EXIT_USAGE;
    }
    if (MotionDeltaError.isInstance(error)) {
      io.stderr.write(`motiondelta: ${error.name}: ${error.message}\n`);
      return EXIT_FAILURE;
    }
    if (isSystemError(error)) {
      io.stderr.write(`motiondelta: ${error.message}\n`);
      return EXIT_FAILURE;
    }
    io.stderr.write(
      `motiondelta: unexpected error (please report it):\n${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
    );
    return EXIT_FAILURE;
  }
}
