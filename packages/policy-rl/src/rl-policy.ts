import {
  OptionError,
  ResourceLimitError,
  ShapeError,
  createRng,
  type Backend,
  type BlockDecision,
  type BlockFeedback,
  type BlockGrid,
  type BlockPolicy,
  type BlockPolicyFrame,
  type Rng,
} from '@motiondelta/core';
import { chooseBackend, defaultBackends, type Graph } from '@motiondelta/graph-runtime';
import { checkFrame, checkMask } from './check-frame.js';
import { ExecutedFrameMemory } from './executed-frame-memory.js';
import { checkGainPool, gainPerBlock, type GainPool } from './gain-per-block.js';
import { checkGainKind, informationGain, type GainKind } from './information-gain.js';
import { checkArchitecture, DEFAULT_ARCHITECTURE, inputChannels, type PolicyArchitecture } from './net/architecture.js';
import { initWeights, type PolicyWeights } from './net/init-weights.js';
import { outputFeatures } from './net/output-features.js';
import { buildPolicyGraph } from './net/policy-graph.js';
import { buildPolicyInput } from './net/policy-input.js';
import { graphLogits, trainingLogits, type PolicyInput } from './net/policy-logits.js';
import { reinforceGradients, type ReinforceSample } from './net/reinforce-gradients.js';
import { RmsProp } from './net/rmsprop.js';
import { resolveRate, type RateOptions } from './policy-options.js';
import { roundUpExecuted } from './round-up-executed.js';
import { decodePolicyWeights, encodePolicyWeights } from './weights-file.js';

/** Options of {@link RlPolicy}. Defaults are BlockCopy's. */
export interface RlPolicyOptions extends RateOptions {
  /** How the model's output is read for rewards and as network input (see {@link GainKind}); `generic` by default. */
  readonly gain?: GainKind;
  /** How output pixels' gains make a block's (see {@link GainPool}); `max` by default, as BlockCopy. */
  readonly gainPool?: GainPool;
  /** The network; {@link DEFAULT_ARCHITECTURE} (BlockCopy's) by default. Ignored by {@link RlPolicy.load}, which reads it from the file. */
  readonly architecture?: Partial<PolicyArchitecture>;
  /** Train online (default true); false keeps the weights fixed. */
  readonly train?: boolean;
  /** RMSprop learning rate, 1e-4. */
  readonly learningRate?: number;
  /** RMSprop weight decay, 1e-3. */
  readonly weightDecay?: number;
  /**
   * Weight of the information gain in the reward, after the gain is divided by its running mean
   * over executed blocks; 0.01 by default. BlockCopy adds raw KL values, whose natural scale
   * (hundredths of a nat) keeps the rate term in charge; the other kinds have other scales, so
   * every kind is normalised and weighted. The weight bounds how far the rate can drift above the
   * target when more blocks change than the target allows: about sqrt(weight * gain / gamma),
   * 0.06 for a block of twice the mean gain.
   */
  readonly gainWeight?: number;
  /** gamma, the weight of the rate reward against the information gain, 5. */
  readonly gamma?: number;
  /** Frames per training step, 4 (their samples form one batch). */
  readonly stepEvery?: number;
  /** Momentum of the running execution rate, 0.9. */
  readonly rateMomentum?: number;
  /**
   * Where the forward pass of `decide` runs: `graph` (default) builds the network as a MotionDelta
   * graph and runs it densely on `backend`; `training` runs it on the training network's own
   * forward pass (plain TypeScript, the same values to float rounding).
   */
  readonly inference?: 'graph' | 'training';
  /**
   * Backend of the `graph` forward pass: an instance, a registered id, or ids and instances in
   * order of preference (the first that initialises wins, as a session's `backend`). Default: the
   * registered default backends (`defaultBackends()`), so with the `motiondelta` package the native
   * CPU backend where its addon is built, the reference backend otherwise. The reference backend
   * accumulates in float64 and took 2.4 s per forward of BlockCopy's network on a 96x128 input.
   */
  readonly backend?: Backend | string | readonly (string | Backend)[];
}

/** What the policy has done so far, for reports. */
export interface RlPolicyStats {
  readonly trainingSteps: number;
  /** The running execution rate the rate reward uses (undefined before the first frame). */
  readonly runningRate: number | undefined;
  /** Loss of the last training step (undefined before the first). */
  readonly lastLoss: number | undefined;
}

interface PendingFrame {
  readonly input: Float32Array;
  readonly shape: readonly number[];
  readonly grid: BlockGrid;
  readonly execute: Uint8Array;
  /** The network input, when the network decided (not on a first frame). */
  readonly policyInput?: PolicyInput;
}

