// The PROXY protocol header (HAProxy's specification, versions 1 and 2), as a pure reader: given
// the bytes a connection has received so far, it says "not yet", or the header and how many bytes
// it took, or throws ProxyHeaderError. Nothing past the header is read, so the rest goes to the
// real protocol untouched. Every length is checked against what arrived and against a limit
// before anything is held.
import { isIPv4, isIPv6 } from 'node:net';
import type { Address } from '../../contract/index.js';

/** The v2 signature: `\r\n\r\n\0\r\nQUIT\n`. */
export const PROXY_V2_SIGNATURE = Uint8Array.from([0x0d, 0x0a, 0x0d, 0x0a, 0x00, 0x0d, 0x0a, 0x51, 0x55, 0x49, 0x54, 0x0a]);
const V1_PREFIX = Uint8Array.from(Buffer.from('PROXY ', 'latin1'));
/** The longest v1 line, CRLF included (the specification's 107 bytes). */
export const PROXY_V1_MAX_BYTES = 107;
/** v2: signature, version/command, family/transport, 2-byte length. */
const V2_FIXED_BYTES = 16;
/** Address block lengths by v2 family (high nibble of byte 14): INET, INET6, UNIX. */
const V2_ADDRESS_BYTES: Readonly<Record<number, number>> = { 0x1: 12, 0x2: 36, 0x3: 216 };

/** A malformed or oversized PROXY header: the connection is closed without reading further. */
export class ProxyHeaderError extends SyntaxError {
  /** The class name, kept when the code is minified. */
  override name = 'ProxyHeaderError';
  /** Node-style code to `switch` on, as a literal type. */
  readonly code = 'ERR_PROXY_HEADER' as const;
}

/**
 * A parsed header. `source` and `destination` are the client's and the address it connected to, as
 * the balancer saw them; both are undefined for v2 `LOCAL` (the balancer's own health check), for
 * v1 `UNKNOWN` and v2's UNSPEC family or a non-stream transport: the connection's own addresses apply then.
 */
export interface ProxyHeader {
  /** The header's version: 1 (text) or 2 (binary). */
  readonly version: 1 | 2;
  /** `proxy`: relayed for a client; `local`: the balancer speaking for itself (v2 only). */
  readonly command: 'proxy' | 'local';
  /** The client's address, when the header gives one. */
  readonly source: Address | undefined;
  /** The address the client connected to (the balancer's), when the header gives one. */
  readonly destination: Address | undefined;
  /** Bytes of the stream the header took (the rest belongs to the real protocol). */
  readonly length: number;
}

/**
 * Reads a header from the start of `data` (everything received so far). Returns undefined while
 * more bytes are needed, the header once complete; throws ProxyHeaderError when `data` cannot be
 * the start of a header, or a v2 header says it is longer than `maxBytes`.
 */
export function readProxyHeader(data: Uint8Array, maxBytes: number): ProxyHeader | undefined {
  if (startsLike(data, V1_PREFIX)) return data.length < V1_PREFIX.length ? undefined : readV1(data);
  if (startsLike(data, PROXY_V2_SIGNATURE)) return data.length < V2_FIXED_BYTES ? undefined : readV2(data, maxBytes);
  throw new ProxyHeaderError('Cannot read the PROXY header: the connection does not start with one');
}

/** True if `data` and `prefix` agree on their common length (so `data` may still become `prefix...`). */
function startsLike(data: Uint8Array, prefix: Uint8Array): boolean {
  const n = Math.min(data.length, prefix.length);
  for (let i = 0; i < n; i++) if (data[i] !== prefix[i]) return false;
  return true;
}

function readV1(data: Uint8Array): ProxyHeader | undefined {
  const end = indexOfCRLF(data, Math.min(data.length, PROXY_V1_MAX_BYTES));
  if (end < 0) {
    if (data.length >= PROXY_V1_MAX_BYTES) throw new ProxyHeaderError(`Cannot read the PROXY v1 header: no CRLF within ${PROXY_V1_MAX_BYTES} bytes`);
    return undefined;
  }
  const line = Buffer.from(data.buffer, data.byteOffset, end).toString('latin1');
  const fields = line.split(' ');
  const length = end + 2;
  // UNKNOWN: the rest of the line is to be ignored (the balancer could not tell the addresses).
  if (fields[1] === 'UNKNOWN') return { version: 1, command: 'proxy', source: undefined, destination: undefined, length };
  const [, family, src, dst, sport, dport, ...extra] = fields;
  if (extra.length > 0 || (family !== 'TCP4' && family !== 'TCP6')) throw new ProxyHeaderError(`Cannot read the PROXY v1 header '${printable(line)}': expected TCP4, TCP6 or UNKNOWN and four fields`);
  const isValid = family === 'TCP4' ? isIPv4 : isIPv6;
  if (src === undefined || dst === undefined || !isValid(src) || !isValid(dst)) throw new ProxyHeaderError(`Cannot read the PROXY v1 header '${printable(line)}': addresses are not ${family}`);
  const source = v1Port(sport, line);
  const target = v1Port(dport, line);
  return family === 'TCP4'
    ? { version: 1, command: 'proxy', source: [src, source], destination: [dst, target], length }
    : { version: 1, command: 'proxy', source: [src, source, 0, 0], destination: [dst, target, 0, 0], length };
}

