// What a request's header fields say about its framing and its connection, gathered field by field
// as llhttp gathers them (its F_CONTENT_LENGTH, F_CHUNKED, F_CONNECTION_* and F_UPGRADE flags), and the
// decision taken from them once the head is complete.
import { HttpError } from './http-error.js';
import { type ConnectionOptions, type FieldKind, codingList, connectionOptions, contentLength } from './field-semantics.js';

/** How the request's body is framed and whether the connection goes on after it. */
export interface Framing {
  /** llhttp_should_keep_alive: HTTP/1.1 without `Connection: close`, HTTP/1.0 with `keep-alive`. */
  readonly keepAlive: boolean;
  /** Connection: upgrade and a non-empty Upgrade field came (whether to switch is the caller's rule). */
  readonly asksUpgrade: boolean;
  readonly bodyLength: number | 'chunked';
}

/** The framing fields of one head (or trailer section), reset per request. */
export class FramingFields {
  readonly #maxBodyBytes: number;
  #kind: FieldKind = 'other';
  #length = -1;
  #hasTransferEncoding = false;
  #isChunked = false;
  #hasOtherCoding = false;
  #hasUpgradeField = false;
  #hasConnectionField = false;

  constructor(maxBodyBytes: number) {
    this.#maxBodyBytes = maxBodyBytes;
  }

  reset(): void {
    this.#kind = 'other';
    this.#length = -1;
    this.#hasTransferEncoding = false;
    this.#isChunked = false;
    this.#hasOtherCoding = false;
    this.#hasUpgradeField = false;
    this.#hasConnectionField = false;
  }

  /** A field name ended: refuses what its name alone makes invalid (llhttp refuses it there too). */
  nameEnded(kind: FieldKind, isTrailer: boolean): void {
    this.#kind = kind;
    if (kind !== 'content-length' && kind !== 'transfer-encoding') return;
    // Framing fields in trailers would reframe a message already framed (RFC 9110 section 6.5.1).
    if (isTrailer) throw new HttpError(400, 'Framing field in the trailers');
    // Both framings in one request is the classic smuggling shape (RFC 9112 section 6.3).
    if ((kind === 'content-length' && this.#hasTransferEncoding) || (kind === 'transfer-encoding' && this.#length >= 0)) {
      throw new HttpError(400, 'Both Content-Length and Transfer-Encoding');
    }
    if (kind === 'content-length' && this.#length >= 0) throw new HttpError(400, 'Duplicate Content-Length');
  }

  /**
   * A Content-Length value cut by the chunk's end is checked as far as it goes, so an overlong one is
   * refused before its line ends (a valid one is about 20 digits: longer partial values wait for the end).
   */
  valueCut(src: Buffer, start: number, end: number): void {
    if (this.#kind === 'content-length' && end - start <= 64) contentLength(src, start, end, this.#maxBodyBytes);
  }

  /** A value `src[start, end)` (leading whitespace skipped, trailing kept) ended. */
  valueEnded(src: Buffer, start: number, end: number): void {
    switch (this.#kind) {
      case 'content-length':
        if (start === end) throw new HttpError(400, 'Empty Content-Length');
        this.#length = contentLength(src, start, end, this.#maxBodyBytes);
        break;
      case 'transfer-encoding': {
        // An empty Transfer-Encoding frames nothing (llhttp sets its flag on the first value byte).
        if (start === end) break;
        if (this.#isChunked) throw new HttpError(400, 'Transfer coding after chunked');
        const codings = codingList(src, start, end);
        this.#hasTransferEncoding = true;
        this.#isChunked = codings.isChunked;
        if (codings.hasOtherCoding) this.#hasOtherCoding = true;
        break;
      }
      case 'connection':
        // Read from the head's strings in decide(): its options matter only once the head is complete.
        this.#hasConnectionField = true;
        break;
      case 'upgrade':
        if (start < end) this.#hasUpgradeField = true;
        break;
      case 'other':
        break;
      default: {
        const never: never = this.#kind;
        return never;
      }
    }
  }

  /** The head is complete: how its body is framed (or HttpError when it cannot be read safely). */
  decide(minorVersion: 0 | 1, isConnect: boolean, headers: readonly (readonly [string, string])[]): Framing {
    // RFC 9112 section 6.3: a Transfer-Encoding whose last coding is not chunked leaves the length unknown.
    if (this.#hasTransferEncoding && !this.#isChunked) throw new HttpError(400, 'Transfer-Encoding without chunked as the last coding');
    if (this.#isChunked && this.#hasOtherCoding) throw new HttpError(501, 'Only the chunked transfer coding is supported');
    const connection: ConnectionOptions = { close: false, keepAlive: false, upgrade: false };
    if (this.#hasConnectionField) for (const [name, value] of headers) if (name === 'connection') connectionOptions(value, connection);
    // CONNECT has no content (RFC 9110 section 9.3.6) and what follows it is a tunnel, not HTTP: as
    // llhttp, the request ends at its head; as we open no tunnels, the connection ends after it.
    // RFC 9112 section 6.1: an HTTP/1.0 message with Transfer-Encoding has faulty framing: close after it.
    const keepAlive = !isConnect && (minorVersion === 1 ? !connection.close : connection.keepAlive && !this.#hasTransferEncoding);
    return {
      keepAlive,
      asksUpgrade: connection.upgrade && this.#hasUpgradeField,
      bodyLength: isConnect ? 0 : this.#isChunked ? 'chunked' : Math.max(this.#length, 0),
    };
  }
}