/**
 * BlockCopy's policy: a small ResNet looks at the frame, the last executed frame per block, the
 * previous output and the previous decisions, and gives each block a probability of executing;
 * decisions are seeded Bernoulli draws, their count rounded up to the quantum. It learns online
 * without labels (REINFORCE, one sample, no baseline): executed blocks are rewarded by the
 * information gain of their output (normalised, see `gainWeight`) plus
 * gamma * -(rate - target)|rate - target| for the running execution rate, copied blocks by the
 * opposite of that rate term; one RMSprop step every `stepEvery` frames. The first frame (no previous output) executes everything.
 *
 * @example
 * ```ts
 * import { RlPolicy } from '@motiondelta/policy-rl';
 * const policy = new RlPolicy({ targetRate: 0.4, seed: 7, gain: 'softmax' });
 * // Block mode calls policy.decide(frame) before and policy.observe(feedback) after each frame.
 * const bytes = policy.save(); // later: RlPolicy.load(bytes, { targetRate: 0.4 })
 * ```
 */
export class RlPolicy implements BlockPolicy {
  readonly name = 'rl';
  readonly architecture: PolicyArchitecture;
  readonly targetRate: number;
  readonly gain: GainKind;
  private readonly options: Required<Omit<RlPolicyOptions, 'architecture' | 'targetRate' | 'gain' | 'backend' | 'seed'>> & { seed: number };
  private readonly backendPreference: readonly (string | Backend)[];
  /** The forward backend, chosen at the first forward pass (choosing may load a native addon). */
  private backend: Promise<Backend> | undefined;
  private readonly weightsByName: PolicyWeights;
  private readonly optimizer: RmsProp;
  private readonly memory = new ExecutedFrameMemory();
  private rng: Rng;
  private graph: Graph | undefined;
  private pending: PendingFrame | undefined;
  private samples: ReinforceSample[] = [];
  private runningRate: number | undefined;
  private runningGain: number | undefined;
  private frameScale: number | undefined;
  private trainingSteps: number;
  private lastLoss: number | undefined;

  constructor(options: RlPolicyOptions, loaded?: { architecture: PolicyArchitecture; weights: PolicyWeights; trainedSteps: number }) {
    const rate = resolveRate(options, 'rl');
    this.targetRate = rate.targetRate;
    this.gain = checkGainKind(options.gain ?? 'generic');
    const positive = (name: string, v: number | undefined, fallback: number, integer = false): number => {
      const x = v ?? fallback;
      if (typeof x !== 'number' || !Number.isFinite(x) || x < 0 || (integer && (!Number.isInteger(x) || x < 1))) {
        throw new OptionError(`rl: ${name} must be a ${integer ? 'positive integer' : 'finite number >= 0'}; got ${String(v)}.`);
      }
      return x;
    };
    const momentum = positive('rateMomentum', options.rateMomentum, 0.9);
    if (momentum >= 1) throw new OptionError(`rl: rateMomentum must be in [0, 1); got ${momentum}.`);
    const inference = options.inference ?? 'graph';
    if (inference !== 'graph' && inference !== 'training')
      throw new OptionError(`rl: inference must be 'graph' or 'training'; got ${String(inference)}.`);
    this.options = {
      quantum: rate.quantum,
      seed: rate.seed,
      gainPool: checkGainPool(options.gainPool ?? 'max'),
      train: options.train ?? true,
      learningRate: positive('learningRate', options.learningRate, 1e-4),
      weightDecay: positive('weightDecay', options.weightDecay, 1e-3),
      gamma: positive('gamma', options.gamma, 5),
      gainWeight: positive('gainWeight', options.gainWeight, 0.01),
      stepEvery: positive('stepEvery', options.stepEvery, 4, true),
      rateMomentum: momentum,
      inference,
    };
    const pref = options.backend ?? defaultBackends();
    this.backendPreference =
      typeof pref === 'string' || !Array.isArray(pref) ? [pref as string | Backend] : (pref as readonly (string | Backend)[]);
    this.rng = createRng(rate.seed);
    if (loaded) {
      this.architecture = loaded.architecture;
      this.weightsByName = loaded.weights;
      this.trainingSteps = loaded.trainedSteps;
    } else {
      this.architecture = checkArchitecture({ ...DEFAULT_ARCHITECTURE, ...options.architecture }, 'rl: architecture');
      // Weights take a seed of their own so that sampling and initialisation never share a stream.
      this.weightsByName = initWeights(this.architecture, (rate.seed ^ 0x5bd1e995) >>> 0, this.targetRate);
      this.trainingSteps = 0;
    }
    this.optimizer = new RmsProp({ learningRate: this.options.learningRate, weightDecay: this.options.weightDecay });
  }

