import type { Backend, Executable, Tensor } from '@motiondelta/core';
import { compileProgram, programRoute, type ProgramRoute } from './compile-program.js';
import type { LoweredProgram } from './lowered-program.js';

/**
 * A lowered program and, once its first frame asks for it, the backend's executable of it. The
 * compile happens once; a failed compile is not kept, so the next frame tries again (and fails
 * the same way, or works where the cause was passing).
 */
export class CompiledProgram {
  readonly lowered: LoweredProgram;
  /** Whether the backend compiles it natively or it runs on the host, and why. */
  readonly route: ProgramRoute;
  readonly #constants: ReadonlyMap<string, Tensor>;
  readonly #backend: Backend;
  #executable: Promise<Executable> | undefined;

  constructor(lowered: LoweredProgram, constants: ReadonlyMap<string, Tensor>, backend: Backend) {
    this.lowered = lowered;
    this.#constants = constants;
    this.#backend = backend;
    this.route = programRoute(lowered.program, backend);
  }

  /** The executable, compiling it on first use. */
  executable(): Promise<Executable> {
    if (!this.#executable) {
      const pending = compileProgram(this.lowered.program, this.#constants, this.#backend);
      this.#executable = pending;
      pending.catch(() => {
        if (this.#executable === pending) this.#executable = undefined;
      });
    }
    return this.#executable;
  }

  /** Releases the executable's buffers, if it was compiled; the program compiles again if asked. */
  dispose(): void {
    const compiled = this.#executable;
    this.#executable = undefined;
    void compiled?.then(
      (e) => e.dispose(),
      () => undefined,
    );
  }
}
