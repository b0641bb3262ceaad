// The limits a request is parsed under.

/** What the parser accepts before it fails with HttpError; see DEFAULT_HTTP_LIMITS for the defaults. */
export interface HttpLimits {
  /** Request line plus headers, in bytes (node:http's default: 16 KiB); also the trailers' limit. */
  readonly maxHeaderBytes: number;
  /** Header lines (node:http's default: 2000). */
  readonly maxHeaders: number;
  /** A request body, in bytes (default 16 MiB); past it, 413. */
  readonly maxBodyBytes: number;
}

/** The limits used when none are given: 16 KiB of head, 2000 header lines, a 16 MiB body. */
export const DEFAULT_HTTP_LIMITS: HttpLimits = { maxHeaderBytes: 16 * 1024, maxHeaders: 2000, maxBodyBytes: 16 * 1024 * 1024 };
