import type { DenseKernelCall, Tensor } from '@motiondelta/core';
import type { Graph } from '../ir/graph.js';
import { dropIdentities } from './drop-identities.js';
import { foldBatchNorm } from './fold-batch-norm.js';
import { foldConstants } from './fold-constants.js';
import { foldConvAffine } from './fold-conv-affine.js';
import { fuseActivations } from './fuse-activations.js';
import { fuseHardSwish } from './fuse-hard-swish.js';

/** What `simplifyGraph` may do; every pass is on by default. */
export interface SimplifyOptions {
  readonly foldConstants?: boolean;
  readonly foldBatchNorm?: boolean;
  readonly fuseActivations?: boolean;
  readonly dropIdentities?: boolean;
  /** Fold constant scales and shifts after convolutions into their weights and bias. */
  readonly foldConvAffine?: boolean;
  /** Rewrite `x * clip(x + 3, 0, 6) / 6` into one hard-swish activation. */
  readonly fuseHardSwish?: boolean;
}

/**
 * Rewrites an imported graph into the smaller equivalent graph that every mode executes:
 * constants folded, identities dropped, BatchNorm and constant scales/shifts folded into
 * convolutions, activations fused into their producers, written-out hard-swish recognised.
 * Order matters: folding first exposes Conv->BatchNorm pairs that exporters separate with
 * identities or constant arithmetic; hard-swish is recognised after its clip was fused into the
 * `+ 3`, and activations are fused again so the new hard-swish can join its producer.
 */
export function simplifyGraph(graph: Graph, backend: { runDense(call: DenseKernelCall): Tensor }, options: SimplifyOptions = {}): Graph {
  let g = graph;
  if (options.foldConstants !== false) g = foldConstants(g, backend);
  if (options.dropIdentities !== false) g = dropIdentities(g);
  if (options.foldBatchNorm !== false) g = foldBatchNorm(g);
  if (options.foldConvAffine !== false) g = foldConvAffine(g);
  if (options.fuseActivations !== false) g = fuseActivations(g);
  if (options.fuseHardSwish !== false) g = fuseHardSwish(g);
  if (options.fuseActivations !== false) g = fuseActivations(g);
  return g;
}
