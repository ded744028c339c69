import { BackendUnavailableError, MotionDeltaError, OptionError, type Backend } from '@motiondelta/core';
import { ReferenceBackend } from '@motiondelta/reference-backend';

/** Creates a backend, or throws BackendUnavailableError saying why it cannot run here. */
export type BackendFactory = () => Backend | Promise<Backend>;

/** How a backend takes part in sessions that name none. */
export interface BackendRegistration {
  /**
   * Sessions created without a `backend` option try every backend registered with a default
   * priority, highest first (the shipped ones: GPU backends where they exist, then `cpu-native`
   * at 100, then `reference` at 0). Without one, a backend is used only when named.
   */
  readonly defaultPriority?: number;
}

interface Registered {
  readonly factory: BackendFactory;
  readonly defaultPriority: number | undefined;
}

const registry = new Map<string, Registered>([['reference', { factory: () => new ReferenceBackend(), defaultPriority: 0 }]]);

/**
 * Makes a backend selectable by id in `createSession({ backend: [...] })`, and with a
 * `defaultPriority` a candidate for sessions that name no backend. Kernel packages are registered
 * by whoever assembles the program (the `motiondelta` package does it for the ones it ships),
 * because graph-runtime must never import a kernel package. Registering an id again replaces it.
 *
 * @example
 * ```ts
 * import { registerBackend } from '@motiondelta/graph-runtime';
 * registerBackend('my-backend', () => createMyBackend(), { defaultPriority: 50 });
 * ```
 */
export function registerBackend(id: string, factory: BackendFactory, registration: BackendRegistration = {}): void {
  const priority = registration.defaultPriority;
  if (priority !== undefined && !Number.isFinite(priority)) {
    throw new OptionError(`registerBackend('${id}'): defaultPriority must be a finite number, got ${String(priority)}.`);
  }
  registry.set(id, { factory, defaultPriority: priority });
}

/** Ids currently registered, in registration order. */
export function registeredBackends(): string[] {
  return [...registry.keys()];
}

/**
 * What a session that names no backend tries, in order: the backends registered with a default
 * priority, highest first (equal priorities in registration order).
 */
export function defaultBackends(): string[] {
  return [...registry]
    .filter(([, r]) => r.defaultPriority !== undefined)
    .sort(([, a], [, b]) => b.defaultPriority! - a.defaultPriority!)
    .map(([id]) => id);
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
    const factory = registry.get(entry)?.factory;
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
