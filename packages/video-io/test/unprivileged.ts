import { spawnSync } from 'node:child_process';

/**
 * Runs `node args...` as a user that file permissions apply to. Root reads and writes any file
 * whatever its mode, so a permission-denied refusal can only be seen by someone else: as root (CI
 * runs as root) the child runs as `nobody` (uid and gid 65534); otherwise as the current user.
 * Paths the child touches must be readable by that user (a folder from mkdtemp is 0700: chmod it).
 */
export function nodeAsUnprivilegedUser(args: readonly string[]): { status: number | null; stdout: string; stderr: string } {
  const asRoot = process.getuid?.() === 0;
  const result = spawnSync(process.execPath, args, {
    encoding: 'utf8',
    timeout: 60_000,
    ...(asRoot ? { uid: 65534, gid: 65534 } : {}),
    // The child needs no home; as nobody it has none it could write.
    env: {
      PATH: process.env['PATH'] ?? '/usr/bin:/bin',
      ...(process.env['MOTIONDELTA_FFMPEG'] ? { MOTIONDELTA_FFMPEG: process.env['MOTIONDELTA_FFMPEG'] } : {}),
    },
  });
  if (result.error) throw result.error;
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}