/** A v1 port: 0-65535 in decimal, no sign, no leading zero (as the specification writes them). */
function v1Port(text: string | undefined, line: string): number {
  if (text === undefined || !/^(0|[1-9]\d{0,4})$/.test(text) || Number(text) > 65535) {
    throw new ProxyHeaderError(`Cannot read the PROXY v1 header '${printable(line)}': port '${printable(text ?? '')}' is not 0-65535`);
  }
  return Number(text);
}

function indexOfCRLF(data: Uint8Array, limit: number): number {
  for (let i = 0; i + 1 < limit; i++) if (data[i] === 0x0d && data[i + 1] === 0x0a) return i;
  return -1;
}

function printable(text: string): string {
  return text.replace(/[^\x20-\x7e]/g, '?').slice(0, PROXY_V1_MAX_BYTES);
}

function readV2(data: Uint8Array, maxBytes: number): ProxyHeader | undefined {
  const versionCommand = data[12] ?? 0;
  const familyTransport = data[13] ?? 0;
  const bodyBytes = ((data[14] ?? 0) << 8) | (data[15] ?? 0);
  if (versionCommand >> 4 !== 0x2) throw new ProxyHeaderError(`Cannot read the PROXY v2 header: version ${versionCommand >> 4} is not 2`);
  const command = versionCommand & 0x0f;
  if (command > 1) throw new ProxyHeaderError(`Cannot read the PROXY v2 header: command ${command} is neither LOCAL (0) nor PROXY (1)`);
  const length = V2_FIXED_BYTES + bodyBytes;
  if (length > maxBytes) throw new ProxyHeaderError(`Cannot read the PROXY v2 header: length ${length} exceeds the limit of ${maxBytes} bytes`);
  if (data.length < length) return undefined;
  // LOCAL: the balancer's own connection (a health check); the specification says to ignore the
  // family and the whole address block, so it is not validated either.
  if (command === 0) return { version: 2, command: 'local', source: undefined, destination: undefined, length };
  const family = familyTransport >> 4;
  const transport = familyTransport & 0x0f;
  // UNSPEC (the UNKNOWN family): the block's bytes, if any, are to be ignored; the real endpoints apply.
  if (family === 0) return { version: 2, command: 'proxy', source: undefined, destination: undefined, length };
  const addressBytes = V2_ADDRESS_BYTES[family];
  if (addressBytes === undefined) throw new ProxyHeaderError(`Cannot read the PROXY v2 header: address family ${family} is unknown`);
  if (transport > 2) throw new ProxyHeaderError(`Cannot read the PROXY v2 header: transport ${transport} is unknown`);
  if (bodyBytes < addressBytes) throw new ProxyHeaderError(`Cannot read the PROXY v2 header: ${bodyBytes} bytes cannot hold the family's ${addressBytes}-byte addresses`);
  const body = data.subarray(V2_FIXED_BYTES, length);
  checkTLVs(body.subarray(addressBytes));
  // A datagram (or unspecified) transport's addresses are not a stream client's.
  if (transport !== 1) return { version: 2, command: 'proxy', source: undefined, destination: undefined, length };
  const [source, destination] = v2Addresses(family, body);
  return { version: 2, command: 'proxy', source, destination, length };
}

function v2Addresses(family: number, body: Uint8Array): [Address, Address] {
  const view = new DataView(body.buffer, body.byteOffset, body.byteLength);
  if (family === 0x1) {
    const ip = (at: number): string => Array.from(body.subarray(at, at + 4)).join('.');
    return [
      [ip(0), view.getUint16(8)],
      [ip(4), view.getUint16(10)],
    ];
  }
  if (family === 0x2) {
    const ip = (at: number): string => {
      const groups: string[] = [];
      for (let i = 0; i < 8; i++) groups.push(view.getUint16(at + 2 * i).toString(16));
      return compressIPv6(groups);
    };
    return [
      [ip(0), view.getUint16(32), 0, 0],
      [ip(16), view.getUint16(34), 0, 0],
    ];
  }
  const path = (at: number): string => {
    const bytes = body.subarray(at, at + 108);
    const nul = bytes.indexOf(0);
    return Buffer.from(bytes.subarray(0, nul < 0 ? bytes.length : nul)).toString('utf8');
  };
  return [path(0), path(108)];
}

/** The RFC 5952 text of eight hex groups: the longest run of two or more zero groups becomes `::`. */
function compressIPv6(groups: readonly string[]): string {
  let best = -1;
  let bestLength = 1;
  for (let i = 0; i < groups.length; ) {
    let j = i;
    while (j < groups.length && groups[j] === '0') j++;
    if (j - i > bestLength) {
      best = i;
      bestLength = j - i;
    }
    i = j === i ? i + 1 : j;
  }
  if (best < 0) return groups.join(':');
  return `${groups.slice(0, best).join(':')}::${groups.slice(best + bestLength).join(':')}`;
}

/**
 * The TLVs after the addresses (type, 2-byte length, value) are skipped, but each must fit: a
 * length running past the header is malformed, not a reason to read further.
 */
function checkTLVs(tlvs: Uint8Array): void {
  let at = 0;
  while (at < tlvs.length) {
    if (at + 3 > tlvs.length) throw new ProxyHeaderError(`Cannot read the PROXY v2 header: a TLV at byte ${at} is cut short`);
    const valueBytes = ((tlvs[at + 1] ?? 0) << 8) | (tlvs[at + 2] ?? 0);
    if (at + 3 + valueBytes > tlvs.length) throw new ProxyHeaderError(`Cannot read the PROXY v2 header: a TLV of ${valueBytes} bytes at byte ${at} runs past the header`);
    at += 3 + valueBytes;
  }
}
