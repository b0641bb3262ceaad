// The error of a protocol layer used as a transport before its own connectionMade: there is no
// transport below it yet to pass the call to.

/**
 * Thrown by a layer's transport calls (write, close, isReading...) made before the layer's
 * connectionMade, when there is no transport below it to pass them to.
 */
export class NotConnectedError extends Error {
  /** `'NotConnectedError'`. */
  override name = 'NotConnectedError';
  /** Always `'ERR_NOT_CONNECTED'`, for a `switch (err.code)`. */
  readonly code = 'ERR_NOT_CONNECTED' as const;
  /** The transport call or property that was used too early (`'write'`, `'isReading'`...). */
  readonly operation: string;

  /** `layer` names the layer in the message, as in "the idle timeout layer". */
  constructor(operation: string, layer: string) {
    super(`Cannot ${operation}: ${layer} is not connected yet`);
    this.operation = operation;
  }
}
