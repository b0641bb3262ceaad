// Where an SSLSocket's decrypted bytes wait, modelled on OpenSSL over a kernel socket: records that
// have arrived (the kernel's receive buffer: they make the socket readable) and the one record that
// recv() has pulled into the SSL buffer (what pending() counts, which select() does not see). Both
// are ChunkQueues: a record is one chunk.
//
//   node:tls 'data' (one record) -> arrived -> recv(): whole record -> ssl buffer -> up to n bytes out
import { ChunkQueue } from '../../bytes/chunk-queue.js';
import { ReceiveQueue, asBuffer } from '../receive-queue.js';

/** Decrypted records in the two places the table above names: arrived, then the SSL buffer. */
export class RecordBuffer {
  readonly #arrived = new ChunkQueue();
  readonly #ssl = new ReceiveQueue();

  /** Bytes in records that have arrived but that no recv() has touched: the "kernel" side. */
  get arrivedBytes(): number {
    return this.#arrived.bytes;
  }

  /** Decrypted bytes in the SSL buffer, ready for recv() with no readiness shown: Python's pending(). */
  get pending(): number {
    return this.#ssl.bytes;
  }

  /** True when no decrypted byte waits anywhere. */
  get isEmpty(): boolean {
    return this.#arrived.isEmpty && this.#ssl.isEmpty;
  }

  /** One decrypted record from node:tls. */
  add(record: Buffer): void {
    this.#arrived.push(record);
  }

  /**
   * Up to `n` bytes (n > 0), as SSL_read: from the SSL buffer if it holds any, else after pulling the
   * next whole record into it. An empty Buffer when nothing is there.
   */
  take(n: number): Buffer {
    if (this.#ssl.isEmpty) {
      const record = this.#arrived.takeChunk();
      if (record !== undefined) this.#ssl.push(asBuffer(record));
    }
    return this.#ssl.take(n);
  }

  /** Drops every decrypted byte (SHUT_RD, close). */
  clear(): void {
    this.#arrived.clear();
    this.#ssl.clear();
  }
}
