// SocketFile's read buffer: a ChunkQueue, whose chunks are joined once, when taken, so reading n
// bytes costs O(n) however many chunks they came in; and whose search resumes where the last one
// stopped, so readline() looks at each byte once however the line was split.
import { ChunkQueue } from '../bytes/chunk-queue.js';
import { asBuffer } from './receive-queue.js';

/** Received, unread bytes as a queue of chunks, with a resumable search (for readline's '\n'). */
export class ReadBuffer extends ChunkQueue {
  /** Takes the first `n` bytes (all, if fewer are buffered): a view when one chunk holds them, else one copy. */
  override take(n: number): Buffer {
    return asBuffer(super.take(Math.min(n, this.bytes)));
  }

  /** Joins go to a Buffer (uninitialised: every byte is written), from Node's pool when small. */
  protected override allocate(size: number): Buffer {
    return Buffer.allocUnsafe(size);
  }
}
