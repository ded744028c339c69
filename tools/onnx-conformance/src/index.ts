export { listBackendTests, readBackendTest, SUITES, type BackendTestCase, type BackendTestFiles, type Suite } from './corpus.js';
export { compareValues, TOLERANCE, type Mismatch } from './compare-outputs.js';
export { FAMILY_NAMES, opFamily } from './op-family.js';
export { allFloat32, outOfScopeReason, SCOPE_REASONS, type ScopeReason } from './scope.js';
export {
  CONFORMANCE_BACKENDS,
  outcomeOfError,
  runBackendTest,
  type CaseReport,
  type ConformanceBackend,
  type Outcome,
} from './run-case.js';
export { familyTable, gapsTable, scopeTable, summaryLine } from './tables.js';
export { runCorpus, type CorpusRunOptions } from './run-corpus.js';
