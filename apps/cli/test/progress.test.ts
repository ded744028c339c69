import { describe, expect, it } from 'vitest';
import { createProgress } from '../src/progress-reporter.js';
import type { FrameRecord } from '../src/run-summary.js';

const rec = (index: number): FrameRecord => ({
  index,
  ms: 250,
  denseMs: 500,
  macs: 1,
  denseMacs: 1,
  activeFraction: 1,
  psnr: Infinity,
  maxAbsError: 0,
  exact: true,
});

describe('progress output', () => {
  it('is one plain line per frame, with no cursor codes, when the stream is not a TTY', () => {
    let text = '';
    const progress = createProgress({ write: (s: string) => (text += s), isTTY: false }, 'delta');
    progress.frame(rec(10), 1, 2);
    progress.frame(rec(11), 2, 2);
    progress.stop();
    expect(text).toBe(
      'frame 1/2 (index 10): delta 4.00 fps, dense reference 2.00 fps\nframe 2/2 (index 11): delta 4.00 fps, dense reference 2.00 fps\n',
    );
    expect(text.includes('\r') || text.includes('\u001b')).toBe(false);
  });
});
