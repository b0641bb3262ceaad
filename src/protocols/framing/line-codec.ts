// Lines ended by LF or CRLF (the HOWTO's delimited messages as most text protocols send them), as
// bytes: stack a Utf8Codec above it for strings. A DelimitedCodec with line endings' rules.
//
//   one line:  +-------------------------------------+----------------------------+
//              | line: 0..maxLineLength bytes        | "\n" ('lf', 'any')         |
//              | (no LF inside)                      | "\r\n" ('crlf', 'any')     |
//              +-------------------------------------+----------------------------+
import type { ByteCounters } from '../../bytes/chunk-queue.js';
import { CodecGuard } from './codec-guard.js';
import { FrameTooLongError, type Codec } from './codec.js';
import { DelimitedCodec } from './delimited-codec.js';
import { requireCount, viewOf } from './support.js';

/** Which line endings a LineCodec accepts: LF only, CRLF only, or either (with the CR stripped). */
export type LineEnding = 'lf' | 'crlf' | 'any';

/** Options of a LineCodec. */
export interface LineCodecOptions {
  /** The longest line, in bytes, its ending not counted. */
  readonly maxLineLength: number;
  /** Default 'lf'. `encode` writes LF for 'lf' and 'any', CRLF for 'crlf'. */
  readonly ending?: LineEnding;
  /** Skip overlong lines and go on (tokio's `LinesCodec`; for chat-like protocols). Default false. */
  readonly discardOverlong?: boolean;
  /** With `discardOverlong`, told of each line skipped. */
  readonly onDiscard?: (error: FrameTooLongError) => void;
  /** Whether EOF after an unterminated line emits it as is (default false: FrameSyntaxError). */
  readonly emitPartialAtEOF?: boolean;
}

const CR = 0x0d;

/**
 * Splits a byte stream into lines, without their endings. Same contract as DelimitedCodec (call
 * grammar `feed* end?`, limits, discard mode, EOF), with the limit on the line without its ending.
 *
 * With `ending: 'any'` a line ends at LF and a CR just before the LF is dropped, so a line is known
 * too long only after `maxLineLength + 2` bytes with no LF (the last could be the CR), or when a
 * line over the limit ends with a bare LF (FrameTooLongError with `length`). An unterminated line
 * emitted at EOF (`emitPartialAtEOF`) keeps a final CR, since no LF followed it.
 *
 * Raw mode and back (Twisted's setRawMode / setLineMode(extra) / clearLineBuffer): `setRawMode()`
 * called while a line is being emitted makes the rest of that chunk, and what follows, arrive as
 * raw bytes, untouched (no CR stripped, no limit); `setLineMode(extra?)` parses lines again, `extra`
 * first; `takeBuffered()` hands back the bytes not yet emitted (the STARTTLS case). See
 * DelimitedCodec for the exact rules.
 */
