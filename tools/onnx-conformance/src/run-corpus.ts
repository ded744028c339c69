import { ensureData } from '@motiondelta/data';
import { listBackendTests } from './corpus.js';
import { CONFORMANCE_BACKENDS, runBackendTest, type CaseReport, type ConformanceBackend } from './run-case.js';

/** Options of {@link runCorpus}. */
export interface CorpusRunOptions {
  readonly backends?: readonly ConformanceBackend[];
  /** Only tests whose `<suite>/<name>` matches. */
  readonly filter?: RegExp;
  /** Called after each test, for progress. */
  readonly onCase?: (report: CaseReport, done: number, total: number) => void;
}

/**
 * Fetches the corpus (the `onnx-backend-tests` data item) if needed and runs every test, one
 * after another (the models are tiny; order keeps reports stable).
 */
export async function runCorpus(options: CorpusRunOptions = {}): Promise<CaseReport[]> {
  const { dir } = await ensureData('onnx-backend-tests');
  const tests = (await listBackendTests(dir)).filter((t) => options.filter?.test(`${t.suite}/${t.name}`) ?? true);
  const reports: CaseReport[] = [];
  for (const test of tests) {
    reports.push(await runBackendTest(test, options.backends ?? CONFORMANCE_BACKENDS));
    options.onCase?.(reports.at(-1)!, reports.length, tests.length);
  }
  return reports;
}
