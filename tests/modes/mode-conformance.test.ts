import { ReferenceBackend } from '@motiondelta/graph-runtime';
import { createCpuNativeBackend } from '@motiondelta/sparse-kernels-cpu';
import { defineBlockConformance } from './define-block-conformance.js';
import { defineModeConformance } from './define-mode-conformance.js';

// Every backend passes the mode-level tier; the reference backend first, as the baseline.
defineModeConformance('reference', () => new ReferenceBackend());
defineBlockConformance('reference', () => new ReferenceBackend(), { tolerance: 0 });

// cpu-native must be built here (setup builds it; CI fails rather than skipping if it is not).
defineModeConformance('cpu-native', () => createCpuNativeBackend({ threads: 2, fallback: new ReferenceBackend() }));
// cpu-native compiles block programs, tiles steps included, into one native call per frame.
defineBlockConformance('cpu-native', () => createCpuNativeBackend({ threads: 2, fallback: new ReferenceBackend() }), {
  programs: 'native',
});
