import { OptionError } from '@motiondelta/core';
import type { Graph } from '../ir/graph.js';
import type { SessionOptions } from '../session/session-options.js';
import type { DeltaThresholds } from './delta-plan.js';

/**
 * The thresholds of a delta or motion session from its options: every value a finite number
 * >= 0, and per-node overrides naming nodes (or graph inputs) the model has.
 *
 * @throws OptionError naming the option and what is accepted
 */
export function resolveThresholds(graph: Graph, options: SessionOptions): DeltaThresholds {
  const check = (name: string, value: number): number => {
    if (!Number.isFinite(value) || value < 0) throw new OptionError(`${name} must be a finite number >= 0, got ${value}.`);
    return value;
  };
  const node = check('threshold', options.threshold ?? 0);
  const input = check('inputThreshold', options.inputThreshold ?? node);
  const perNode = options.nodeThresholds ?? {};
  const known = new Set([...graph.nodes.map((n) => n.name), ...graph.inputs.map((i) => i.name)]);
  for (const [name, value] of Object.entries(perNode)) {
    if (!known.has(name)) {
      throw new OptionError(
        `nodeThresholds names '${name}', which is no node or input of this model; see model.graph.nodes for the names.`,
      );
    }
    check(`nodeThresholds['${name}']`, value);
  }
  return { node, input, perNode };
}
