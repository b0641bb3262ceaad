// An incremental parser for what clients send redis-server (RESP2 requests): arrays of bulk strings
// and inline commands, as networking.c processMultibulkBuffer and processInlineBuffer read them.
// Not a reply parser: `+`, `-` and `:` are not requests. Fed any split of the stream.
//
//   *2\r\n$3\r\nGET\r\n$1\r\nk\r\n        multibulk: *<count>, then <count> times $<length> <bytes>
//   PING "a b" 'c'\r\n                     inline: one line to LF (CR optional), split like a shell
//
//   phase         reads                           then
//   start         one byte: '*', or else inline   array-header | inline
//   inline        a line up to LF                 start (emits the command unless the line is blank)
//   array-header  a count line                    element | start (top-level count <= 0: no command)
//   element       one byte: '$' (or '*' nested)   bulk-header | array-header
//   bulk-header   a length line                   bulk
//   bulk          length + 2 bytes (CRLF)         element | start (emits once the array is complete)
import { ArgumentOffsets } from './argument-offsets.js';
import { ByteArena, HeldElements } from './held-elements.js';
import { parseLength } from './integers.js';
import { type RespLimits, resolveRespLimits } from './resp-limits.js';
import { splitArgs } from './split-args.js';

/** A request element: a bulk string, or (only with maxDepth > 1) an array or a null array. */
export type RespValue = Buffer | null | readonly RespValue[];
/** One command: its name and arguments (all Buffers unless maxDepth > 1 let arrays in). */
export type RespCommand = readonly RespValue[];

/**
 * Input redis-server would refuse, with redis's reply text as `message` (the server sends
 * `-ERR <message>` and closes). For a length over a limit, `limit` and `length` say which.
 */
export class RespProtocolError extends SyntaxError {
  /** `'RespProtocolError'`. */
  override name = 'RespProtocolError';
  /** Always `'ERR_RESP_PROTOCOL'`, for a `switch (err.code)`. */
  readonly code = 'ERR_RESP_PROTOCOL' as const;
  /** The limit that was passed (bytes or elements), for a length over a limit; else undefined. */
  readonly limit: number | undefined;
  /** The declared or seen length that passed it; else undefined. */
  readonly length: number | undefined;
  /**
   * True when redis-server closes without a word (a query buffer over client-query-buffer-limit,
   * which it only logs); false when it answers `-ERR <message>` first.
   */
  readonly closesSilently: boolean;

  constructor(message: string, size?: { limit: number; length: number }, closesSilently = false) {
    super(message);
    this.limit = size?.limit;
    this.length = size?.length;
    this.closesSilently = closesSilently;
  }
}

/** An array being read: what it holds so far (compactly), how many elements are still to come. */
class Frame {
  readonly held: HeldElements;
  remaining: number;
  readonly parent: Frame | undefined;
  readonly depth: number;
  /** Its phases, made once per array rather than once per element. */
  readonly element: Phase = { kind: 'element', frame: this };
  readonly bulkHeader: Phase = { kind: 'bulk-header', frame: this };

  constructor(count: number, parent: Frame | undefined) {
    this.held = new HeldElements(count);
    this.remaining = count;
    this.parent = parent;
    this.depth = parent === undefined ? 1 : parent.depth + 1;
  }
}

/** A line read whole: `bytes[start, end)`, the LF excluded; the next line starts at `next`. */
interface Line {
  readonly bytes: Buffer;
  readonly start: number;
  readonly end: number;
  readonly next: number;
}

type Phase =
  | { readonly kind: 'start' }
  | { readonly kind: 'inline' }
  | { readonly kind: 'array-header'; readonly parent: Frame | undefined }
  | { readonly kind: 'element'; readonly frame: Frame }
  | { readonly kind: 'bulk-header'; readonly frame: Frame }
  | { readonly kind: 'bulk'; readonly frame: Frame; readonly length: number; remaining: number }
  | { readonly kind: 'failed' };

const START: Phase = { kind: 'start' };
const INLINE: Phase = { kind: 'inline' };
const FAILED: Phase = { kind: 'failed' };
const TOP_ARRAY_HEADER: Phase = { kind: 'array-header', parent: undefined };

const LF = 0x0a;
const CR = 0x0d;
const STAR = 0x2a;
const DOLLAR = 0x24;

