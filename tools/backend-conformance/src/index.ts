export { conformanceCases } from './conformance-cases.js';
export { defineBackendConformance, type BackendConformanceOptions } from './define-backend-conformance.js';
export { caseRng, conformanceSeed, rerunHint } from './seed.js';
export { DENSE_TOLERANCE, STATE_TOLERANCE, statefulOutputTolerance, type Tolerance } from './tolerance.js';
export { ALL_PATTERNS, GARBAGE, patternPixels, type ChangePattern } from './change-patterns.js';
export { conv2dAttrs, type ConvConfig } from './dense-conv-cases.js';
export type { CaseKind, CaseResult, ConformanceCase } from './types.js';
