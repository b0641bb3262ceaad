// The chunked transfer coding (RFC 9112 section 7.1) as a byte-level state machine, read as llhttp's
// strict mode reads it: a hex size with nothing after it but `;extensions` or CRLF (no space, tab or
// VT), extensions without whitespace, empty names or CR/LF/NUL in quoted values. Chunk data is
// copied into the request's one BodyBuffer; the trailer section after the last chunk is the caller's.
//
//   size-start -HEX-> size -CR-> size-lf -LF-> data -> data-cr -> data-lf -> size-start ...
//                     size -;-> ext (name [= value | "quoted"])* -CR-> size-lf
//   size 0: size-lf -LF-> trailers (done here)
import { HttpError } from './http-error.js';
import type { BodyBuffer } from './body-buffer.js';
import { CR, HEX_VALUE, LF, QDTEXT, QUOTED_PAIR_CHAR, SP, TOKEN } from './char-classes.js';

type ChunkState =
  | 'size-start' | 'size' | 'size-lf' | 'ext' | 'ext-name' | 'ext-value' | 'ext-quoted' | 'ext-pair' | 'ext-quoted-done'
  | 'data' | 'data-cr' | 'data-lf' | 'trailers';

/** Chunk extensions per chunk (node:http's limit since CVE-2024-22019); past it, 413. */
export const MAX_CHUNK_EXTENSION_BYTES = 16 * 1024;

/** Decodes one chunked body into a BodyBuffer, up to its trailer section. */
export class ChunkedBody {
  readonly #maxBodyBytes: number;
  #state: ChunkState = 'size-start';
  #remaining = 0;
  #extensionBytes = 0;

  constructor(maxBodyBytes: number) {
    this.#maxBodyBytes = maxBodyBytes;
  }

  /** The last chunk and its CRLF are read: the trailer section comes next. */
  get isAtTrailers(): boolean {
    return this.#state === 'trailers';
  }

  /** Starts a new body. */
  reset(): void {
    this.#state = 'size-start';
    this.#remaining = 0;
  }

  /** Decodes `src[from, end)` into `body`; returns where it stopped (the end, or the trailers' start). */
  decode(src: Buffer, from: number, end: number, body: BodyBuffer): number {
    let p = from;
    while (p < end && this.#state !== 'trailers') {
      const b = src[p] ?? -1;
      switch (this.#state) {
        case 'data': {
          const take = Math.min(this.#remaining, end - p);
          body.append(src, p, p + take, this.#maxBodyBytes);
          p += take;
          this.#remaining -= take;
          if (this.#remaining === 0) this.#state = 'data-cr';
          break;
        }
        case 'size-start':
          if (HEX_VALUE[b] === -1) throw new HttpError(400, 'Invalid character in chunk size');
          this.#remaining = 0;
          this.#state = 'size';
          break;
        case 'size':
          p = this.#size(src, p, end, body.length);
          break;
        case 'size-lf':
          if (b !== LF) throw new HttpError(400, 'Expected LF after chunk size');
          p++;
          this.#state = this.#remaining > 0 ? 'data' : 'trailers';
          break;
        case 'data-cr':
        case 'data-lf':
          if (b !== (this.#state === 'data-cr' ? CR : LF)) throw new HttpError(400, 'Expected CRLF after chunk data');
          this.#state = this.#state === 'data-cr' ? 'data-lf' : 'size-start';
          p++;
          break;
        default:
          p = this.#extensions(src, p, end);
      }
    }
    return p;
  }

  #size(src: Buffer, from: number, end: number, held: number): number {
    let p = from;
    // Refused as soon as the digits say the body cannot fit (413), not after the line.
    const room = this.#maxBodyBytes - held;
    for (let v = HEX_VALUE[src[p] ?? 0] ?? -1; p < end && v !== -1; v = HEX_VALUE[src[++p] ?? 0] ?? -1) {
      this.#remaining = this.#remaining * 16 + v;
      if (this.#remaining > room) throw new HttpError(413, `Request body exceeds the limit of ${this.#maxBodyBytes} bytes`);
    }
    if (p === end) return p;
    if (src[p] === CR) this.#state = 'size-lf';
    else if (src[p] === 0x3b) {
      this.#extensionBytes = 0;
      this.#state = 'ext';
    } else throw new HttpError(400, 'Invalid character in chunk size');
    return p + 1;
  }

  // chunk-ext = *( ";" ext-name [ "=" ext-val ] ), read as llhttp's strict mode does: no whitespace
  // at all, no empty extension after ';', quoted values without CR, LF or NUL. Read and dropped.
  #extensions(src: Buffer, from: number, end: number): number {
    let p = from;
    switch (this.#state) {
      case 'ext':
        if (src[p] === SP || src[p] === CR) throw new HttpError(400, 'Invalid character in chunk extensions');
        this.#state = 'ext-name';
        return p;
      case 'ext-name':
      case 'ext-value':
        while (p < end && TOKEN[src[p] ?? 0] === 1) p++;
        if (p === end) break;
        if (src[p] === 0x3d && this.#state === 'ext-name') this.#state = 'ext-value';
        else if (src[p] === 0x22 && this.#state === 'ext-value') this.#state = 'ext-quoted';
        else this.#endExtension(src[p]);
        p++;
        break;
      case 'ext-quoted':
        while (p < end && QDTEXT[src[p] ?? 0] === 1) p++;
        if (p === end) break;
        if (src[p] === 0x22) this.#state = 'ext-quoted-done';
        else if (src[p] === 0x5c) this.#state = 'ext-pair';
        else throw new HttpError(400, 'Invalid character in a quoted chunk extension');
        p++;
        break;
      case 'ext-pair':
        if (QUOTED_PAIR_CHAR[src[p] ?? 0] !== 1) throw new HttpError(400, 'Invalid quoted pair in a chunk extension');
        this.#state = 'ext-quoted';
        p++;
        break;
      case 'ext-quoted-done':
        this.#endExtension(src[p]);
        p++;
        break;
      default:
        throw new HttpError(400, `Unexpected chunk state ${this.#state}`);
    }
    this.#extensionBytes += p - from;
    if (this.#extensionBytes > MAX_CHUNK_EXTENSION_BYTES) throw new HttpError(413, 'Chunk extensions too large');
    return p;
  }

  #endExtension(byte: number | undefined): void {
    if (byte === 0x3b) this.#state = 'ext';
    else if (byte === CR) this.#state = 'size-lf';
    else throw new HttpError(400, 'Invalid character in chunk extensions');
  }
}
