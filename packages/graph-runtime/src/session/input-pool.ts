import type { ValueInfo } from '../ir/graph.js';
import { copyInputs, readInputs, type CopiedInputs, type InputView } from '../executor/validate-inputs.js';
import { callerInputs, toSessionView } from './caller-layout.js';

/**
 * How many spare copies of one input a session keeps for reuse. A caller that awaits each frame
 * needs one; one that keeps a frame queued while it prepares the next needs two. More frames in
 * flight than that allocate, and their copies are dropped when they settle.
 */
const SPARES = 2;

/**
 * Session-owned copies of the caller's input frames. `run()` copies each input here synchronously,
 * before it queues the frame: the caller may then reuse, change, transfer or detach its buffer at
 * once, and no kernel (native ones run on other threads) ever reads memory the caller controls.
 * Copies go back to the pool when their frame settles and are reused by later frames of the same
 * size, so a stream of frames allocates nothing per frame once it runs.
 */
export class InputPool {
  /** The inputs as the caller passes them (NCHW where `layout: 'model'` and the file says so). */
  readonly #expected: readonly ValueInfo[];
  readonly #layout: 'nhwc' | 'model';
  readonly #transposed: ReadonlySet<string>;
  readonly #spare = new Map<string, Float32Array[]>();

  constructor(expected: readonly ValueInfo[], layout: 'nhwc' | 'model' = 'nhwc') {
    this.#layout = layout;
    this.#transposed = new Set(layout === 'model' ? expected.filter((i) => i.transposedFrom === 'nchw').map((i) => i.name) : []);
    this.#expected = layout === 'model' ? callerInputs(expected) : expected;
  }

  /**
   * Validates `inputs` (structure, shapes, finite values) and copies them into pooled arrays.
   * `check` adds a mode's own checks of the views before anything is copied.
   * @throws ShapeError or InputError, having kept nothing.
   */
  admit(inputs: unknown, check?: (views: readonly InputView[]) => void): CopiedInputs {
    const given = readInputs(this.#expected, inputs, this.#layout === 'model' ? 'model' : 'NHWC');
    // Sessions run NHWC: a caller's NCHW image is transposed here, before the mode sees its shape.
    const views = this.#transposed.size === 0 ? given : given.map((v) => (this.#transposed.has(v.name) ? toSessionView(v) : v));
    check?.(views);
    const taken: [string, Float32Array][] = [];
    try {
      return copyInputs(views, (name, length) => {
        const copy = this.#take(name, length);
        taken.push([name, copy]);
        return copy;
      });
    } catch (error) {
      // A NaN found while copying: the copies taken so far go back.
      for (const [name, copy] of taken) this.#give(name, copy);
      throw error;
    }
  }

  /** Gives a settled frame's copies back for reuse. The frame must not be read afterwards. */
  release(frame: CopiedInputs): void {
    for (const [name, t] of Object.entries(frame.tensors)) this.#give(name, t.data);
  }

  /** Bytes of spare copies held for reuse. */
  get spareBytes(): number {
    let bytes = 0;
    for (const list of this.#spare.values()) for (const a of list) bytes += a.byteLength;
    return bytes;
  }

  #take(name: string, length: number): Float32Array {
    const list = this.#spare.get(name);
    const reuse = list?.pop();
    if (reuse && reuse.length === length) return reuse;
    // Another size: the stream changed shape, and spares of the old size would only hold memory.
    if (list) list.length = 0;
    return new Float32Array(length);
  }

  #give(name: string, copy: Float32Array): void {
    let list = this.#spare.get(name);
    if (!list) this.#spare.set(name, (list = []));
    if (list.length > 0 && list[0]!.length !== copy.length) return;
    if (list.length < SPARES) list.push(copy);
  }
}
