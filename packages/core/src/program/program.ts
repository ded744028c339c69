import type { Shape } from '../tensor.js';
import type { Step, ValueId } from './steps.js';

/**
 * What a value holds: a dense tensor (any rank; NHWC for feature maps), or a delta (an NHWC frame
 * difference: values, a per-pixel mask and an active list, valid only at active pixels).
 */
export type ValueKind = 'tensor' | 'delta';

/**
 * How long a value lives, which decides who provides its storage:
 * - `input`: a frame input, copied in by `run()`.
 * - `constant`: a weight or constant operand, given to `compile()` once (a backend packs or
 *   uploads it there).
 * - `frame`: produced and consumed within one run of an entry; a backend may give values whose
 *   lifetimes do not overlap the same storage.
 * - `stream`: state kept between frames (references, accumulators, last emitted outputs); written
 *   by the keyframe entry, updated in place by frame entries.
 */
export type Lifetime = 'input' | 'constant' | 'frame' | 'stream';

/** One value of a program. */
export interface ValueDecl {
  /** The graph value (or constant) it stands for, with a suffix for state (`conv1#acc`): for messages. */
  readonly name: string;
  readonly kind: ValueKind;
  readonly shape: Shape;
  readonly lifetime: Lifetime;
}

/**
 * The entries of a program. A session runs `keyframe` on a stream's first frame (and whenever it
 * must rebuild its state) and `frame` on the others; a mode without state (dense) has only a
 * keyframe. Both entries share the program's values, so what the keyframe leaves in `stream`
 * values is what the next frame starts from.
 */
export type EntryName = 'keyframe' | 'frame';

/**
 * A mode's plan for one input shape, lowered to typed steps over numbered values: what a backend
 * compiles once and then runs a whole frame at a time, with no reads of its storage by the host
 * between steps. Steps of an entry run in order; a step may read a value only after something
 * (an input, a constant, an earlier step, or for `stream` values any earlier frame) wrote it.
 *
 * @example
 * ```ts
 * import type { Program } from '@motiondelta/core';
 * // y = relu(conv(x, w)), densely.
 * const program: Program = {
 *   values: [
 *     { name: 'x', kind: 'tensor', shape: [1, 8, 8, 3], lifetime: 'input' },
 *     { name: 'w', kind: 'tensor', shape: [3, 3, 3, 4], lifetime: 'constant' },
 *     { name: 'y', kind: 'tensor', shape: [1, 8, 8, 4], lifetime: 'frame' },
 *   ],
 *   inputs: [{ name: 'x', value: 0 }],
 *   outputs: [{ name: 'y', value: 2 }],
 *   entries: {
 *     keyframe: [{
 *       kind: 'dense', node: 'conv', inputs: [0, 1, null], output: 2,
 *       call: { op: 'Conv2D', attrs: { kernel: [3, 3], strides: [1, 1], dilations: [1, 1], pads: [1, 1, 1, 1], autoPad: 'explicit', groups: 1, activation: { kind: 'relu' } } },
 *     }],
 *   },
 * };
 * ```
 */
export interface Program {
  readonly values: readonly ValueDecl[];
  /** Frame inputs by graph input name (values of lifetime `input`). */
  readonly inputs: readonly ProgramPort[];
  /** Frame outputs by graph output name: tensors read once the entry has run. */
  readonly outputs: readonly ProgramPort[];
  readonly entries: { readonly keyframe: readonly Step[]; readonly frame?: readonly Step[] };
}

/** A named frame input or output of a program. */
export interface ProgramPort {
  readonly name: string;
  readonly value: ValueId;
}
