// The emulated kernel receive buffer: chunks as they arrived (a ChunkQueue), handed out as recv()
// does: a view when one chunk answers, one copy when a recv() spans several chunks.
import { ChunkQueue } from '../bytes/chunk-queue.js';

/** A socket's received, unread bytes; its size is checked against SO_RCVBUF by the socket. */
export class ReceiveQueue extends ChunkQueue {
  /** Queues a received chunk as is (no copy; empty chunks are ignored). */
  override push(chunk: Buffer): void {
    super.push(chunk);
  }

  /** Takes up to `n` bytes (n > 0) from the front, as recv(n): fewer if fewer are queued, an empty buffer when none are. */
  override take(n: number): Buffer {
    return asBuffer(super.take(Math.min(n, this.bytes)));
  }

  /** Joins go to a Buffer (uninitialised: every byte is written), from Node's pool when small. */
  protected override allocate(size: number): Buffer {
    return Buffer.allocUnsafe(size);
  }
}

/** `bytes` as a Buffer over the same memory (a view stays a view: no copy). */
export function asBuffer(bytes: Uint8Array): Buffer {
  return Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}
