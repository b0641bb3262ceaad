// Splits an inline command line into arguments exactly as redis-server does (sds.c sdssplitargs):
// blanks separate arguments; "double quotes" take \n \r \t \b \a and \xHH escapes (any other
// escaped byte stands for itself); 'single quotes' take only \'; a closing quote must be followed by
// a blank or the end. Bytes, not text: arguments are binary-safe. Not a shell: no globbing.

const NUL = 0x00;
const DOUBLE_QUOTE = 0x22;
const SINGLE_QUOTE = 0x27;
const BACKSLASH = 0x5c;
const LOWER_X = 0x78;

/** C's isspace() in the C locale: space, \t, \n, \v, \f, \r. */
function isBlank(byte: number): boolean {
  return byte === 0x20 || (byte >= 0x09 && byte <= 0x0d);
}

/** Where a plain (unquoted) argument ends: only these four, not \v or \f (as sdssplitargs). */
function endsPlain(byte: number): boolean {
  return byte === NUL || byte === 0x20 || byte === 0x0a || byte === 0x0d || byte === 0x09;
}

function hexValue(byte: number): number {
  if (byte >= 0x30 && byte <= 0x39) return byte - 0x30;
  const lower = byte | 0x20;
  return lower >= 0x61 && lower <= 0x66 ? lower - 0x61 + 10 : -1;
}

const ESCAPES: ReadonlyMap<number, number> = new Map([
  [0x6e, 0x0a], // \n
  [0x72, 0x0d], // \r
  [0x74, 0x09], // \t
  [0x62, 0x08], // \b
  [0x61, 0x07], // \a
]);

/**
 * The arguments of a line with no quote and no NUL (PING, GET k, SET k v as typed into nc or
 * redis-benchmark's inline tests): blanks skipped, each argument a run up to a byte that ends a
 * plain one, as sdssplitargs reads them. Views of `line`, uncopied; undefined when the line needs
 * the full reading.
 */
function splitPlainArgs(line: Uint8Array): Buffer[] | undefined {
  const bytes = Buffer.isBuffer(line) ? line : Buffer.from(line.buffer, line.byteOffset, line.byteLength);
  const args: Buffer[] = [];
  let p = 0;
  while (p < bytes.length) {
    const byte = Number(bytes[p]);
    if (byte === DOUBLE_QUOTE || byte === SINGLE_QUOTE || byte === NUL) return undefined;
    if (isBlank(byte)) {
      p++;
      continue;
    }
    let end = p + 1;
    while (end < bytes.length && !endsPlain(Number(bytes[end]))) {
      const inner = bytes[end];
      if (inner === DOUBLE_QUOTE || inner === SINGLE_QUOTE) return undefined;
      end++;
    }
    args.push(bytes.subarray(p, end));
    p = end;
  }
  return args;
}

/**
 * The arguments of `line` (without its line ending), or undefined for unbalanced quotes. They may
 * be views of `line` (a plain line is split in place), as the parser's multibulk arguments are.
 */
export function splitArgs(line: Uint8Array): Buffer[] | undefined {
  const plain = splitPlainArgs(line);
  if (plain !== undefined) return plain;
  // sdssplitargs reads a C string: a NUL ends the line. Four NULs of padding let every look-ahead
  // below read a byte, as C reads the terminator, instead of checking bounds at each step.
  const nul = line.indexOf(NUL);
  const end = nul < 0 ? line.length : nul;
  const src = Buffer.alloc(end + 4);
  src.set(line.subarray(0, end));
  const out = Buffer.allocUnsafe(end);
  const args: Buffer[] = [];
  let p = 0;
  for (;;) {
    while (isBlank(src.readUInt8(p))) p++;
    if (p >= end) return args;
    const token = readToken(src, p, out);
    if (token === undefined) return undefined;
    args.push(Buffer.from(out.subarray(0, token.length)));
    p = token.next;
  }
}

type Mode = 'plain' | 'double' | 'single';

/** One argument starting at `p`, written to `out`: its length and where the next one may start. */
function readToken(src: Buffer, start: number, out: Buffer): { length: number; next: number } | undefined {
  let mode: Mode = 'plain';
  let length = 0;
  let p = start;
  for (;;) {
    const byte = src.readUInt8(p);
    if (mode === 'plain') {
      if (endsPlain(byte)) return { length, next: p + 1 };
      if (byte === DOUBLE_QUOTE) mode = 'double';
      else if (byte === SINGLE_QUOTE) mode = 'single';
      else out[length++] = byte;
      p++;
      continue;
    }
    const step = mode === 'double' ? doubleQuoted(src, p) : singleQuoted(src, p);
    if (step === 'unbalanced') return undefined;
    if (step === 'closed') return { length, next: p + 1 };
    out[length++] = step.byte;
    p += step.consumed;
  }
}

type Step = { readonly byte: number; readonly consumed: number } | 'closed' | 'unbalanced';

/** The closing quote at `p` must end the argument: `"a"b` is unbalanced to redis. */
function closing(src: Buffer, p: number): Step {
  const after = src.readUInt8(p + 1);
  return after === NUL || isBlank(after) ? 'closed' : 'unbalanced';
}

/** One step inside "double quotes": an escape (\xHH, \n, ...), the closing quote, or a literal. */
function doubleQuoted(src: Buffer, p: number): Step {
  const byte = src.readUInt8(p);
  const next = src.readUInt8(p + 1);
  if (byte === BACKSLASH && next === LOWER_X) {
    const high = hexValue(src.readUInt8(p + 2));
    const low = hexValue(src.readUInt8(p + 3));
    if (high >= 0 && low >= 0) return { byte: high * 16 + low, consumed: 4 };
  }
  if (byte === BACKSLASH && next !== NUL) return { byte: ESCAPES.get(next) ?? next, consumed: 2 };
  if (byte === DOUBLE_QUOTE) return closing(src, p);
  if (byte === NUL) return 'unbalanced';
  return { byte, consumed: 1 };
}

/** One step inside 'single quotes': \' is a quote, the closing quote, or a literal. */
function singleQuoted(src: Buffer, p: number): Step {
  const byte = src.readUInt8(p);
  if (byte === BACKSLASH && src.readUInt8(p + 1) === SINGLE_QUOTE) return { byte: SINGLE_QUOTE, consumed: 2 };
  if (byte === SINGLE_QUOTE) return closing(src, p);
  if (byte === NUL) return 'unbalanced';
  return { byte, consumed: 1 };
}
