// The client's side of RESP for tests of a RESP server (the bundled one, or one with your own
// command table): encode commands as redis clients send them, and cut what the server wrote into
// whole replies, RESP2 or RESP3. Pure functions: use them with RecordingTransport or a socket.

/** `*<n>\r\n` then `$<len>\r\n<bytes>\r\n` per argument: a command as every client library sends it. Strings are latin1 (one byte per char). */
export function encodeRespCommand(args: readonly (string | Uint8Array)[]): Buffer {
  const parts: Buffer[] = [Buffer.from(`*${args.length}\r\n`)];
  for (const arg of args) {
    const bytes = typeof arg === 'string' ? Buffer.from(arg, 'latin1') : Buffer.from(arg.buffer, arg.byteOffset, arg.byteLength);
    parts.push(Buffer.from(`$${bytes.length}\r\n`), bytes, Buffer.from('\r\n'));
  }
  return Buffer.concat(parts);
}

/** Aggregates of RESP2/RESP3 by type byte: how many replies each element count stands for. */
const AGGREGATES: Readonly<Record<string, number>> = { '*': 1, '~': 1, '>': 1, '%': 2, '|': 2 };
const LENGTH_PREFIXED = new Set(['$', '=', '!']);

/**
 * Where the reply that starts at `data[pos]` ends (the index after it), or -1 if `data` does not
 * hold all of it yet. Simple types run to CRLF; `$ = !` are length-prefixed; `* ~ > % |` hold
 * that many replies (pairs for maps and attributes); a negative count or length is a null.
 * Throws RangeError for a byte that starts no RESP reply.
 */
export function respReplyEnd(data: Uint8Array, pos: number): number {
  const bytes = Buffer.from(data.buffer, data.byteOffset, data.byteLength);
  // An explicit stack, not recursion: a deeply nested reply must not overflow the test's stack.
  let pending = 1;
  const stack: number[] = [];
  let at = pos;
  for (;;) {
    const lineEnd = bytes.indexOf('\r\n', at);
    if (lineEnd < 0) return -1;
    const type = String.fromCharCode(Number(bytes[at]));
    const count = Number(bytes.toString('latin1', at + 1, lineEnd));
    at = lineEnd + 2;
    if (LENGTH_PREFIXED.has(type) && count >= 0) {
      at += count + 2;
      if (at > bytes.length) return -1;
    } else if (type in AGGREGATES && count > 0) {
      stack.push(pending - 1);
      pending = count * (AGGREGATES[type] ?? 1);
      continue;
    } else if (!'+-:_,#(*~>%|$=!'.includes(type) || type === '') {
      throw new RangeError(`Not a RESP reply at byte ${at}: ${JSON.stringify(type)}`);
    }
    pending -= 1;
    while (pending === 0) {
      const outer = stack.pop();
      if (outer === undefined) return at;
      pending = outer;
    }
  }
}

/** What splitRespReplies found. */
export interface SplitReplies {
  /** Each whole reply, in order (views of the input). */
  readonly replies: Buffer[];
  /** The bytes after the last whole reply: the start of one not yet complete, or empty. */
  readonly rest: Buffer;
}

/** The whole replies at the start of `data`, and the bytes after them (a reply not yet complete). */
export function splitRespReplies(data: Uint8Array): SplitReplies {
  const bytes = Buffer.from(data.buffer, data.byteOffset, data.byteLength);
  const replies: Buffer[] = [];
  let at = 0;
  for (;;) {
    if (at >= bytes.length) break;
    const end = respReplyEnd(bytes, at);
    if (end < 0) break;
    replies.push(bytes.subarray(at, end));
    at = end;
  }
  return { replies, rest: bytes.subarray(at) };
}
