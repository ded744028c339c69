import { OptionError, type Backend, type BlockPolicy } from '@motiondelta/core';
import type { SessionOptions } from '@motiondelta/graph-runtime';
import { createPolicy, type BlockPolicyName, type BlockPolicyOptions } from './block-policies.js';

/**
 * Session options as the `motiondelta` package takes them: graph-runtime's, except that block
 * mode's `policy` may be a name, made with `targetRate`, `seed` and `policyOptions`.
 */
export interface MotionDeltaSessionOptions extends Omit<SessionOptions, 'policy'> {
  /**
   * Block mode (required): a policy name (`'rl'`, `'threshold'`, `'random'`, `'all'`, `'none'`,
   * made by `createPolicy` with `targetRate`, `seed` and `policyOptions`) or a policy object.
   */
  readonly policy?: BlockPolicyName | BlockPolicy;
  /** Block mode: seed of a policy given by name. */
  readonly seed?: number;
  /** Block mode: what else a policy given by name takes (`gain`, `quantum`, `weights`, `rl`...). */
  readonly policyOptions?: Omit<BlockPolicyOptions, 'targetRate' | 'seed'>;
}

/**
 * The options graph-runtime's `createSession` takes: in block mode a policy name becomes its
 * policy object, made once here for `Model.createSession` and `createVideoSession` alike. The
 * `rl` policy's forward pass runs on the session's backends when they are given by id (instances
 * belong to the session, which disposes them), else on the default ones. Throws OptionError for an
 * unknown policy name (listing the accepted ones) or block options outside block mode.
 *
 * @example
 * ```ts
 * import { resolveSessionOptions } from 'motiondelta';
 * const options = resolveSessionOptions({ mode: 'block', policy: 'random', targetRate: 0.4, seed: 1 });
 * console.log(options.policy?.name); // 'random'
 * ```
 */
export function resolveSessionOptions(options: MotionDeltaSessionOptions): SessionOptions {
  const { policy, seed, policyOptions, ...rest } = options;
  if (options.mode !== 'block') {
    const stray = (['policy', 'seed', 'policyOptions'] as const).find((k) => options[k] !== undefined);
    if (stray !== undefined)
      throw new OptionError(`${stray} applies to block mode only (mode is '${options.mode ?? 'dense'}'); pass mode: 'block'.`);
    return rest;
  }
  if (policy === undefined || typeof policy === 'object') return policy === undefined ? rest : { ...rest, policy: createPolicy(policy) };
  const byId = backendIds(options.backend);
  const made = createPolicy(policy, {
    ...policyOptions,
    ...(options.targetRate !== undefined && { targetRate: options.targetRate }),
    ...(seed !== undefined && { seed }),
    ...(policy === 'rl' && byId !== undefined && { rl: { backend: byId, ...policyOptions?.rl } }),
  });
  return { ...rest, policy: made };
}

/** The session's backend preference when it names backends by id only; undefined otherwise. */
function backendIds(backend: SessionOptions['backend']): readonly string[] | undefined {
  if (backend === undefined) return undefined;
  const list: readonly (string | Backend)[] =
    typeof backend === 'string' || !Array.isArray(backend) ? [backend as string | Backend] : backend;
  return list.every((b): b is string => typeof b === 'string') ? list : undefined;
}
