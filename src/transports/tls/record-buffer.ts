// Where an SSLSocket's decrypted bytes wait, modelled on OpenSSL over a kernel socket: records that
// have arrived (the kernel's receive buffer: they make the socket readable) and the one record that
// recv() has pulled into the SSL buffer (what pending() counts, which select() does not see).
//
//   node:tls 'data' (one record) -> arrived -> recv(): whole record -> ssl buffer -> up to n bytes out
import { ReceiveQueue } from '../receive-queue.js';

/** Decrypted records in the two places the table above names: arrived, then the SSL buffer. */
export class RecordBuffer {
  readonly #arrived: Buffer[] = [];
  #arrivedHead = 0;
  #arrivedBytes = 0;
  readonly #ssl = new ReceiveQueue();

  /** Bytes in records that have arrived but that no recv() has touched: the "kernel" side. */
  get arrivedBytes(): number {
    return this.#arrivedBytes;
  }

  /** Decrypted bytes in the SSL buffer, ready for recv() with no readiness shown: Python's pending(). */
  get pending(): number {
    return this.#ssl.bytes;
  }

  /** True when no decrypted byte waits anywhere. */
  get isEmpty(): boolean {
    return this.#arrivedBytes === 0 && this.#ssl.isEmpty;
  }

  /** One decrypted record from node:tls. */
  add(record: Buffer): void {
    if (record.length === 0) return;
    this.#arrived.push(record);
    this.#arrivedBytes += record.length;
  }

  /**
   * Up to `n` bytes (n > 0), as SSL_read: from the SSL buffer if it holds any, else after pulling the
   * next whole record into it. An empty Buffer when nothing is there.
   */
  take(n: number): Buffer {
    if (this.#ssl.isEmpty) {
      const record = this.#arrived[this.#arrivedHead];
      if (record === undefined) return Buffer.alloc(0);
      this.#arrivedHead += 1;
      this.#arrivedBytes -= record.length;
      // Compact now and then, so the array does not grow with every record ever received.
      if (this.#arrivedHead === this.#arrived.length || this.#arrivedHead >= 1024) {
        this.#arrived.splice(0, this.#arrivedHead);
        this.#arrivedHead = 0;
      }
      this.#ssl.push(record);
    }
    return this.#ssl.take(n);
  }

  /** Drops every decrypted byte (SHUT_RD, close). */
  clear(): void {
    this.#arrived.length = 0;
    this.#arrivedHead = 0;
    this.#arrivedBytes = 0;
    this.#ssl.clear();
  }
}
