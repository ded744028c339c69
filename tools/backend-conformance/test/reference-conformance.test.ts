import { ReferenceBackend } from '@motiondelta/reference-backend';
import { defineBackendConformance } from '../src/index.js';
import { AsyncReferenceBackend } from './async-reference.js';

// The oracle against itself: proves every case is well-formed (shapes, attributes, planted
// decisions) and that the comparison tolerates nothing it should not need to.
defineBackendConformance({ name: 'reference', create: async () => new ReferenceBackend() });

// The same kernels behind promises, as a native backend returns them.
defineBackendConformance({ name: 'async-reference', create: async () => new AsyncReferenceBackend() });
