// Byte classes of the HTTP/1.1 request grammar, as llhttp's strict parser uses them (its constants
// module): one 256-entry table per class, so each byte is classified by one lookup.

function table(...parts: readonly (string | readonly [number, number])[]): Uint8Array {
  const out = new Uint8Array(256);
  for (const part of parts) {
    if (typeof part === 'string') for (let i = 0; i < part.length; i++) out[part.charCodeAt(i)] = 1;
    else for (let b = part[0]; b <= part[1]; b++) out[b] = 1;
  }
  return out;
}

const ALPHA = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
const ALPHANUM = `${ALPHA}0123456789`;
const OBS_TEXT = [0x80, 0xff] as const;

/** tchar (RFC 9110 section 5.6.2): what a field name or a chunk-extension name is made of. */
export const TOKEN = table("!#$%&'*+-.^_`|~", ALPHANUM);

/** Letters of a method name in llhttp's table (GET, M-SEARCH, GET_PARAMETER...). */
export const METHOD_CHAR = table('ABCDEFGHIJKLMNOPQRSTUVWXYZ-_');

/** Letters of a URL scheme (`http` in `http://host/`). */
export const SCHEME_CHAR = table(ALPHA);

/** What a path, query or fragment may hold: visible ASCII but `#`, `?` (their delimiters); no byte >= 0x80. */
export const URL_CHAR = table('!"$%&\'()*+,-./:;<=>@[\\]^_`{|}~', ALPHANUM);

/** What an authority (`user@host:port`, the CONNECT target) may hold. */
export const SERVER_CHAR = table("-_.!~*'()%;:&=+$,[]", ALPHANUM);

/** field-value bytes (RFC 9110 section 5.5): HTAB, SP, VCHAR, obs-text; no other control byte. */
export const FIELD_VALUE_CHAR = table('\t', [0x20, 0x7e], OBS_TEXT);

/** qdtext of a quoted chunk-extension value (RFC 9110 section 5.6.4). */
export const QDTEXT = table('\t ', '!', [0x23, 0x5b], [0x5d, 0x7e], OBS_TEXT);

/** What may follow a backslash in a quoted string. */
export const QUOTED_PAIR_CHAR = table('\t', [0x20, 0x7e], OBS_TEXT);

/** Hexadecimal digits, for chunk sizes. */
export const HEX_VALUE = new Int8Array(256).fill(-1);
for (let d = 0; d < 16; d++) {
  HEX_VALUE[d.toString(16).charCodeAt(0)] = d;
  HEX_VALUE[d.toString(16).toUpperCase().charCodeAt(0)] = d;
}

/** The bytes the state machine names. */
export const CR = 0x0d;
export const LF = 0x0a;
export const SP = 0x20;
export const HTAB = 0x09;
