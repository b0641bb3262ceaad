// The one error every Transport throws for a write after close, whatever layer implements it, so
// `instanceof TransportClosedError` holds across sockets, wrappers and test fakes.

/** Thrown by write() or writeEOF() on a transport that is closing or closed. */
export class TransportClosedError extends Error {
  /** The class name, kept when the code is minified. */
  override name = 'TransportClosedError';
  /** Node-style code to `switch` on, as a literal type. */
  readonly code = 'ERR_TRANSPORT_CLOSED' as const;
}
