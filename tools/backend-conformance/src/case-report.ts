import type { CaseResult } from './types.js';

/** One comparison: its size as a fraction of its tolerance (<= 1 passes; Infinity for a structural mismatch). */
interface Check {
  readonly what: string;
  readonly ratio: number;
  readonly detail: string;
}

/**
 * Collects the comparisons of one case and turns them into a CaseResult. Checks keep going after
 * a failure so that the report shows everything that differs, not only the first thing.
 */
export class CaseReport {
  private readonly checks: Check[] = [];
  private thrown: unknown = undefined;

  /** Records a comparison whose error is `ratio` times its tolerance. */
  add(what: string, ratio: number, detail: string): void {
    this.checks.push({ what, ratio: Number.isNaN(ratio) ? Infinity : ratio, detail });
  }

  /** Records a structural mismatch (shape, mask, count) or, with ok = true, a structural match. */
  expect(what: string, ok: boolean, detail: string): void {
    this.add(what, ok ? 0 : Infinity, detail);
  }

  /** Records an error thrown by a kernel or by the case itself. */
  fail(error: unknown): void {
    this.thrown = error;
  }

  result(): CaseResult {
    const details = this.checks.map((c) => `${c.ratio <= 1 ? 'ok  ' : 'FAIL'} ${c.what}: ${c.detail}`);
    if (this.thrown !== undefined) {
      const e = this.thrown;
      const text = e instanceof Error ? `${e.name}: ${e.message}` : String(e);
      if (e instanceof Error && e.stack) details.push(e.stack);
      return { ok: false, worstError: Infinity, message: `threw ${text}`, details };
    }
    let worst = 0;
    let firstFailure: Check | undefined;
    for (const c of this.checks) {
      worst = Math.max(worst, c.ratio);
      if (c.ratio > 1 && firstFailure === undefined) firstFailure = c;
    }
    if (firstFailure !== undefined) {
      const failures = this.checks.filter((c) => c.ratio > 1).length;
      return {
        ok: false,
        worstError: worst,
        message: `${failures} of ${this.checks.length} checks failed; first: ${firstFailure.what}: ${firstFailure.detail}`,
        details,
      };
    }
    return {
      ok: true,
      worstError: worst,
      message: `${this.checks.length} checks within tolerance (worst at ${worst.toPrecision(3)} of its tolerance)`,
      details,
    };
  }
}

/** Runs a case body, turning a throw into a failed check. */
export async function runChecked(body: (report: CaseReport) => Promise<void>): Promise<CaseResult> {
  const report = new CaseReport();
  try {
    await body(report);
  } catch (error) {
    report.fail(error);
  }
  return report.result();
}
