import { OptionError, type Backend } from '@motiondelta/core';
import type { Graph, ValueInfo } from './ir/graph.js';
import { ReferenceBackend } from './reference/index.js';
import { chooseBackend } from './session/backend-registry.js';
import { Session } from './session/session.js';
import { simplifyGraph } from './simplify/simplify-graph.js';

/** Execution modes. Only `dense` exists so far; the sparse modes arrive with their own work. */
export type SessionMode = 'dense';

/** Options of {@link Model.createSession}. */
export interface SessionOptions {
  /** Defaults to `dense`. */
  readonly mode?: SessionMode;
  /**
   * Backends in order of preference, by registered id or as instances. The first one that
   * initialises wins; the others are reported in `session.backendInfo.skipped`.
   * Defaults to `['reference']`.
   */
  readonly backend?: string | Backend | readonly (string | Backend)[];
}

const MODES: readonly string[] = ['dense'];

/** An imported, simplified model, ready to create sessions from. */
export class Model {
  /** The simplified graph every session executes. */
  readonly graph: Graph;

  constructor(graph: Graph, simplify = true) {
    this.graph = simplify ? simplifyGraph(graph, new ReferenceBackend()) : graph;
  }

  /** Graph inputs, NHWC for images; `null` marks a dimension the model leaves open. */
  get inputs(): readonly ValueInfo[] {
    return this.graph.inputs;
  }

  /** Graph outputs, NHWC for feature maps. */
  get outputs(): readonly ValueInfo[] {
    return this.graph.outputs;
  }

  /**
   * Creates an independent session (its own state and statistics) on the first usable backend.
   *
   * @example
   * ```ts
   * const session = await model.createSession({ mode: 'dense', backend: ['reference'] });
   * console.log(session.backendInfo); // { id: 'reference', skipped: [] }
   * ```
   */
  async createSession(options: SessionOptions = {}): Promise<Session> {
    const mode = options.mode ?? 'dense';
    if (!MODES.includes(mode)) {
      throw new OptionError(`Unknown mode '${String(mode)}'; available modes: ${MODES.join(', ')}.`);
    }
    const pref = options.backend ?? ['reference'];
    const list = typeof pref === 'string' || !Array.isArray(pref) ? [pref as string | Backend] : (pref as readonly (string | Backend)[]);
    const { backend, skipped } = await chooseBackend(list);
    return new Session(this.graph, backend, skipped);
  }
}