export class LineCodec implements Codec<Uint8Array> {
  readonly #maxLineLength: number;
  readonly #isAnyEnding: boolean;
  readonly #isDiscarding: boolean;
  readonly #onDiscard: ((error: FrameTooLongError) => void) | undefined;
  readonly #lines: DelimitedCodec;
  readonly #guard = new CodecGuard();
  /** The feed step (an arrow field: CodecGuard runs it with no closure per chunk). */
  readonly #decode = (chunk: Uint8Array, emit: (line: Uint8Array) => void): void => {
    try {
      // Only 'any' has work to do per line (a CR to strip, the exact limit): the others emit as is.
      this.#lines.feed(chunk, this.#isAnyEnding ? (line) => this.#deliver(line, true, emit) : emit);
    } catch (error) {
      throw error instanceof FrameTooLongError ? this.#toLineError(error) : error;
    }
  };

  /** Throws RangeError if `maxLineLength` is not a count. */
  constructor(options: LineCodecOptions) {
    const ending = options.ending ?? 'lf';
    const maxLineLength = requireCount('maxLineLength', options.maxLineLength);
    this.#maxLineLength = maxLineLength;
    this.#isAnyEnding = ending === 'any';
    this.#isDiscarding = options.discardOverlong ?? false;
    this.#onDiscard = options.onDiscard;
    this.#lines = new DelimitedCodec({
      delimiter: ending === 'crlf' ? '\r\n' : '\n',
      // With 'any' the CR is part of what precedes the LF, so the inner limit leaves room for it.
      maxFrameLength: this.#isAnyEnding ? maxLineLength + 1 : maxLineLength,
      discardOverlong: this.#isDiscarding,
      onDiscard: (error) => this.#onDiscard?.(this.#toLineError(error)),
      emitPartialAtEOF: options.emitPartialAtEOF ?? false,
    });
  }

  /** Emits each line `chunk` completes, without its ending (Codec.feed); in raw mode, the bytes as they are. */
  feed(chunk: Uint8Array, emit: (line: Uint8Array) => void): void {
    this.#guard.feed(this.#decode, chunk, emit);
  }

  /** EOF: as DelimitedCodec.end, with the line limit. */
  end(emit: (line: Uint8Array) => void): void {
    // Inner errors at EOF need no translation: for 'any' the inner limit leaves room for the CR, so
    // only #deliver can find an unterminated line too long.
    this.#guard.end(() => this.#lines.end((line) => this.#deliver(line, false, emit)));
  }

  /** Bytes scanned for line endings and copied to join lines so far (DelimitedCodec.counters). */
  get counters(): ByteCounters {
    return this.#lines.counters;
  }

  /** Whether input is passed through undecoded (after `setRawMode()`). */
  get isRawMode(): boolean {
    return this.#lines.isRawMode;
  }

  /** Passes the input through undecoded from right after the line being emitted (DelimitedCodec.setRawMode). */
  setRawMode(): void {
    this.#lines.setRawMode();
  }

  /** Parses lines again, `extra` first (DelimitedCodec.setDelimitedMode: with `extra`, call it from `emit`). */
  setLineMode(extra?: Uint8Array): void {
    this.#lines.setDelimitedMode(extra);
  }

  /** The bytes fed and not yet emitted, taken out (Codec.takeBuffered). */
  takeBuffered(): Uint8Array {
    return this.#lines.takeBuffered();
  }

  /**
   * Returns `line` and its ending. Throws RangeError if decoding would not give it back: over the
   * limit, an LF inside (or CRLF, for 'crlf'), or, for 'any', a final CR.
   */
  encode(line: Uint8Array): Uint8Array {
    if (this.#isAnyEnding) {
      // The inner codec's limit is one byte looser and it would keep a final CR that decoding drops.
      if (line.length > this.#maxLineLength) {
        throw new RangeError(`Cannot encode line: length ${line.length} exceeds the limit of ${this.#maxLineLength} bytes`);
      }
      if (line[line.length - 1] === CR) throw new RangeError('Cannot encode line: it ends with CR, which decoding would drop');
    }
    return this.#lines.encode(line);
  }

  /** Strips the CR of a CRLF ('any') and applies the limit the inner codec cannot (see the class). */
  #deliver(line: Uint8Array, isTerminated: boolean, emit: (line: Uint8Array) => void): void {
    if (!this.#isAnyEnding || this.#lines.isRawMode) {
      emit(line);
      return;
    }
    const text = isTerminated && line[line.length - 1] === CR ? viewOf(line, 0, line.length - 1) : line;
    if (text.length <= this.#maxLineLength) {
      emit(text);
      return;
    }
    const error = new FrameTooLongError(this.#maxLineLength, { length: text.length });
    if (!this.#isDiscarding) throw error;
    this.#onDiscard?.(error);
  }

  /**
   * An error from the inner codec carries its limit, one byte looser for 'any': it rejects after
   * maxLineLength + 2 bytes with no LF, which proves a line of at least maxLineLength + 1 (the last
   * byte may be the CR). Errors with the line limit (all others, and #deliver's) pass unchanged.
   */
  #toLineError(error: FrameTooLongError): FrameTooLongError {
    if (error.limit === this.#maxLineLength) return error;
    return new FrameTooLongError(this.#maxLineLength, { atLeast: this.#maxLineLength + 1 });
  }
}
