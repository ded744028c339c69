import { writeSync } from 'node:fs';
import type { Rng } from '@motiondelta/core';
import { checkCase, FuzzFailure, type FuzzCase, type Outcome, type RunBudget } from './check-model.js';
import { caseIndices, caseRng, replayHint, type FuzzSettings } from './fuzz-settings.js';

/**
 * A case slower than this fails the test. Generous (a mutated model may be slow to plan or run),
 * it catches quadratic blow-ups; a real infinite loop never returns, and is found with
 * MOTIONDELTA_FUZZ_TRACE=1.
 */
const CASE_BUDGET_MS = 60_000;

/**
 * Runs the cases of one fuzz target and returns how many ended each way. The first failing case
 * throws, naming the seed, the case number and how to replay it.
 */
export async function runFuzz(
  target: string,
  settings: FuzzSettings,
  budget: RunBudget,
  makeCase: (rng: Rng, index: number) => FuzzCase,
): Promise<Map<Outcome, number>> {
  const counts = new Map<Outcome, number>();
  for (const index of caseIndices(settings)) {
    const rng = caseRng(settings.seed, index);
    const fuzzCase = makeCase(rng, index);
    const where = `${target} fuzz case ${index} (seed ${settings.seed}; replay with ${replayHint(settings, index)}): ${fuzzCase.description}`;
    if (settings.trace) writeSync(2, `${where}\n`);
    const started = performance.now();
    let outcome: Outcome;
    try {
      outcome = await checkCase(
        fuzzCase,
        rng,
        budget,
        settings.trace ? (detail) => writeSync(2, `  -> ${detail.slice(0, 300)}\n`) : undefined,
      );
    } catch (error) {
      if (error instanceof FuzzFailure) throw new Error(`${where}: ${error.message}`, { cause: error });
      throw new Error(`${where}: the harness failed: ${String(error)}`, { cause: error });
    }
    const elapsed = performance.now() - started;
    if (elapsed > CASE_BUDGET_MS)
      throw new Error(`${where}: took ${Math.round(elapsed)} ms, over the ${CASE_BUDGET_MS} ms budget of one case`);
    if (settings.trace) writeSync(2, `  => ${outcome} in ${Math.round(elapsed)} ms\n`);
    counts.set(outcome, (counts.get(outcome) ?? 0) + 1);
  }
  return counts;
}

/** `ran: 120, refused at load: 60, ...` for the test log. */
export function formatCounts(counts: ReadonlyMap<Outcome, number>): string {
  return [...counts].map(([outcome, n]) => `${outcome}: ${n}`).join(', ');
}
