// The error a malformed or oversized request raises, carrying the status the server answers with.

/**
 * A request the parser rejects: malformed, over a limit, or using what is not supported. The server
 * answers it with `status` and closes the connection, as the request stream cannot be trusted after it.
 */
export class HttpError extends Error {
  /** The class name, kept when the code is minified. */
  override name = 'HttpError';
  /** Node-style code to `switch` on, as a literal type. */
  readonly code = 'ERR_HTTP_REQUEST' as const;
  /** The response status the error calls for: 400, 413, 431, 501 or 505. */
  readonly status: number;

  constructor(status: number, message: string) {
    super(message);
    this.status = status;
  }
}
