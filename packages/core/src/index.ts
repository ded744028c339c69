export * from './errors.js';
export * from './rng.js';
export * from './tensor.js';
export * from './ops.js';
export * from './backend.js';
export * from './maybe-promise.js';
export * from './delta.js';
export * from './resize-taps.js';
