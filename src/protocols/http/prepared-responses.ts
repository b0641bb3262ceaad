// Whole small responses (head and body) kept as prepared Buffers, so a route that answers the same
// words each time (a hello world, a 404) costs a lookup and a write: no header list, no head text,
// no Buffer made per request. The Date header changes once a second, and with it the Buffer (a new
// one: a transport may still hold the old one unsent, so a prepared Buffer is never modified).
// node:http caches its Date the same way; this goes one step further, as the wire bytes are the same.

/** What decides a prepared response's bytes, besides the Date: everything send() puts in the head. */
export interface PreparedKey {
  /** The status code. */
  readonly status: number;
  /** The Content-Type value. */
  readonly contentType: string;
  /** The body as given to send() (its Content-Length follows from it). */
  readonly body: string;
  /** The request's HTTP/1.x minor version, which the status line repeats. */
  readonly minorVersion: 0 | 1;
  /** Whether the connection stays open (`Connection: close` or not, `keep-alive` for HTTP/1.0). */
  readonly keepAlive: boolean;
  /** `Keep-Alive: timeout=N`, when the server announces one. */
  readonly keepAliveSeconds: number | undefined;
  /** HEAD: the same head, no body. */
  readonly isHead: boolean;
}

interface Entry extends PreparedKey {
  /** The Date the bytes carry (httpDate()'s string of that second). */
  readonly date: string;
  readonly bytes: Buffer;
}

/** How many responses are kept, process-wide: a few routes' answers in each connection variant. */
export const MAX_PREPARED_RESPONSES = 16;
/** Bodies longer than this (UTF-16 units) are not kept: the cache stays under about 16 x 1.2 KiB. */
export const MAX_PREPARED_BODY = 1024;

function matches(entry: Entry, key: PreparedKey): boolean {
  return (
    entry.body === key.body &&
    entry.status === key.status &&
    entry.contentType === key.contentType &&
    entry.minorVersion === key.minorVersion &&
    entry.keepAlive === key.keepAlive &&
    entry.keepAliveSeconds === key.keepAliveSeconds &&
    entry.isHead === key.isHead
  );
}

/**
 * A bounded set of complete responses, looked up by what decides their bytes. Only send() with no
 * header set by the route uses it (see HttpResponse.send); anything else builds its head as usual.
 */
export class PreparedResponses {
  readonly #entries: Entry[] = [];
  /** The slot the next new entry replaces once the set is full (round robin: no per-hit bookkeeping). */
  #nextSlot = 0;

  /** The bytes of `key`'s response carrying `date`, if kept. */
  find(key: PreparedKey, date: string): Buffer | undefined {
    for (const entry of this.#entries) if (entry.date === date && matches(entry, key)) return entry.bytes;
    return undefined;
  }

  /** Keeps `bytes` as `key`'s response for `date` (replacing that key's older one, or another entry when full). */
  keep(key: PreparedKey, date: string, bytes: Buffer): void {
    if (key.body.length > MAX_PREPARED_BODY) return;
    const entry: Entry = { status: key.status, contentType: key.contentType, body: key.body, minorVersion: key.minorVersion, keepAlive: key.keepAlive, keepAliveSeconds: key.keepAliveSeconds, isHead: key.isHead, date, bytes };
    const same = this.#entries.findIndex((old) => matches(old, key));
    if (same >= 0) this.#entries[same] = entry;
    else if (this.#entries.length < MAX_PREPARED_RESPONSES) this.#entries.push(entry);
    else {
      this.#entries[this.#nextSlot] = entry;
      this.#nextSlot = (this.#nextSlot + 1) % MAX_PREPARED_RESPONSES;
    }
  }

  /** How many responses are kept (at most MAX_PREPARED_RESPONSES). */
  get size(): number {
    return this.#entries.length;
  }
}
