export * from './onnxruntime.js';
export * from './tfjs.js';