  /**
   * A policy with the weights of a file written by {@link RlPolicy.save} (its architecture comes
   * from the file), which continues to learn online unless `train` is false. Throws as
   * {@link decodePolicyWeights} does for a bad file.
   */
  static load(bytes: Uint8Array, options: Omit<RlPolicyOptions, 'architecture'>, maxBytes?: number): RlPolicy {
    return new RlPolicy(options, decodePolicyWeights(bytes, maxBytes));
  }

  /** The weights as a file (see `weights-file.ts` for the layout). */
  save(): Uint8Array {
    return encodePolicyWeights(this.architecture, this.weightsByName, this.trainingSteps);
  }

  /** A copy of the current weights by parameter name. */
  weights(): PolicyWeights {
    return new Map([...this.weightsByName].map(([k, v]) => [k, new Float32Array(v)]));
  }

  /**
   * Id of the backend the `graph` forward pass runs on; undefined before the first forward pass
   * (the backend is chosen then) and with `inference: 'training'`.
   */
  async forwardBackend(): Promise<string | undefined> {
    return this.backend === undefined ? undefined : (await this.backend).id;
  }

  get stats(): RlPolicyStats {
    return { trainingSteps: this.trainingSteps, runningRate: this.runningRate, lastLoss: this.lastLoss };
  }

  async decide(frame: BlockPolicyFrame): Promise<BlockDecision> {
    const { grid } = frame;
    const { channels } = checkFrame(this.name, frame.input, grid);
    if (channels !== this.architecture.frameChannels) {
      throw new ShapeError(
        `The 'rl' policy's network takes frames of ${this.architecture.frameChannels} channels; got ${channels}. Set architecture.frameChannels.`,
      );
    }
    if (frame.previousDecisions !== undefined) checkMask(this.name, 'previousDecisions', frame.previousDecisions, grid);
    // A frame block mode never reported back: remember it with what it says ran.
    if (this.pending !== undefined) this.remember(this.pending, frame.previousDecisions ?? this.pending.execute);
    this.frameScale ??= scaleOf(frame.input.data);
    const n = grid.rows * grid.cols;
    const input = new Float32Array(frame.input.data);
    if (frame.previousOutput === undefined || !this.memory.holds(grid, channels)) {
      const execute = new Uint8Array(n).fill(1);
      this.pending = { input, shape: frame.input.shape, grid, execute };
      return { execute, probabilities: new Float32Array(n).fill(1) };
    }
    const a = this.architecture;
    const ppb = a.pixelsPerBlock;
    checkPolicySize(a, grid, this.options.stepEvery);
    const previousDecisions = frame.previousDecisions ?? new Uint8Array(n).fill(1);
    const policyInput = buildPolicyInput(a, grid, {
      frame: input,
      executedFrame: this.memory.pixels,
      frameScale: this.frameScale,
      outputFeatures: outputFeatures(
        frame.previousOutput,
        this.gain,
        a.outputChannels,
        grid.height,
        grid.width,
        grid.rows * ppb,
        grid.cols * ppb,
        grid.blockSize / ppb,
      ),
      previousDecisions,
    });
    const logits = await this.logits(policyInput);
    const probabilities = new Float32Array(n);
    const execute = new Uint8Array(n);
    for (let i = 0; i < n; i++) {
      probabilities[i] = 1 / (1 + Math.exp(-logits[i]!));
      execute[i] = this.rng.next() < probabilities[i]! ? 1 : 0;
    }
    roundUpExecuted(execute, this.options.quantum, this.rng);
    this.pending = { input, shape: frame.input.shape, grid, execute, policyInput };
    return { execute, probabilities };
  }