/**
 * Feed it any split of a client's stream; it emits each complete command, in order. Work is linear
 * in the input however it is split: a partial line is kept as pieces and joined once, a bulk string
 * cut across chunks is copied out of each and joined once. A command that lies whole in one chunk
 * (nearly all of them) is emitted as views of that chunk, uncopied (a copy per argument cost more
 * than the rest of the command): an emitted command is valid until the caller reuses the chunk it
 * fed, so whoever keeps an argument past that copies it (RespStore copies every value it stores;
 * `copyCommand` copies a whole command).
 * After it throws RespProtocolError it stays failed and ignores further input; commands completed
 * before the error were emitted.
 */
export class RespParser {
  readonly #limits: RespLimits;
  #phase: Phase = START;
  /** A line not yet ended by LF, copied in (read whole once its LF arrives). */
  #line = new ByteArena();
  /** Set by #shortHeader: where the line after the header it read starts. */
  #afterHeader = 0;
  /** The fast path's headers are within any line limit but one set absurdly low. */
  readonly #isFastPathSafe: boolean;
  /** The fast path's command, reused: offsets into the chunk, no Buffer per argument. */
  readonly #offsets = new ArgumentOffsets();

  constructor(limits: Partial<RespLimits> = {}) {
    this.#limits = resolveRespLimits(limits);
    this.#isFastPathSafe = this.#limits.maxInlineBytes > SHORT_HEADER_DIGITS + 1;
  }

  /**
   * The bytes held for the command being read, as allocated: a partial line, and the elements of
   * arrays not yet complete (their bytes, one offset each, and a partial bulk string). Counted in
   * what is held rather than in payload, so a million empty elements count for 8 MB, not for 0.
   */
  get bufferedBytes(): number {
    const phase = this.#phase;
    let frame = phase.kind === 'array-header' ? phase.parent : 'frame' in phase ? phase.frame : undefined;
    let held = this.#line.capacity;
    for (; frame !== undefined; frame = frame.parent) held += frame.held.heldBytes;
    return held;
  }

  /** True between commands with nothing buffered: EOF here cuts no command short. */
  get isIdle(): boolean {
    return this.#phase.kind === 'start';
  }

