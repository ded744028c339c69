/**
 * A kernel's result: backends whose kernels run off the event loop (native threads) return a
 * promise, the pure-TypeScript ones a plain value; callers always `await`.
 */
export type MaybePromise<T> = T | Promise<T>;
