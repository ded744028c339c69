import { BackendUnavailableError, MotionDeltaError, type Backend } from '@motiondelta/core';
import { ReferenceBackend } from '../reference/index.js';

/** Creates a backend, or throws BackendUnavailableError saying why it cannot run here. */
export type BackendFactory = () => Backend | Promise<Backend>;

const registry = new Map<string, BackendFactory>([['reference', () => new ReferenceBackend()]]);

/**
 * Makes a backend selectable by id in `createSession({ backend: [...] })`. Kernel packages are
 * registered by whoever assembles the program (the `motiondelta` package does it for the ones it
 * ships), because graph-runtime must never import a kernel package.
 */
export function registerBackend(id: string, factory: BackendFactory): void {
  registry.set(id, factory);
}

/** Ids currently registered, in registration order. */
export function registeredBackends(): string[] {
  return [...registry.keys()];
}

/** A backend that was passed over, and why. */
export interface SkippedBackend {
  readonly id: string;
  readonly reason: string;
}

/** Which backend a session runs on, and every preference it could not use. */
export interface BackendChoice {
  readonly backend: Backend;
  readonly skipped: readonly SkippedBackend[];
}

/**
 * Walks the preference list and returns the first backend that initialises and can run what the
 * session needs (`unusable` says why not, e.g. a step kind it lacks); each failure is recorded
 * with its reason instead of crashing, so a session can always say what it fell back from.
 */
export async function chooseBackend(
  preference: readonly (string | Backend)[],
  unusable: (backend: Backend) => string | undefined = () => undefined,
): Promise<BackendChoice> {
  const skipped: SkippedBackend[] = [];
  for (const entry of preference) {
    if (typeof entry !== 'string') {
      const reason = unusable(entry);
      if (reason === undefined) return { backend: entry, skipped };
      // A backend the caller made is the caller's to dispose.
      skipped.push({ id: entry.id, reason });
      continue;
    }
    const factory = registry.get(entry);
    if (!factory) {
      skipped.push({ id: entry, reason: `not registered (registered: ${registeredBackends().join(', ')})` });
      continue;
    }
    try {
      const backend = await factory();
      const reason = unusable(backend);
      if (reason === undefined) return { backend, skipped };
      backend.dispose?.();
      skipped.push({ id: entry, reason });
    } catch (error) {
      // A factory that says it is unavailable gives the bare reason: the id is already in the entry.
      const reason = BackendUnavailableError.isInstance(error)
        ? error.reason
        : MotionDeltaError.isInstance(error)
          ? error.message
          : `failed to initialise: ${String(error)}`;
      skipped.push({ id: entry, reason });
    }
  }
  throw new BackendUnavailableError(
    preference.map((p) => (typeof p === 'string' ? p : p.id)).join(', ') || '(none)',
    skipped.length ? skipped.map((s) => `${s.id}: ${s.reason}`).join('; ') : 'the preference list is empty',
  );
}