  /**
   * Parses `chunk`, calling `emit` for each command it completes. Throws RespProtocolError for input
   * redis-server refuses; the chunk is only read during the call. With `emitOffsets`, a flat command
   * lying whole in the chunk (nearly all of them) goes there instead, as offsets into the chunk in an
   * ArgumentOffsets the parser reuses for the next command: valid only during that call.
   */
  feed(chunk: Uint8Array, emit: (command: RespCommand) => void, emitOffsets?: (command: ArgumentOffsets) => void): void {
    if (this.#phase.kind === 'failed') return;
    const data = Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
    let pos = 0;
    try {
      while (pos < data.length) {
        const next = this.#phase === START ? this.#readWholeCommand(data, pos, emit, emitOffsets) : NOT_WHOLE;
        pos = next === NOT_WHOLE ? this.#step(data, pos, emit) : next;
      }
      // Checked once per chunk: what a command holds grows by at most one chunk past the limit.
      const held = this.bufferedBytes;
      if (held > this.#limits.maxQueryBytes) {
        throw new RespProtocolError('Closing client that reached max query buffer length', { limit: this.#limits.maxQueryBytes, length: held }, true);
      }
    } catch (error) {
      this.#phase = FAILED;
      this.#line.clear();
      throw error;
    } finally {
      // An idle connection must not pin the last chunk it read.
      this.#offsets.clear();
    }
  }

  /**
   * The fast path for the shape every client library sends, a flat array of bulk strings lying whole
   * in `data` from `pos` with short, plain headers: read in one pass with no state kept, emitted, and
   * the position after it returned. Anything else (cut by the chunk's end, nested, over a limit,
   * malformed) returns NOT_WHOLE having changed nothing, and the state machine reads it instead,
   * with its errors.
   */
  #readWholeCommand(data: Buffer, pos: number, emit: (command: RespCommand) => void, emitOffsets: ((command: ArgumentOffsets) => void) | undefined): number {
    if (data[pos] !== STAR || !this.#isFastPathSafe) return NOT_WHOLE;
    const count = this.#shortHeader(data, pos + 1);
    if (count <= 0 || count > this.#limits.maxArrayLength) return NOT_WHOLE;
    let at = this.#afterHeader;
    const args = this.#offsets;
    args.reset(data);
    for (let i = 0; i < count; i++) {
      if (data[at] !== DOLLAR) return NOT_WHOLE;
      const length = this.#shortHeader(data, at + 1);
      if (length < 0 || length > this.#limits.maxBulkBytes) return NOT_WHOLE;
      const start = this.#afterHeader;
      at = start + length + 2;
      if (at > data.length || data[at - 2] !== CR || data[at - 1] !== LF) return NOT_WHOLE;
      args.push(start, start + length);
    }
    if (emitOffsets === undefined) emit(args.views());
    else emitOffsets(args);
    return at;
  }

  /**
   * The value of the plain non-negative header at `data[at...]` (digits, no leading zero, then CRLF,
   * all in `data`), with #afterHeader set to where the next line starts; -1 for anything else (the
   * state machine then reads it, and rejects it if it must).
   */
  #shortHeader(data: Buffer, at: number): number {
    let value = 0;
    let end = at;
    while (end < data.length && end - at <= SHORT_HEADER_DIGITS) {
      const digit = Number(data[end]) - 0x30;
      if (!(digit >= 0 && digit <= 9)) break;
      value = value * 10 + digit;
      end++;
    }
    const digits = end - at;
    const isPlain = digits > 0 && digits <= SHORT_HEADER_DIGITS && (digits === 1 || data[at] !== 0x30);
    if (!isPlain || data[end] !== CR || data[end + 1] !== LF) return -1;
    this.#afterHeader = end + 2;
    return value;
  }

  /** One step of the state machine from `pos`; returns where the next step starts. */
  #step(data: Buffer, pos: number, emit: (command: RespCommand) => void): number {
    const phase = this.#phase;
    switch (phase.kind) {
      case 'start': {
        // Redis decides per command: '*' starts a multibulk, any other byte an inline command.
        const isMultibulk = data[pos] === STAR;
        this.#phase = isMultibulk ? TOP_ARRAY_HEADER : INLINE;
        return isMultibulk ? pos + 1 : pos;
      }
      case 'inline':
        return this.#readInline(data, pos, emit);
      case 'array-header':
        return this.#readArrayHeader(phase.parent, data, pos, emit);
      case 'element':
        return this.#readElementType(phase.frame, data, pos);
      case 'bulk-header':
        return this.#readBulkHeader(phase.frame, data, pos, emit);
      case 'bulk':
        return this.#readBulk(phase, data, pos, emit);
      case 'failed':
        return data.length;
      default: {
        const never: never = phase;
        return never;
      }
    }
  }

  #readInline(data: Buffer, pos: number, emit: (command: RespCommand) => void): number {
    const read = this.#readLine(data, pos, 'Protocol error: too big inline request');
    if (read === undefined) return data.length;
    this.#phase = START;
    const end = read.end > read.start && read.bytes[read.end - 1] === CR ? read.end - 1 : read.end;
    const args = splitArgs(read.bytes.subarray(read.start, end));
    if (args === undefined) throw new RespProtocolError('Protocol error: unbalanced quotes in request');
    if (args.length > 0) emit(args);
    return read.next;
  }

  #readArrayHeader(parent: Frame | undefined, data: Buffer, pos: number, emit: (command: RespCommand) => void): number {
    const read = this.#readLine(data, pos, 'Protocol error: too big mbulk count string');
    if (read === undefined) return data.length;
    const count = headerValue(read);
    // At the top, redis reads a count <= 0 as no command at all; nested, only -1 (a null array) is valid.
    const isValid = count !== undefined && count <= this.#limits.maxArrayLength && (parent === undefined || count >= -1);
    if (!isValid) throw new RespProtocolError('Protocol error: invalid multibulk length', sizeOf(count, this.#limits.maxArrayLength));
    if (parent === undefined && count <= 0) {
      this.#phase = START;
    } else if (parent !== undefined && count <= 0) {
      parent.held.addOther(count === 0 ? [] : null, 0);
      this.#complete(parent, emit);
    } else {
      this.#phase = new Frame(count, parent).element;
    }
    return read.next;
  }

  #readElementType(frame: Frame, data: Buffer, pos: number): number {
    const byte = data.readUInt8(pos);
    if (byte === DOLLAR) {
      this.#phase = frame.bulkHeader;
    } else if (byte === STAR && frame.depth < this.#limits.maxDepth) {
      this.#phase = { kind: 'array-header', parent: frame };
    } else {
      throw new RespProtocolError(`Protocol error: expected '$', got '${String.fromCharCode(byte)}'`);
    }
    return pos + 1;
  }

  #readBulkHeader(frame: Frame, data: Buffer, pos: number, emit: (command: RespCommand) => void): number {
    const read = this.#readLine(data, pos, 'Protocol error: too big bulk count string');
    if (read === undefined) return data.length;
    const length = headerValue(read);
    // Checked before a byte of the body is buffered: a declared length costs nothing until it arrives.
    if (length === undefined || length < 0 || length > this.#limits.maxBulkBytes) {
      throw new RespProtocolError('Protocol error: invalid bulk length', sizeOf(length, this.#limits.maxBulkBytes));
    }
    const start = read.next;
    if (start + length + 2 <= data.length) {
      // The whole body in this chunk: copied into the array's arena at once, since the command it
      // belongs to may be completed by a later chunk, after this one was reused.
      expectCRLF(data, start + length);
      frame.held.appendBulk(data.subarray(start, start + length), length);
      frame.held.endBulk();
      this.#complete(frame, emit);
      return start + length + 2;
    }
    this.#phase = { kind: 'bulk', frame, length, remaining: length + 2 };
    return start;
  }

  /** Copies the body straight into the array's arena (no piece per chunk), then checks the CRLF bytewise. */
  #readBulk(phase: Extract<Phase, { kind: 'bulk' }>, data: Buffer, pos: number, emit: (command: RespCommand) => void): number {
    let at = pos;
    const bodyLeft = phase.remaining - 2;
    if (bodyLeft > 0) {
      const take = Math.min(bodyLeft, data.length - at);
      phase.frame.held.appendBulk(data.subarray(at, at + take), bodyLeft);
      phase.remaining -= take;
      at += take;
    }
    while (phase.remaining <= 2 && phase.remaining > 0 && at < data.length) {
      if (data[at] !== (phase.remaining === 2 ? CR : LF)) throw new RespProtocolError(CRLF_EXPECTED);
      phase.remaining -= 1;
      at += 1;
    }
    if (phase.remaining > 0) return at;
    phase.frame.held.endBulk();
    this.#complete(phase.frame, emit);
    return at;
  }

  /**
   * `frame` got an element; each array that completes goes to its parent as one element, the
   * outermost to `emit`.
   */
  #complete(frame: Frame, emit: (command: RespCommand) => void): void {
    let current = frame;
    for (;;) {
      current.remaining -= 1;
      if (current.remaining > 0) {
        this.#phase = current.element;
        return;
      }
      const parent = current.parent;
      const heldBytes = current.held.heldBytes;
      const items = current.held.take();
      if (parent === undefined) {
        this.#phase = START;
        emit(items);
        return;
      }
      parent.held.addOther(items, heldBytes);
      current = parent;
    }
  }

  /**
   * The line from `pos` up to its LF, or undefined once the rest of `data` is kept for later. Each
   * byte is scanned once: kept pieces are never rescanned, and joined once when the LF comes.
   */
  #readLine(data: Buffer, pos: number, tooBig: string): Line | undefined {
    const lf = data.indexOf(LF, pos);
    const end = lf < 0 ? data.length : lf;
    const length = this.#line.used + end - pos;
    if (length > this.#limits.maxInlineBytes) throw new RespProtocolError(tooBig, { limit: this.#limits.maxInlineBytes, length });
    if (lf < 0) {
      this.#line.append(data.subarray(pos));
      return undefined;
    }
    if (this.#line.used === 0) return { bytes: data, start: pos, end: lf, next: lf + 1 };
    this.#line.append(data.subarray(pos, lf));
    const bytes = this.#line.view(0, length);
    this.#line.clear();
    return { bytes, start: 0, end: length, next: lf + 1 };
  }
}

/** A deep copy of `command`, for keeping it after the chunk it was parsed from is reused. */
export function copyCommand(command: RespCommand): RespCommand {
  return command.map((value) => (value === null ? null : Buffer.isBuffer(value) ? Buffer.from(value) : copyCommand(value)));
}

/** What #readWholeCommand returns when the state machine must read the command instead. */
const NOT_WHOLE = -1;
/** Digits a fast-path header may have: every count or length a client sends is far below 2^31. */
const SHORT_HEADER_DIGITS = 9;

/** The number on a `*` or `$` line (prefix already read), which must end in CRLF; else undefined. */
function headerValue(line: Line): number | undefined {
  if (line.end === line.start || line.bytes[line.end - 1] !== CR) return undefined;
  return parseLength(line.bytes, line.start, line.end - 1);
}

function sizeOf(length: number | undefined, limit: number): { limit: number; length: number } | undefined {
  return length !== undefined && length > limit ? { limit, length } : undefined;
}

/**
 * Redis skips the two bytes after a bulk string unread; we insist they are CRLF, since anything else
 * means the client and server disagree on where commands start. No client sends anything else.
 */
function expectCRLF(data: Buffer, at: number): void {
  if (data[at] !== CR || data[at + 1] !== LF) throw new RespProtocolError(CRLF_EXPECTED);
}

const CRLF_EXPECTED = 'Protocol error: expected CRLF after bulk string';
