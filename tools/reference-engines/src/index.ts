export * from './onnxruntime.js';
export * from './tfjs.js';
export * from './layout.js';
export * from './nhwc-engine.js';
export * from './onnx-expose-outputs.js';
