import {
  Model as GraphModel,
  loadModel as loadGraphModel,
  type BlockSession,
  type DeltaSession,
  type LoadModelOptions,
  type ModelSource,
  type MotionSession,
  type Session,
} from '@motiondelta/graph-runtime';
import { resolveSessionOptions, type MotionDeltaSessionOptions } from './block-session-options.js';

/**
 * graph-runtime's `Model`, whose `createSession` also takes block policies by name (see
 * {@link MotionDeltaSessionOptions}): `loadModel` from this package returns one.
 *
 * @example
 * ```ts
 * import { loadModel } from 'motiondelta';
 * const model = await loadModel('selfie.json');
 * const session = await model.createSession({ mode: 'block', policy: 'threshold', targetRate: 0.4, blockSize: 64 });
 * await session.run({ input: frame });
 * console.log(session.stats().frames.at(-1)?.executedFraction);
 * ```
 */
export class Model extends GraphModel {
  /** The same model (graph and fingerprint, nothing copied or simplified again) as this package's Model. */
  static async from(model: GraphModel): Promise<Model> {
    return model instanceof Model ? model : new Model(model.graph, false, await model.fingerprint());
  }

  override async createSession(options: MotionDeltaSessionOptions & { readonly mode: 'delta' }): Promise<DeltaSession>;
  override async createSession(options: MotionDeltaSessionOptions & { readonly mode: 'motion' }): Promise<MotionSession>;
  override async createSession(options: MotionDeltaSessionOptions & { readonly mode: 'block' }): Promise<BlockSession>;
  override async createSession(options?: MotionDeltaSessionOptions): Promise<Session>;
  override async createSession(options: MotionDeltaSessionOptions = {}): Promise<Session> {
    return super.createSession(resolveSessionOptions(options));
  }
}

/**
 * graph-runtime's `loadModel`, giving this package's {@link Model} (block policies by name).
 *
 * @example
 * ```ts
 * import { loadModel } from 'motiondelta';
 * const model = await loadModel('posenet.json');
 * const session = await model.createSession({ mode: 'block', policy: 'rl', targetRate: 0.4, seed: 1 });
 * ```
 */
export async function loadModel(source: ModelSource, options?: LoadModelOptions): Promise<Model> {
  return Model.from(await loadGraphModel(source, options));
}
