// The error of a layer between a protocol and its transport (a codec, an idle timeout, a throttle)
// used as a transport when it has no transport below it to pass the call to: before its own
// connectionMade, or after it handed its connection to another protocol.

/**
 * Thrown by a layer's transport calls (write, close, isClosing...) made before the layer's
 * connectionMade, or after it handed its connection off, when there is no transport below it to
 * pass them to.
 */
export class NotConnectedError extends Error {
  /** `'NotConnectedError'`. */
  override name = 'NotConnectedError';
  /** Always `'ERR_NOT_CONNECTED'`, for a `switch (err.code)`. */
  readonly code = 'ERR_NOT_CONNECTED' as const;
  /** The transport call or property that was used too early or too late (`'write'`, `'isClosing'`...). */
  readonly operation: string;
  /** True when the layer had a connection and handed it to another protocol; false: not connected yet. */
  readonly isHandedOff: boolean;

  /** `layer` names the layer in the message, as in "the idle timeout layer"; `isHandedOff` says why it has no transport. */
  constructor(operation: string, layer: string, isHandedOff = false) {
    super(`Cannot ${operation}: ${layer} ${isHandedOff ? 'has handed its connection to another protocol' : 'is not connected yet'}`);
    this.operation = operation;
    this.isHandedOff = isHandedOff;
  }
}
