export { ReferenceBackend } from './reference-backend.js';
export { applyActivation } from './activation.js';
