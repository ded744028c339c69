/**
 * Runs tasks one after another. Sessions hold per-stream state that kernels update while a frame
 * is in flight (possibly on native threads), so a second `run()` issued before the first settles
 * must wait for it instead of interleaving with it.
 */
export class SerialQueue {
  #tail: Promise<unknown> = Promise.resolve();

  /** Starts `task` once every earlier task has settled; its result or error is the caller's. */
  run<T>(task: () => Promise<T>): Promise<T> {
    const result = this.#tail.then(task, task);
    // The queue only needs to know when a task settled, not how: a failed frame must not stall it.
    this.#tail = result.catch(() => undefined);
    return result;
  }
}
