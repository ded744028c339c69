import { spawn } from 'node:child_process';

/** How much of a failed command's stderr an error message keeps. */
const STDERR_TAIL_CHARS = 1500;

/** A child process that could not start or exited non-zero. Internal: callers wrap it in DataError. */
export class CommandFailure extends Error {
  readonly command: string;
  readonly stderrTail: string;
  readonly exitCode: number | null;
  constructor(command: string, exitCode: number | null, stderrTail: string, cause?: unknown) {
    const how = exitCode === null ? 'could not start' : `exited with code ${exitCode}`;
    super(`\`${command}\` ${how}${stderrTail ? `:\n${stderrTail}` : ''}`, { cause });
    this.name = 'CommandFailure';
    this.command = command;
    this.exitCode = exitCode;
    this.stderrTail = stderrTail;
  }
}

export interface CommandResult {
  readonly stdout: string;
  readonly stderr: string;
}

export interface RunOptions {
  readonly cwd?: string;
}

/** Quotes an argument only when a shell would need it, so messages can be pasted into a terminal. */
function shellQuote(arg: string): string {
  return /^[\w@%+=:,./~-]+$/.test(arg) ? arg : `'${arg.replaceAll("'", "'\\''")}'`;
}

/** The command line as a person would type it. */
export function formatCommand(file: string, args: readonly string[]): string {
  return [file, ...args].map(shellQuote).join(' ');
}

function tail(text: string): string {
  const trimmed = text.trim();
  return trimmed.length > STDERR_TAIL_CHARS ? `...${trimmed.slice(-STDERR_TAIL_CHARS)}` : trimmed;
}

/**
 * Runs a command without a shell and resolves with its output, or rejects with a CommandFailure
 * that carries the command line and the tail of its stderr.
 *
 * @example
 * const { stdout } = await runCommand('npm', ['--version']);
 */
export function runCommand(file: string, args: readonly string[], options: RunOptions = {}): Promise<CommandResult> {
  const command = formatCommand(file, args);
  return new Promise((resolve, reject) => {
    const child = spawn(file, args, { cwd: options.cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (chunk: Buffer) => out.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => err.push(chunk));
    child.on('error', (error) => reject(new CommandFailure(command, null, error.message, error)));
    child.on('close', (code) => {
      const stdout = Buffer.concat(out).toString('utf8');
      const stderr = Buffer.concat(err).toString('utf8');
      if (code === 0) resolve({ stdout, stderr });
      else reject(new CommandFailure(command, code, tail(stderr || stdout)));
    });
  });
}

/**
 * Runs `producer | consumer` without a shell; fails if either side fails (like `set -o pipefail`).
 *
 * @example
 * await runPipe(['dpkg-deb', ['--fsys-tarfile', 'x.deb']], ['tar', ['-x', '-C', 'out']]);
 */
export function runPipe(
  producer: readonly [string, readonly string[]],
  consumer: readonly [string, readonly string[]],
  options: RunOptions = {},
): Promise<void> {
  const command = `${formatCommand(...producer)} | ${formatCommand(...consumer)}`;
  return new Promise((resolve, reject) => {
    const left = spawn(producer[0], producer[1], { cwd: options.cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    const right = spawn(consumer[0], consumer[1], { cwd: options.cwd, stdio: ['pipe', 'ignore', 'pipe'] });
    const err: Buffer[] = [];
    left.stderr.on('data', (chunk: Buffer) => err.push(chunk));
    right.stderr.on('data', (chunk: Buffer) => err.push(chunk));
    left.stdout.pipe(right.stdin);
    // The consumer may exit early (EPIPE on its stdin); its exit code tells the real story.
    right.stdin.on('error', () => undefined);
    let failed = false;
    const fail = (code: number | null, message?: string): void => {
      if (failed) return;
      failed = true;
      left.kill();
      right.kill();
      reject(new CommandFailure(command, code, tail(message ?? Buffer.concat(err).toString('utf8'))));
    };
    left.on('error', (error) => fail(null, error.message));
    right.on('error', (error) => fail(null, error.message));
    let pending = 2;
    const done = (code: number | null): void => {
      if (code !== 0) fail(code);
      else if (--pending === 0 && !failed) resolve();
    };
    left.on('close', done);
    right.on('close', done);
  });
}
