import type { DenseKernelCall, Tensor } from '@motiondelta/core';
import type { Graph } from '../ir/graph.js';
import { dropIdentities } from './drop-identities.js';
import { foldBatchNorm } from './fold-batch-norm.js';
import { foldConstants } from './fold-constants.js';
import { fuseActivations } from './fuse-activations.js';

/** What `simplifyGraph` may do; every pass is on by default. */
export interface SimplifyOptions {
  readonly foldConstants?: boolean;
  readonly foldBatchNorm?: boolean;
  readonly fuseActivations?: boolean;
  readonly dropIdentities?: boolean;
}

/**
 * Rewrites an imported graph into the smaller equivalent graph that every mode executes:
 * constants folded, identities dropped, BatchNorm folded into convolutions, activations fused
 * into their producers. Order matters: folding first exposes Conv->BatchNorm pairs that exporters
 * separate with identities or constant arithmetic.
 */
export function simplifyGraph(graph: Graph, backend: { runDense(call: DenseKernelCall): Tensor }, options: SimplifyOptions = {}): Graph {
  let g = graph;
  if (options.foldConstants !== false) g = foldConstants(g, backend);
  if (options.dropIdentities !== false) g = dropIdentities(g);
  if (options.foldBatchNorm !== false) g = foldBatchNorm(g);
  if (options.fuseActivations !== false) g = fuseActivations(g);
  return g;
}
