// Redis's glob (util.c stringmatchlen), for KEYS and CONFIG GET: `*`, `?`, `[abc]`, `[^a]`, `[a-z]`
// and `\x` for a literal x. As in redis, an unclosed `[` runs to the end of the pattern and a reversed
// range `[z-a]` means `[a-z]`. Not a regular expression nor fnmatch: no classes, '/' is not special.
// Strings hold one byte per char (latin1), as the store's keys do.

/** Recursion guard against abusive patterns, as redis's (deeper: no match). */
const MAX_NESTING = 1000;

interface MatchState {
  /** Set once a `*` proved the rest cannot match anywhere: earlier `*`s need not try longer spans. */
  isHopeless: boolean;
}

/** True if `subject` matches the glob `pattern` (case-sensitive). */
export function globMatch(pattern: string, subject: string): boolean {
  return matchFrom(pattern, 0, subject, 0, { isHopeless: false }, 0);
}

function matchFrom(pattern: string, start: number, subject: string, from: number, state: MatchState, nesting: number): boolean {
  if (nesting > MAX_NESTING) return false;
  let p = start;
  let s = from;
  while (p < pattern.length && s < subject.length) {
    const c = pattern[p];
    if (c === '*') {
      while (pattern[p + 1] === '*') p++;
      if (p + 1 === pattern.length) return true;
      for (; s < subject.length; s++) {
        if (matchFrom(pattern, p + 1, subject, s, state, nesting + 1)) return true;
        if (state.isHopeless) return false;
      }
      state.isHopeless = true;
      return false;
    }
    if (c === '[') {
      const bracket = matchClass(pattern, p, subject.charCodeAt(s));
      if (!bracket.isMatch) return false;
      p = bracket.end;
    } else if (c !== '?') {
      if (c === '\\' && pattern.length - p >= 2) p++;
      if (pattern[p] !== subject[s]) return false;
    }
    s++;
    p++;
    if (s === subject.length) {
      while (pattern[p] === '*') p++;
    }
  }
  return p === pattern.length && s === subject.length;
}

/** C's `char` is signed on the platforms redis runs on, and its ranges compare signed bytes. */
function signed(code: number): number {
  return code > 0x7f ? code - 0x100 : code;
}

/** The class opening at `open` against one char: whether it matches, and the index of its `]`. */
function matchClass(pattern: string, open: number, char: number): { isMatch: boolean; end: number } {
  let q = open + 1;
  const isNegated = pattern[q] === '^';
  if (isNegated) q++;
  let isMatch = false;
  for (; ; q++) {
    const c = pattern.charCodeAt(q);
    if (c === 0x5c && pattern.length - q >= 2) {
      q++;
      if (pattern.charCodeAt(q) === char) isMatch = true;
    } else if (c === 0x5d) {
      break;
    } else if (q >= pattern.length) {
      // Unclosed: the class ends with the pattern (redis steps back so its caller steps past the end).
      q--;
      break;
    } else if (pattern.length - q >= 3 && pattern[q + 1] === '-') {
      const low = Math.min(signed(c), signed(pattern.charCodeAt(q + 2)));
      const high = Math.max(signed(c), signed(pattern.charCodeAt(q + 2)));
      if (signed(char) >= low && signed(char) <= high) isMatch = true;
      q += 2;
    } else if (c === char) {
      isMatch = true;
    }
  }
  return { isMatch: isMatch !== isNegated, end: q };
}
