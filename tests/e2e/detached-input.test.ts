import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { loadAddon } from '@motiondelta/sparse-kernels-cpu';
import { describe, expect, it } from 'vitest';

/**
 * Issue 14, item 3, from the session side: a caller may detach (transfer) an input's ArrayBuffer
 * right after run(), or while the frame's native kernels run on worker threads, without changing
 * the frame or crashing the process: sessions copy their inputs when run() is called, so no
 * kernel ever reads memory the caller controls. SharedArrayBuffer-backed inputs work too. Each
 * mode runs in a child process (fixtures/detach-mid-frame.mjs), so that a crash shows as a signal
 * instead of taking the test runner down.
 */
const addon = loadAddon();
const child = fileURLToPath(new URL('./fixtures/detach-mid-frame.mjs', import.meta.url));

describe('inputs detached mid-frame on the cpu-native backend', () => {
  // Skipped only where the native addon is not built (it is in CI, see scripts/setup.sh); the
  // reason is printed in the skip message.
  for (const mode of ['dense', 'delta', 'motion'] as const) {
    it.skipIf(!addon.ok)(
      `${mode}: every frame is right and nothing crashes${addon.ok ? '' : ` (skipped: ${addon.reason})`}`,
      () => {
        const run = spawnSync(process.execPath, ['--expose-gc', child, mode], { encoding: 'utf8', timeout: 240_000 });
        expect(run.signal, `child killed by a signal\n${run.stderr}`).toBeNull();
        expect(run.status, run.stderr).toBe(0);
        const report = JSON.parse(run.stdout.trim().split('\n').at(-1)!) as {
          backend: string;
          frames: number;
          worst: number;
          errors: string[];
        };
        expect(report.backend).toBe('cpu-native');
        expect(report.errors).toEqual([]);
        expect(report.worst).toBeLessThanOrEqual(1e-5);
      },
      300_000,
    );
  }
});