  async observe(feedback: BlockFeedback): Promise<void> {
    checkMask(this.name, 'feedback', feedback.executed, feedback.grid);
    const pending = this.pending;
    if (pending === undefined) return;
    // The frame ran on the grid it was decided for: anything else would index the wrong blocks.
    checkMask(this.name, 'feedback for the grid it decided', feedback.executed, pending.grid);
    const executed = feedback.executed;
    let count = 0;
    for (const v of executed) count += v;
    const used = count / executed.length;
    const m = this.options.rateMomentum;
    this.runningRate = this.runningRate === undefined ? used : m * this.runningRate + (1 - m) * used;
    this.remember(pending, executed);
    if (!this.options.train || pending.policyInput === undefined || feedback.previousOutput === undefined) return;
    const gains = gainPerBlock(informationGain(this.gain, feedback.output, feedback.previousOutput), feedback.grid, this.options.gainPool);
    const scale = this.gainScale(gains, executed);
    const deviation = this.runningRate - this.targetRate;
    const rateReward = -this.options.gamma * deviation * Math.abs(deviation);
    const rewards = new Float32Array(executed.length);
    // BlockCopy's sign flip: a copied block is rewarded by the opposite of what executing earned.
    for (let i = 0; i < rewards.length; i++) {
      // A non-finite output (the session rebuilds its state after one) must not poison the weights.
      const gain = Number.isFinite(gains[i]!) ? gains[i]! * scale : 0;
      rewards[i] = executed[i] ? gain + rateReward : -rateReward;
    }
    const shape = pending.policyInput.shape;
    if (this.samples.length > 0 && this.samples[0]!.shape.some((d, i) => d !== shape[i])) this.samples = [];
    this.samples.push({ input: pending.policyInput.data, shape, executed: new Uint8Array(executed), rewards });
    if (this.samples.length >= this.options.stepEvery) this.trainStep();
  }

  /** Forgets the clip (last executed frames, running rate, pending samples); weights and optimizer state stay. */
  reset(): void {
    this.memory.clear();
    this.pending = undefined;
    this.samples = [];
    this.runningRate = undefined;
    this.runningGain = undefined;
    this.frameScale = undefined;
  }

  private async logits(input: PolicyInput): Promise<Float32Array> {
    if (this.options.inference === 'training') return trainingLogits(this.architecture, this.weightsByName, input);
    this.graph ??= buildPolicyGraph(this.architecture, this.weightsByName);
    this.backend ??= chooseBackend(this.backendPreference).then((c) => c.backend);
    return graphLogits(this.graph, input, await this.backend);
  }

  private trainStep(): void {
    const { loss, grads } = reinforceGradients(this.architecture, this.weightsByName, this.samples);
    this.samples = [];
    this.optimizer.step(this.weightsByName, grads);
    // The graph holds the weight arrays themselves, updated in place; rebuilt anyway so that a
    // backend caching constants by identity sees new ones.
    this.graph = undefined;
    this.trainingSteps++;
    this.lastLoss = loss;
  }

  /** gainWeight / the running mean gain of executed blocks (momentum 0.9), after adding this frame's. */
  private gainScale(gains: Float64Array, executed: Uint8Array): number {
    let sum = 0;
    let count = 0;
    for (let i = 0; i < gains.length; i++) {
      if (executed[i]) {
        sum += gains[i]!;
        count++;
      }
    }
    if (count > 0 && Number.isFinite(sum)) {
      const mean = sum / count;
      this.runningGain = this.runningGain === undefined ? mean : 0.9 * this.runningGain + 0.1 * mean;
    }
    const m = this.runningGain ?? 0;
    // A clip with no gain yet (a static start): nothing to normalise, and nothing to reward.
    return m > 1e-12 ? this.options.gainWeight / m : 0;
  }

  private remember(pending: PendingFrame, executed: Uint8Array): void {
    this.memory.record({ data: pending.input, shape: pending.shape }, pending.grid, executed);
    this.pending = undefined;
  }
}

/** Largest network input trained on, in pixels: twice BlockCopy's Cityscapes setting (2048x1024 frames, 128-pixel blocks). */
export const MAX_POLICY_PIXELS = 2 ** 18;

/**
 * Throws ResourceLimitError, before anything is allocated, when the network input for `grid` is
 * over {@link MAX_POLICY_PIXELS}: a training step keeps every layer's activations for `stepEvery` frames.
 */
function checkPolicySize(a: PolicyArchitecture, grid: BlockGrid, stepEvery: number): void {
  const pixels = grid.rows * grid.cols * a.pixelsPerBlock ** 2;
  if (pixels <= MAX_POLICY_PIXELS) return;
  // About the input and seven activations of the first width per frame, float32.
  const perPixel = (inputChannels(a) + 7 * a.widths[0]) * 4 * stepEvery;
  throw new ResourceLimitError(
    'The rl policy network',
    pixels * perPixel,
    MAX_POLICY_PIXELS * perPixel,
    `a ${grid.rows}x${grid.cols} grid at ${a.pixelsPerBlock} pixels per block is a ${grid.rows * a.pixelsPerBlock}x${grid.cols * a.pixelsPerBlock} input; use larger blocks or architecture.pixelsPerBlock 16 or 8.`,
  );
}

/** 1 / the largest magnitude of the first frame, so that frame values reach about [-1, 1] (1 for a black frame). */
function scaleOf(data: Float32Array): number {
  let m = 0;
  for (const v of data) m = Math.max(m, Math.abs(v));
  return m > 0 ? 1 / m : 1;
}
