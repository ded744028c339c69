import { BackendUnavailableError } from '@motiondelta/core';
import { SerialQueue } from './serial-queue.js';

/** A queued frame's view of whether it still belongs to the session's stream. */
export interface FrameTicket {
  /**
   * True until `reset()` or `dispose()` is called after this frame's `run()`. A frame that is no
   * longer current still computes its outputs for its caller, but must leave no state and no
   * statistics behind: the stream it belonged to is gone.
   */
  current(): boolean;
}

/**
 * The order and lifetime of a session's frames. Frames run one at a time in call order (state is
 * updated by kernels that may run on native threads, so frames must not interleave). `reset()`
 * and `dispose()` take effect at once, by generation: each frame is stamped with the generation
 * of its `run()` call, and a frame whose generation has passed leaves nothing behind, so a frame
 * in flight (a keyframe installing its state, say) can never bring back what `reset()` cleared.
 * `dispose()` releases the backend only once the frame in flight has settled, so a kernel is never
 * pulled from under a running frame; frames queued behind it are refused.
 */
export class FrameQueue {
  readonly #queue = new SerialQueue();
  readonly #backendId: string;
  #generation = 0;
  #pending = 0;
  #disposed = false;
  #release: (() => void) | undefined;

  constructor(backendId: string) {
    this.#backendId = backendId;
  }

  /**
   * Admits a frame now (`admit` validates and copies its inputs, synchronously) and queues `task`
   * for it; `settle` runs once the frame is done with its inputs, however it ended. A frame whose
   * admission throws is refused at once (a rejected promise) and queues nothing.
   */
  submit<F, T>(admit: () => F, task: (frame: F, ticket: FrameTicket) => Promise<T>, settle: (frame: F) => void): Promise<T> {
    if (this.#disposed) return Promise.reject(this.#disposedError());
    let frame: F;
    try {
      frame = admit();
    } catch (error) {
      return Promise.reject(error);
    }
    const generation = this.#generation;
    const ticket: FrameTicket = { current: () => generation === this.#generation };
    this.#pending++;
    return this.#queue.run(async () => {
      try {
        if (this.#disposed) throw this.#disposedError();
        return await task(frame, ticket);
      } finally {
        settle(frame);
        if (--this.#pending === 0 && this.#disposed) {
          try {
            this.#releaseNow();
          } catch {
            // The frame itself went well; a backend failing to clean up must not turn it into an error.
          }
        }
      }
    });
  }

  /** Ends the current generation: frames already submitted become stale; later ones start fresh. */
  reset(): void {
    this.#generation++;
  }

  /**
   * Ends the session: later `run()` calls and frames still queued are refused; `release` (the
   * backend's dispose) runs now, or once the frame in flight has settled.
   */
  dispose(release: () => void): void {
    if (this.#disposed) return;
    this.#disposed = true;
    this.#generation++;
    this.#release = release;
    if (this.#pending === 0) this.#releaseNow();
  }

  get disposed(): boolean {
    return this.#disposed;
  }

  #releaseNow(): void {
    const release = this.#release;
    this.#release = undefined;
    release?.();
  }

  #disposedError(): BackendUnavailableError {
    return new BackendUnavailableError(this.#backendId, 'this session was disposed; create a new one with model.createSession()');
  }
}
