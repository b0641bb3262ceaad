// The shape of every framing and message codec: a small, pure, synchronous state machine. No I/O,
// no timers, no transport: bytes (or frames) in, frames (or messages) out, and back.

/**
 * Decodes a stream of `Down` (bytes, or frames from the codec below) into `Up` frames, and encodes
 * `Up` back into `Down`. `feed` may be called with any split of the stream; it emits every frame it
 * completes. After it throws (FrameTooLongError, FrameSyntaxError) the codec stays failed, except
 * for a recoverable error (isRecoverable), which rejected the one frame fed and nothing more.
 */
export interface Codec<Up, Down = Uint8Array> {
  /**
   * Decodes `input`, the next piece of the stream, calling `emit` once per frame it completes, in
   * order; the rest stays held for the next call. Throws as the class says, after emitting the
   * frames completed before the bad input. Frames may be views of `input`: do not modify it later.
   */
  feed(input: Down, emit: (frame: Up) => void): void;
  /** The stream ended (EOF): emits what EOF completes, or throws if it cuts a frame short. */
  end(emit: (frame: Up) => void): void;
  /** The bytes (or frame below) that decoding turns back into `frame`; throws RangeError for a frame it could not. */
  encode(frame: Up): Down;
  /**
   * Optional, for protocols that switch mid-stream (raw mode, STARTTLS, a protocol handoff): removes
   * and returns the input fed but not yet emitted as frames, as one piece (empty if none). Called from
   * `emit`, it also takes the rest of the input being fed, whose decoding then stops right after the
   * frame being emitted, so nothing is decoded ahead of a switch point. The codec then goes on as if
   * that input had never been fed (a mode such as raw stays as set). Throws as `feed` would once
   * the codec has failed or ended.
   */
  takeBuffered?(): Down;
}

/** A frame over the codec's limit, rejected as soon as that is provable, before it is buffered. */
export class FrameTooLongError extends RangeError {
  /** 'FrameTooLongError'. */
  override name = 'FrameTooLongError';
  /** A stable code to test for, as Node's errors have. */
  readonly code = 'ERR_FRAME_TOO_LONG' as const;
  /** The codec's limit that the frame exceeds, in bytes. */
  readonly limit: number;
  /** The frame's declared length, when a header said it; otherwise `atLeast`. */
  readonly length: number | undefined;
  /** When no header said the length: how many bytes the frame surely has (more than `limit`). */
  readonly atLeast: number | undefined;

  /** `size`: the frame's declared `length`, or the bytes it is known to have `atLeast`. */
  constructor(limit: number, size: { length: number } | { atLeast: number }) {
    const length = 'length' in size ? size.length : undefined;
    const atLeast = 'atLeast' in size ? size.atLeast : undefined;
    super(
      length !== undefined
        ? `Cannot decode frame: length ${length} exceeds the limit of ${limit} bytes`
        : `Cannot decode frame: at least ${String(atLeast)} bytes exceed the limit of ${limit} bytes`,
    );
    this.limit = limit;
    this.length = length;
    this.atLeast = atLeast;
  }
}

/** What a FrameSyntaxError is made with: ErrorOptions, and whether the codec can go on after it. */
export interface FrameSyntaxErrorOptions extends ErrorOptions {
  /** True when only the one frame fed was rejected, whole: see FrameSyntaxError.recoverable. */
  readonly recoverable?: boolean;
}

/** Input the codec cannot parse (a bad netstring length, invalid UTF-8 or JSON, EOF inside a frame). */
export class FrameSyntaxError extends SyntaxError {
  /** 'FrameSyntaxError'. */
  override name = 'FrameSyntaxError';
  /** A stable code to test for, as Node's errors have. */
  readonly code = 'ERR_FRAME_SYNTAX' as const;
  /**
   * True when a message codec (one frame in per feed: JSON, UTF-8) rejected that one frame whole:
   * nothing of it is held, the stream is still in step, and the codec accepts the next frame. False
   * (the default) when the stream is out of step and the codec stays failed.
   */
  readonly recoverable: boolean;

  /** `options.cause` as Error's; `options.recoverable` (default false) as the property says. */
  constructor(message: string, options: FrameSyntaxErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.recoverable = options.recoverable === true;
  }
}

/**
 * Whether a codec's error rejected one frame and left the stream in step (`recoverable: true`, as a
 * recoverable FrameSyntaxError has), so that the connection may go on with the next frame.
 */
export function isRecoverable(error: unknown): boolean {
  return typeof error === 'object' && error !== null && 'recoverable' in error && error.recoverable === true;
}
