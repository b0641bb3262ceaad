// The limits of the RESP parser. Each default never refuses what redis-server accepts in legitimate
// use: they bound memory against hostile clients, not real ones.

/** What one connection's parser accepts; over a limit, redis's protocol error and a close. */
export interface RespLimits {
  /** A bulk string's length (redis's proto-max-bulk-len: 512 MiB). */
  readonly maxBulkBytes: number;
  /** Elements of one array. Redis takes up to 2^31 - 1; 1,048,576 covers any real MSET, MGET or DEL. */
  readonly maxArrayLength: number;
  /** Bytes before the LF of an inline command or a `*`/`$` header line (redis's PROTO_INLINE_MAX_SIZE: 64 KiB). */
  readonly maxInlineBytes: number;
  /** Array nesting: 1 (flat, all redis-server accepts) up to MAX_RESP_DEPTH. */
  readonly maxDepth: number;
  /**
   * Bytes held for the one command being read (redis's client-query-buffer-limit: 1 GiB): what
   * bounds a command of many large bulk strings, which the other limits allow one by one.
   */
  readonly maxQueryBytes: number;
}

/** redis-server's own limits, and a flat command array of up to 2^20 elements. */
export const DEFAULT_RESP_LIMITS: RespLimits = {
  maxBulkBytes: 512 * 1024 * 1024,
  maxArrayLength: 1024 * 1024,
  maxInlineBytes: 64 * 1024,
  maxDepth: 1,
  maxQueryBytes: 1024 * 1024 * 1024,
};

/** The deepest maxDepth allowed, so code that walks a request recursively stays bounded. */
export const MAX_RESP_DEPTH = 32;
/** Redis's INT_MAX bound on a multibulk count. */
const MAX_ARRAY_LENGTH = 2 ** 31 - 1;

/** The limits with defaults filled in; throws RangeError for one that is not an integer in its range. */
export function resolveRespLimits(limits: Partial<RespLimits> = {}): RespLimits {
  const resolved = { ...DEFAULT_RESP_LIMITS, ...limits };
  checkLimit('maxBulkBytes', resolved.maxBulkBytes, Number.MAX_SAFE_INTEGER);
  checkLimit('maxArrayLength', resolved.maxArrayLength, MAX_ARRAY_LENGTH);
  checkLimit('maxInlineBytes', resolved.maxInlineBytes, Number.MAX_SAFE_INTEGER);
  checkLimit('maxDepth', resolved.maxDepth, MAX_RESP_DEPTH);
  checkLimit('maxQueryBytes', resolved.maxQueryBytes, Number.MAX_SAFE_INTEGER);
  return resolved;
}

function checkLimit(name: keyof RespLimits, value: number, max: number): void {
  if (!Number.isInteger(value) || value < 1 || value > max) {
    throw new RangeError(`${name} must be an integer from 1 to ${max}, not ${String(value)}`);
  }
}
