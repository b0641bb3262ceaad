// The call grammar every codec in this folder keeps, `feed* end?`, and the rule that a codec which
// has thrown stays failed. Internal to the framing folder (not exported from its index).
import { isRecoverable } from './codec.js';

/** Where a codec is in its life. */
type Life = { readonly status: 'open' } | { readonly status: 'failed'; readonly error: unknown } | { readonly status: 'ended' };

/**
 * Runs a codec's feed and end steps in the order `feed* end?`. A step that throws (the codec's own
 * FrameTooLongError or FrameSyntaxError, or an error thrown by `emit`) fails the codec for good,
 * unless it is recoverable (isRecoverable: one whole frame rejected, the stream still in step):
 * every later call throws that same error again, so a caller that ignored it cannot go on decoding
 * from the middle of a frame. A call after `end` throws an Error (it is the caller's bug).
 */
export class CodecGuard {
  #life: Life = { status: 'open' };

  /**
   * Runs one feed step, `step(input, emit)`. The arguments are passed through rather than captured,
   * so that a codec's feed allocates no closure per call (it is on every chunk's path); `step` is
   * the codec's own arrow field.
   */
  feed<Input, Emit>(step: (input: Input, emit: Emit) => void, input: Input, emit: Emit): void {
    this.#run('feed', step, input, emit);
  }

  /** Runs the end step; afterwards the codec accepts no more calls. */
  end(step: () => void): void {
    this.#run('end', step, undefined, undefined);
    this.#life = { status: 'ended' };
  }

  /** Throws as feed would (the codec's error once failed, an Error once ended); for a codec's other calls. */
  check(call: string): void {
    this.#ensureOpen(call);
  }

  #run<Input, Emit>(call: string, step: (input: Input, emit: Emit) => void, input: Input, emit: Emit): void {
    this.#ensureOpen(call);
    try {
      step(input, emit);
    } catch (error) {
      // A recoverable error rejected the one frame fed: the codec takes the next one as if it never came.
      if (!isRecoverable(error)) this.#life = { status: 'failed', error };
      throw error;
    }
  }

  #ensureOpen(call: string): void {
    const life = this.#life;
    switch (life.status) {
      case 'open':
        return;
      case 'failed':
        throw life.error;
      case 'ended':
        throw new Error(`Cannot ${call}: the stream has already ended`);
      /* c8 ignore next 4 */
      default: {
        const unreachable: never = life;
        return unreachable;
      }
    }
  }
}
