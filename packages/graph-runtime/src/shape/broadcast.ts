// Numpy broadcasting of shapes is defined once, in core.
export { broadcastShapes, broadcastStrides } from '@motiondelta/core';
