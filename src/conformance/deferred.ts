// A promise with its resolve function, for probes that settle from protocol callbacks.

/** A promise and the function that resolves it (it never rejects). */
export interface Deferred<T> {
  /** Settles on the first resolve(). */
  readonly promise: Promise<T>;
  /** Resolves `promise` with `value`; later calls have no effect. */
  resolve(value: T): void;
}

/** A new, unsettled Deferred. */
export function deferred<T>(): Deferred<T> {
  let settle: ((value: T) => void) | undefined;
  const promise = new Promise<T>((resolve) => {
    settle = resolve;
  });
  return {
    promise,
    resolve(value) {
      settle?.(value);
    },
  };
}
